import Table from 'cli-table3';
import { createColors } from 'picocolors';

export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What the command line touches of its process, so tests run it in-process (docs/client.md, "The command line"). */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: Record<string, string | undefined>;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

export type Colors = ReturnType<typeof createColors>;

const BORDERLESS = {
  chars: {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
  },
  style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [], compact: true },
};

/** Human output for people, `--json` output for scripts: one document on stdout, the rest on stderr. */
export class Output {
  readonly colors: Colors;
  readonly stderrColors: Colors;

  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {
    this.colors = createColors(colorsWanted(io.stdout, io.env));
    this.stderrColors = createColors(colorsWanted(io.stderr, io.env));
  }

  document(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  line(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** A note for people: always on stderr, so stdout stays one document under --json. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** Name and value per line, names aligned. */
  pairs(pairs: [string, unknown][]): void {
    const table = new Table(BORDERLESS);
    table.push(...pairs.map(([name, value]) => [this.colors.bold(name), value === null || value === undefined ? '' : String(value)]));
    this.line(table.toString().split('\n').map((line) => line.trimEnd()).join('\n'));
  }

  table(head: string[], rows: (string | number | null | undefined)[][]): void {
    const table = new Table({ head: head.map((title) => this.colors.bold(title)), ...BORDERLESS });
    table.push(...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell)))));
    this.line(table.toString().split('\n').map((line) => line.trimEnd()).join('\n'));
  }
}

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org), or on a dumb terminal. */
export function colorsWanted(stream: CliStream, env: CliIo['env']): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

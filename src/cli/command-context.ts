import { Command } from 'commander';
import type { GhibliClient } from '../client';
import { CliIo, Output } from './cli-io';
import { clientFor, ConnectionFlags } from './cli-options';
import { EXIT, ExitCode } from './exit-codes';

export type CommandBody = (client: GhibliClient, output: Output) => Promise<ExitCode | void>;

/** Runs each command's body with its client and output, and keeps the exit code its answer gives. */
export class CommandContext {
  exitCode: ExitCode = EXIT.OK;
  json = false;

  constructor(readonly io: CliIo) {}

  async run(command: Command, body: CommandBody): Promise<void> {
    const flags = command.optsWithGlobals<ConnectionFlags & { json?: boolean; attempts?: number }>();
    this.json = flags.json === true;
    const client = clientFor(flags, this.io, flags.attempts);
    this.exitCode = (await body(client, new Output(this.io, this.json))) ?? EXIT.OK;
  }
}

export function withJson(command: Command): Command {
  return command.option('--json', 'print one JSON document on stdout (diagnostics go to stderr)');
}

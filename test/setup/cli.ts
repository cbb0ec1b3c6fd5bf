import { runCli } from '../../src/cli/run-cli';
import { TEST_ADMIN_PASSWORD } from './auth';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as the one JSON document `--json` promises. */
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Runs `ghibli` in this process against `url` as the bootstrap admin unless `env` says otherwise. */
export async function ghibli(url: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { GHIBLI_URL: url, GHIBLI_USER: 'admin', GHIBLI_PASSWORD: TEST_ADMIN_PASSWORD, ...env },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

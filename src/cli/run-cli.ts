import { Command, CommanderError, Option } from 'commander';
import { GatewayProblemError } from '../client';
import { CliIo } from './cli-io';
import { DEFAULT_URL, positiveInteger } from './cli-options';
import { CommandContext } from './command-context';
import { ExitCode, exitCodeFor } from './exit-codes';
import { addGatewayCommands } from './gateway-commands';
import { addJobCommands } from './job-commands';

/** `ghibli` with `argv` (without node and the script): the exit code of docs/client.md, "Exit codes". */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const context = new CommandContext(io);
  try {
    await buildProgram(context).parseAsync(argv, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    const code = exitCodeFor(error);
    if (code !== 0) report(error, io, context.json || argv.includes('--json'));
    return code;
  }
}

function buildProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('ghibli')
    .description("Submit and control the Ghibli gateway's jobs; retries are safe (docs/client.md)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
    })
    .showHelpAfterError('(add --help for usage)')
    .option('--url <url>', `the gateway up to its context path (env GHIBLI_URL, default ${DEFAULT_URL})`)
    .option('--token <jwt>', 'a bearer token (env GHIBLI_TOKEN)')
    .option('--api-key <key>', 'an API key, sent as X-API-Key (env GHIBLI_API_KEY)')
    .option('--user <name>', 'a local user, with --password (env GHIBLI_USER, GHIBLI_PASSWORD)')
    .option('--password <password>', 'prefer GHIBLI_PASSWORD: a flag shows in the process list')
    .addOption(new Option('--attempts <n>', 'attempts per call before giving up (default 5)').argParser(positiveInteger));
  addJobCommands(program, context);
  addGatewayCommands(program, context);
  return program;
}

/** Commander has already said what was wrong with the command line; everything else is said here. */
function report(error: unknown, io: CliIo, json: boolean): void {
  if (error instanceof CommanderError) {
    if (json) io.stdout.write(`${JSON.stringify({ error: { code: 'USAGE', detail: error.message } })}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`ghibli: ${message}\n`);
  if (error instanceof GatewayProblemError) for (const each of error.errors) io.stderr.write(`  ${each.field}: ${each.message}\n`);
  if (!json) return;
  const problem = error instanceof GatewayProblemError && error.problem ? error.problem : { detail: message, ...codeOf(error) };
  io.stdout.write(`${JSON.stringify({ error: problem }, null, 2)}\n`);
}

function codeOf(error: unknown): { code?: string; status?: number } {
  if (error instanceof GatewayProblemError) return { code: error.code, status: error.status };
  const status = (error as { status?: unknown }).status;
  return { code: error instanceof Error ? error.name : 'ERROR', ...(typeof status === 'number' ? { status } : {}) };
}

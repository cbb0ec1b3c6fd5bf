import { Command } from 'commander';
import { GhibliClient, SubmitResult, WaitTimeoutError } from '../client';
import type { Output } from './cli-io';
import { actionVariables, collectVariable, parseDuration } from './cli-options';
import { CommandContext, withJson } from './command-context';
import { EXIT, ExitCode } from './exit-codes';
import { paintStatus } from './job-views';
import { WaitProgress } from './wait-progress';

interface SubmitFlags {
  var?: Record<string, unknown>;
  varsFile?: string;
  extIpid?: string;
  wait?: boolean;
  timeout?: number;
}

/** A shorter long-poll than the client's default, so the bar moves with the job's progress. */
const WAIT_POLL_SECONDS = 2;

export function addSubmitCommands(jobs: Command, context: CommandContext): void {
  withSubmitOptions(jobs.command('submit <contract> <action>').description('submit a job (201 created, or 409 replayed: both succeed)')).action(
    (contract: string, action: string, flags: SubmitFlags, command: Command) =>
      context.run(command, async (client, output) => {
        const request = { contractName: contract, actionName: action, actionVariables: await actionVariables(flags), extIPID: flags.extIpid };
        return finishSubmission(client, output, context, await client.submit(request), flags);
      }),
  );
  withSubmitOptions(jobs.command('resubmit <id>').description("submit a new job of the job's action, its variables overridden by --var")).action(
    (id: string, flags: SubmitFlags, command: Command) =>
      context.run(command, async (client, output) => {
        const result = await client.resubmit(id, { actionVariables: await actionVariables(flags), extIPID: flags.extIpid });
        return finishSubmission(client, output, context, result, flags);
      }),
  );
}

function withSubmitOptions(command: Command): Command {
  return withJson(
    command
      .option('--var <name=value>', 'an action variable, repeatable; JSON values (5, true, "007") are taken as JSON', collectVariable)
      .option('--vars-file <file>', 'action variables from a JSON object (each --var overrides)')
      .option('--ext-ipid <key>', 'the idempotency key (default: a new UUID, kept across retries)')
      .option('--wait', 'wait until the job ends, with a progress bar on stderr; exit 1 unless it COMPLETED')
      .option('--timeout <duration>', 'with --wait: give up after this long (30s, 10m, 1h), exit 1', parseDuration),
  );
}

async function finishSubmission(client: GhibliClient, output: Output, context: CommandContext, result: SubmitResult, flags: SubmitFlags): Promise<ExitCode> {
  const { job, replayed } = result;
  if (result.mismatch) {
    output.note(`warning: job ${job.id} was submitted earlier with other actionVariables and is unchanged; use a new --ext-ipid for a new job`);
  }
  if (!flags.wait) {
    if (output.json) output.document(result);
    else output.line(`job ${job.id} ${replayed ? 'replayed' : 'created'} ${paintStatus(job.status, output.colors)} (extIPID ${job.extIPID})`);
    return EXIT.OK;
  }
  if (!output.json) output.line(`job ${job.id} ${replayed ? 'replayed' : 'created'}, waiting`);
  const progress = new WaitProgress(context.io);
  let final = job;
  let timedOut = false;
  try {
    final = await client.waitFor(job.id, { timeoutMs: flags.timeout, pollSeconds: WAIT_POLL_SECONDS, onProgress: (each) => progress.update(each) });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    [final, timedOut] = [error.job, true];
  }
  progress.finish(final);
  if (timedOut) output.note(`job ${final.id} did not end within --timeout`);
  if (output.json) output.document({ ...result, job: final });
  else output.line(`job ${final.id} ${paintStatus(final.status, output.colors)}${final.statusMessage ? `: ${final.statusMessage}` : ''}`);
  return final.status === 'COMPLETED' ? EXIT.OK : EXIT.JOB_FAILED;
}

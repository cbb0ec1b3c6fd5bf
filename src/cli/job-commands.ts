import { Command, Option } from 'commander';
import type { Job, JobEvent } from '../client';
import { positiveInteger, sinceInstant } from './cli-options';
import { CommandContext, withJson } from './command-context';
import { EVENT_HEAD, eventRow, JOB_HEAD, JOB_STATUSES, jobPairs, jobRow, paintStatus } from './job-views';
import { addSubmitCommands } from './submit-commands';

interface ListFlags {
  status?: Job['status'];
  contract?: string;
  queue?: string;
  submittedBy?: string;
  since?: string;
  limit: number;
}

const CONTROL_COMMANDS = {
  abort: 'abort the job (a RUNNING job: abort requested, its worker stops at its next heartbeat)',
  suspend: 'suspend a SUBMITTED job: no worker claims it until resumed',
  resume: 'resume a SUSPENDED job',
  restart: 'run a job that ended in ERROR or ABORTED again',
} as const;

export function addJobCommands(program: Command, context: CommandContext): void {
  const jobs = program.command('jobs').description('submit, list, follow and control jobs');
  addSubmitCommands(jobs, context);

  withJson(jobs.command('list').description('list jobs, newest first'))
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(JOB_STATUSES))
    .option('--contract <name>', 'only jobs of this contract')
    .option('--queue <name>', 'only jobs of this queue')
    .option('--submitted-by <principal>', 'only jobs this principal submitted')
    .option('--since <duration>', 'only jobs created within this duration (30m, 1h, 2d)', (text) => sinceInstant(text))
    .option('--limit <n>', 'at most this many jobs', positiveInteger, 50)
    .action((flags: ListFlags, command: Command) =>
      context.run(command, async (client, output) => {
        const query = { status: flags.status, contract: flags.contract, queue: flags.queue, submittedBy: flags.submittedBy, createdAtFrom: flags.since };
        const found: Job[] = [];
        for await (const job of client.list({ ...query, maxItems: Math.min(flags.limit, 1000) })) {
          found.push(job);
          if (found.length >= flags.limit) break;
        }
        if (output.json) return output.document(found);
        if (found.length === 0) return output.note('no jobs match');
        output.table(JOB_HEAD, found.map((job) => jobRow(job, output.colors)));
      }),
    );

  withJson(jobs.command('get <id>').description('show one job')).action((id: string, _flags: object, command: Command) =>
    context.run(command, async (client, output) => {
      const job = await client.get(id);
      if (output.json) output.document(job);
      else output.pairs(jobPairs(job, output.colors));
    }),
  );

  withJson(jobs.command('events <id>').description("show the job's timeline, oldest first")).action((id: string, _flags: object, command: Command) =>
    context.run(command, async (client, output) => {
      const events: JobEvent[] = [];
      for await (const event of client.events(id)) events.push(event);
      if (output.json) output.document(events);
      else output.table(EVENT_HEAD, events.map(eventRow));
    }),
  );

  for (const [name, description] of Object.entries(CONTROL_COMMANDS) as [keyof typeof CONTROL_COMMANDS, string][]) {
    withJson(jobs.command(`${name} <id>`).description(description)).action((id: string, _flags: object, command: Command) =>
      context.run(command, async (client, output) => {
        const job = await client[name](id);
        if (output.json) return output.document(job);
        output.line(`job ${job.id} ${paintStatus(job.status, output.colors)}${job.abortRequested && job.status === 'RUNNING' ? ', abort requested' : ''}`);
      }),
    );
  }
}

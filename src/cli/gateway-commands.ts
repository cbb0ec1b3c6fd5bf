import { Command } from 'commander';
import { CommandContext, withJson } from './command-context';
import { shortTime } from './job-views';

export function addGatewayCommands(program: Command, context: CommandContext): void {
  const contracts = program.command('contracts').description('the catalogue of contracts and their actions');
  withJson(contracts.command('list').description('list every contract')).action((_flags: object, command: Command) =>
    context.run(command, async (client, output) => {
      const found = await client.contracts();
      if (output.json) return output.document(found);
      output.table(
        ['NAME', 'TYPE', 'ACTOR', 'ENABLED', 'ACTIONS', 'UPDATED'],
        found.map((contract) => [contract.name, contract.type, contract.actor, contract.enabled ? 'yes' : 'no', contract.actions.map((action) => action.name).join(', '), shortTime(contract.updatedAt)]),
      );
    }),
  );

  const queues = program.command('queues').description('the queues jobs wait in');
  withJson(queues.command('list').description('list every queue with its ready and running jobs')).action((_flags: object, command: Command) =>
    context.run(command, async (client, output) => {
      const found = await client.queues();
      if (output.json) return output.document(found);
      output.table(
        ['NAME', 'STATUS', 'PRIORITY', 'PARALLELISM', 'READY', 'RUNNING'],
        found.map((queue) => [queue.name, queue.status, queue.priority, queue.parallelism || 'unbounded', queue.ready, queue.running]),
      );
    }),
  );

  withJson(program.command('health').description('is the gateway ready (serving, its database reachable)? exit 5 when not')).action((_flags: object, command: Command) =>
    context.run(command, async (client, output) => {
      const readiness = await client.health();
      if (output.json) output.document(readiness);
      else output.line(`${output.colors.green(readiness.status)}: database ${readiness.database}`);
    }),
  );
}

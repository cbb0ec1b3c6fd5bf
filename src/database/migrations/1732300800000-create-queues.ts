import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { migrationColumns } from '../migration-columns';

/** Data One's queues: priority, parallelism, status and time slots; every queue an action names gets a row with the defaults (docs/queues.md). */
export class CreateQueues1732300800000 implements MigrationInterface {
  name = 'CreateQueues1732300800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = migrationColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'queues',
        columns: [
          { ...c.string('name', 128, { exact: true }), isPrimary: true },
          c.string('description', 1024, { nullable: true }),
          c.integer('priority'),
          c.integer('parallelism'),
          c.asciiKey('status', 16),
          c.json('time_slots'),
          c.string('timezone', 64),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
      }),
      true,
    );
    // The queues actions and unfinished jobs name today become rows with the defaults.
    // DATETIME as both dialects read it, in UTC (SQLite cannot bind a Date).
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const named = (await queryRunner.query(
      "SELECT DISTINCT queue FROM actions UNION SELECT DISTINCT queue FROM jobs WHERE status IN ('SUBMITTED', 'SUSPENDED', 'RUNNING')",
    )) as { queue: string }[];
    for (const { queue } of named) {
      await queryRunner.query(
        'INSERT INTO queues (name, description, priority, parallelism, status, time_slots, timezone, created_at, updated_at) VALUES (?, NULL, 5, 0, ?, ?, ?, ?, ?)',
        [queue, 'ENABLED', '[]', 'UTC', now, now],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('queues', true);
  }
}

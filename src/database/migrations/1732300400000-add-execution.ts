import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { migrationColumns } from '../migration-columns';

/** Execution: leases on jobs, the attempt history, and job logs (docs/workers.md). */
export class AddExecution1732300400000 implements MigrationInterface {
  name = 'AddExecution1732300400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = migrationColumns(queryRunner);
    await queryRunner.addColumns('jobs', [
      new TableColumn(c.boolean('abort_requested', { default: false })),
      new TableColumn({ ...c.integer('execution_count'), default: 0 }),
      new TableColumn(c.asciiKey('lease_token', 36, { nullable: true })),
      new TableColumn(c.timestamp('lease_expires_at', { nullable: true })),
      new TableColumn(c.integer('lease_seconds', { nullable: true })),
      new TableColumn(c.timestamp('execution_deadline', { nullable: true })),
      new TableColumn(c.string('worker_id', 128, { nullable: true, exact: true })),
      new TableColumn(c.timestamp('run_after', { nullable: true })),
      new TableColumn(c.integer('progress', { nullable: true })),
      new TableColumn(c.timestamp('started_at', { nullable: true })),
      new TableColumn(c.timestamp('finished_at', { nullable: true })),
      new TableColumn(c.json('result', { nullable: true })),
      new TableColumn(c.string('name', 255, { nullable: true })),
      new TableColumn(c.string('description', 1024, { nullable: true })),
      new TableColumn(c.json('tags', { nullable: true })),
    ]);
    await queryRunner.createIndices('jobs', [
      // The claim: ready jobs of some queues, highest priority first, then oldest.
      new TableIndex({ name: 'IDX_jobs_claim', columnNames: ['status', 'queue', 'priority', 'id'] }),
      // The reaper: running jobs whose lease has run out.
      new TableIndex({ name: 'IDX_jobs_lease', columnNames: ['status', 'lease_expires_at'] }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'job_executions',
        columns: [
          c.bigId(),
          c.bigint('job_id'),
          c.integer('number'),
          c.string('worker_id', 128, { exact: true }),
          c.timestamp('started_at'),
          c.timestamp('ended_at', { nullable: true }),
          c.asciiKey('status', 16),
          c.string('error', 4096, { nullable: true }),
        ],
        indices: [new TableIndex({ name: 'UQ_job_executions_job_number', columnNames: ['job_id', 'number'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_job_executions_job',
            columnNames: ['job_id'],
            referencedTableName: 'jobs',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'job_logs',
        columns: [
          c.bigId(),
          c.bigint('job_id'),
          c.integer('execution'),
          c.timestamp('at'),
          c.asciiKey('level', 8),
          c.string('message', 4096),
        ],
        indices: [new TableIndex({ name: 'IDX_job_logs_job_id', columnNames: ['job_id', 'id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_job_logs_job',
            columnNames: ['job_id'],
            referencedTableName: 'jobs',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_logs', true);
    await queryRunner.dropTable('job_executions', true);
    await queryRunner.dropIndex('jobs', 'IDX_jobs_lease');
    await queryRunner.dropIndex('jobs', 'IDX_jobs_claim');
    for (const column of [
      'tags', 'description', 'name', 'result', 'finished_at', 'started_at', 'progress', 'run_after',
      'worker_id', 'execution_deadline', 'lease_seconds', 'lease_expires_at', 'lease_token', 'execution_count', 'abort_requested',
    ]) {
      await queryRunner.dropColumn('jobs', column);
    }
  }
}

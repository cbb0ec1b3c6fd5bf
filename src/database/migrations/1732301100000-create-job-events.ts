import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { migrationColumns } from '../migration-columns';

/** The job timeline (also the webhook outbox), resubmitted jobs' origin and each action's mismatch policy (docs/events.md). */
export class CreateJobEvents1732301100000 implements MigrationInterface {
  name = 'CreateJobEvents1732301100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = migrationColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'job_events',
        columns: [c.bigId(), c.bigint('job_id'), c.asciiKey('type', 32), c.timestamp('at'), c.string('actor', 160), c.json('data'), c.boolean('dispatched', { default: false })],
        indices: [
          new TableIndex({ name: 'IDX_job_events_job', columnNames: ['job_id', 'id'] }),
          new TableIndex({ name: 'IDX_job_events_dispatch', columnNames: ['dispatched', 'id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_job_events_job',
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
    await queryRunner.addColumn('jobs', new TableColumn({ name: 'resubmitted_from', type: 'bigint', isNullable: true }));
    await queryRunner.createIndex('jobs', new TableIndex({ name: 'IDX_jobs_resubmitted_from', columnNames: ['resubmitted_from', 'id'] }));
    await queryRunner.addColumn('actions', new TableColumn({ ...c.asciiKey('on_mismatch', 8), default: "'REPLAY'" }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('actions', 'on_mismatch');
    await queryRunner.dropIndex('jobs', 'IDX_jobs_resubmitted_from');
    await queryRunner.dropColumn('jobs', 'resubmitted_from');
    await queryRunner.dropTable('job_events', true);
  }
}

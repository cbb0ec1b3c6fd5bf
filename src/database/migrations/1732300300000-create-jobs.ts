import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { migrationColumns } from '../migration-columns';

export class CreateJobs1732300300000 implements MigrationInterface {
  name = 'CreateJobs1732300300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = migrationColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'jobs',
        columns: [
          c.bigId(),
          c.asciiKey('ipid', 64, { nullable: true }),
          c.asciiKey('status', 16),
          c.string('status_message', 1024),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
          c.string('submitted_by', 128, { exact: true }),
          c.string('queue', 128, { exact: true }),
          c.string('actor', 128, { exact: true }),
          c.string('contract', 128, { exact: true }),
          c.string('contract_type', 16, { exact: true }),
          c.string('contract_action', 128, { exact: true }),
          c.string('contract_action_trigger', 32, { exact: true }),
          c.asciiKey('workflow_instance_id', 36),
          c.bigint('workflow_template_id'),
          c.string('workflow_template_name', 128, { exact: true }),
          c.bigint('workflow_template_revision'),
          c.string('workflow_template_description', 1024),
          c.asciiKey('dfiid', 36),
          c.string('lcid', 128, { exact: true }),
          c.json('user_attrs'),
          c.string('ext_ipid', 64, { nullable: true, exact: true }),
          c.json('action_variables'),
          c.integer('priority'),
          c.integer('attempts'),
          c.integer('max_attempts'),
          c.integer('timeout_seconds', { nullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'UQ_jobs_ipid', columnNames: ['ipid'], isUnique: true }),
          // The list's common filters and sorts, each ending in id for keyset paging (docs/architecture.md).
          new TableIndex({ name: 'IDX_jobs_status_id', columnNames: ['status', 'id'] }),
          new TableIndex({ name: 'IDX_jobs_contract_id', columnNames: ['contract', 'id'] }),
          new TableIndex({ name: 'IDX_jobs_submitted_by_id', columnNames: ['submitted_by', 'id'] }),
          new TableIndex({ name: 'IDX_jobs_queue_id', columnNames: ['queue', 'id'] }),
          new TableIndex({ name: 'IDX_jobs_created_at_id', columnNames: ['created_at', 'id'] }),
          new TableIndex({ name: 'IDX_jobs_updated_at_id', columnNames: ['updated_at', 'id'] }),
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('jobs', true);
  }
}

import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { migrationColumns } from '../migration-columns';

/** Webhooks and their deliveries, fanned out from the job_events outbox (docs/webhooks.md, "The outbox"). */
export class CreateWebhooks1732301300000 implements MigrationInterface {
  name = 'CreateWebhooks1732301300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = migrationColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'webhooks',
        columns: [
          c.id(),
          c.string('url', 2048, { exact: true }),
          c.json('events'),
          c.json('contracts', { nullable: true }),
          c.string('description', 1024, { nullable: true }),
          c.asciiKey('secret', 64),
          c.timestamp('created_at'),
          c.string('created_by', 160),
          c.boolean('enabled', { default: true }),
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          c.bigId(),
          c.integer('webhook_id'),
          c.bigint('event_id'),
          c.asciiKey('event_type', 32),
          c.bigint('job_id'),
          c.json('body'),
          c.asciiKey('status', 16),
          { ...c.integer('attempts'), default: 0 },
          c.timestamp('next_attempt_at'),
          c.integer('last_status_code', { nullable: true }),
          c.string('last_error', 512, { nullable: true }),
          c.timestamp('created_at'),
          c.timestamp('delivered_at', { nullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_webhook_deliveries_claim', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'IDX_webhook_deliveries_webhook', columnNames: ['webhook_id', 'id'] }),
          new TableIndex({ name: 'UQ_webhook_deliveries_event', columnNames: ['event_id', 'webhook_id'], isUnique: true }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_webhook_deliveries_webhook',
            columnNames: ['webhook_id'],
            referencedTableName: 'webhooks',
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
    await queryRunner.dropTable('webhook_deliveries', true);
    await queryRunner.dropTable('webhooks', true);
  }
}

import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { migrationColumns } from '../migration-columns';

export class CreateContractsAndActions1732300100000 implements MigrationInterface {
  name = 'CreateContractsAndActions1732300100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = migrationColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'contracts',
        columns: [
          c.id(),
          c.string('name', 128, { exact: true }),
          c.string('type', 16),
          c.string('actor', 128, { exact: true }),
          c.string('description', 1024, { nullable: true }),
          c.boolean('enabled'),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [new TableIndex({ name: 'UQ_contracts_name', columnNames: ['name'], isUnique: true })],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'actions',
        columns: [
          c.id(),
          c.integer('contract_id'),
          c.string('name', 128, { exact: true }),
          c.string('trigger', 32),
          c.string('queue', 128, { exact: true }),
          c.json('workflow_template'),
          c.json('variables'),
          c.json('allowed_roles'),
          c.integer('max_attempts'),
          c.integer('timeout_seconds', { nullable: true }),
          c.integer('priority'),
          c.boolean('enabled'),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_actions_contract_name', columnNames: ['contract_id', 'name'], isUnique: true }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_actions_contract',
            columnNames: ['contract_id'],
            referencedTableName: 'contracts',
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
    await queryRunner.dropTable('actions', true);
    await queryRunner.dropTable('contracts', true);
  }
}

import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { migrationColumns } from '../migration-columns';

/** Small values every instance must agree on, such as the generated paging-cursor key. */
export class CreateGatewaySettings1732300200000 implements MigrationInterface {
  name = 'CreateGatewaySettings1732300200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = migrationColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'gateway_settings',
        columns: [{ ...c.asciiKey('name', 64), isPrimary: true }, c.asciiKey('value', 255)],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('gateway_settings', true);
  }
}

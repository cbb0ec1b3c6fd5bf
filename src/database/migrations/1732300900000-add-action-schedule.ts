import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { migrationColumns } from '../migration-columns';

/** A TIME action's schedule (cron, timezone, variables, missed-fire policy); null for other triggers. */
export class AddActionSchedule1732300900000 implements MigrationInterface {
  name = 'AddActionSchedule1732300900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('actions', new TableColumn(migrationColumns(queryRunner).json('schedule', { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('actions', 'schedule');
  }
}

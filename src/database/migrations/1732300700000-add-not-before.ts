import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { migrationColumns } from '../migration-columns';

/** A delayed job's `notBefore`: not claimable before it, through suspend, resume and restart (docs/api.md, "Jobs"). */
export class AddNotBefore1732300700000 implements MigrationInterface {
  name = 'AddNotBefore1732300700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('jobs', new TableColumn(migrationColumns(queryRunner).timestamp('not_before', { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('jobs', 'not_before');
  }
}

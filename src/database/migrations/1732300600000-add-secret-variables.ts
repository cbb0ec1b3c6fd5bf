import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { migrationColumns } from '../migration-columns';

/** The names of a job's secret variables, masked in every answer but the claim (docs/contracts.md, "Secret variables"). */
export class AddSecretVariables1732300600000 implements MigrationInterface {
  name = 'AddSecretVariables1732300600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('jobs', new TableColumn(migrationColumns(queryRunner).json('secret_variables', { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('jobs', 'secret_variables');
  }
}

import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Retention finds finished jobs by the time they finished (docs/operations.md, "Retention"). */
export class AddRetentionIndex1732300500000 implements MigrationInterface {
  name = 'AddRetentionIndex1732300500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('jobs', new TableIndex({ name: 'IDX_jobs_finished_at_id', columnNames: ['finished_at', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('jobs', 'IDX_jobs_finished_at_id');
  }
}

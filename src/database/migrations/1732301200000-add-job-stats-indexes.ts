import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Per-minute stats read these alone, never the rows: at 1M jobs a row lookup per job took seconds (docs/architecture.md, "Listing: keyset paging and indexes"). */
export class AddJobStatsIndexes1732301200000 implements MigrationInterface {
  name = 'AddJobStatsIndexes1732301200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('jobs', new TableIndex({ name: 'IDX_jobs_finished_stats', columnNames: ['finished_at', 'status', 'submitted_by'] }));
    await queryRunner.createIndex('jobs', new TableIndex({ name: 'IDX_jobs_submitted_by_created_at', columnNames: ['submitted_by', 'created_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('jobs', 'IDX_jobs_submitted_by_created_at');
    await queryRunner.dropIndex('jobs', 'IDX_jobs_finished_stats');
  }
}

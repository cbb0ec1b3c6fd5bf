import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Facets of a caller without JOBS_ALL (always filtered by submitter) read this index alone, not each row (docs/api.md, "Listing jobs"). */
export class AddFacetsIndex1732301000000 implements MigrationInterface {
  name = 'AddFacetsIndex1732301000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'jobs',
      new TableIndex({ name: 'IDX_jobs_submitted_by_facets', columnNames: ['submitted_by', 'status', 'queue', 'contract'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('jobs', 'IDX_jobs_submitted_by_facets');
  }
}

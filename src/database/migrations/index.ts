import type { MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list works from the
 * TypeScript sources in tests and from dist/ in production.
 */
export const MIGRATIONS: MigrationClass[] = [];

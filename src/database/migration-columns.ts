import type { QueryRunner, TableColumnOptions } from 'typeorm';
import { isMysqlFamily } from './create-data-source';

/**
 * Portable column definitions for migrations, the counterparts of database/columns.ts. Dialect
 * differences live here and nowhere else: on MySQL/MariaDB, identifiers that are matched exactly
 * get a binary collation, because the default collations ignore case and trailing spaces.
 */
export function migrationColumns(queryRunner: QueryRunner) {
  const mysql = isMysqlFamily(queryRunner.connection.options.type);
  return {
    id: (name = 'id'): TableColumnOptions => ({
      name,
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    /** A 64-bit auto-increment key: BIGINT on MySQL; on SQLite only INTEGER may autoincrement (and is 64-bit). */
    bigId: (name = 'id'): TableColumnOptions => ({
      name,
      type: mysql ? 'bigint' : 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    string: (name: string, length: number, options: { nullable?: boolean; exact?: boolean } = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: options.nullable ?? false,
      ...(mysql && options.exact ? { collation: 'utf8mb4_bin' } : {}),
    }),
    asciiKey: (name: string, length: number, options: { nullable?: boolean } = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: options.nullable ?? false,
      ...(mysql ? { charset: 'ascii', collation: 'ascii_bin' } : {}),
    }),
    boolean: (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: false }),
    integer: (name: string, options: { nullable?: boolean } = {}): TableColumnOptions => ({
      name,
      type: 'integer',
      isNullable: options.nullable ?? false,
    }),
    timestamp: (name: string, options: { nullable?: boolean } = {}): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: 3,
      isNullable: options.nullable ?? false,
    }),
    json: (name: string, options: { nullable?: boolean } = {}): TableColumnOptions => ({
      name,
      type: 'text',
      isNullable: options.nullable ?? false,
    }),
  };
}

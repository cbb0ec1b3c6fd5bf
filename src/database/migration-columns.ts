import type { QueryRunner, TableColumnOptions } from 'typeorm';
import { isMysqlFamily } from './create-data-source';

/** Portable column definitions for migrations; exact-match values get binary NO PAD collations (docs/architecture.md, "Database"). */
export function migrationColumns(queryRunner: QueryRunner) {
  const type = queryRunner.connection.options.type;
  const mysql = isMysqlFamily(type);
  const exactCollation = type === 'mariadb' ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
  // MySQL has no NO PAD collation for ascii; its keys here (hashes, UUIDs, enums) never end in spaces.
  const asciiCollation = type === 'mariadb' ? 'ascii_nopad_bin' : 'ascii_bin';
  return {
    id: (name = 'id'): TableColumnOptions => ({
      name,
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
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
      ...(mysql && options.exact ? { collation: exactCollation } : {}),
    }),
    asciiKey: (name: string, length: number, options: { nullable?: boolean } = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: options.nullable ?? false,
      ...(mysql ? { charset: 'ascii', collation: asciiCollation } : {}),
    }),
    boolean: (name: string, options: { default?: boolean } = {}): TableColumnOptions => ({
      name,
      type: 'boolean',
      isNullable: false,
      // SQLite has no booleans: spell the default as the 0/1 TypeORM compares the entity against.
      ...(options.default === undefined ? {} : { default: mysql ? options.default : Number(options.default) }),
    }),
    integer: (name: string, options: { nullable?: boolean } = {}): TableColumnOptions => ({
      name,
      type: 'integer',
      isNullable: options.nullable ?? false,
    }),
    bigint: (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false }),
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

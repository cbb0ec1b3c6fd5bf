import { Column, ColumnOptions } from 'typeorm';

/**
 * Column shapes that mean the same on SQLite and MySQL/MariaDB. Migrations declare the same types
 * (see migration-columns.ts); the schema test fails when the two disagree.
 */
export function TimestampColumn(name: string, options: Pick<ColumnOptions, 'nullable'> = {}) {
  return Column({ name, type: 'datetime', precision: 3, nullable: options.nullable ?? false });
}

export function JsonColumn(name: string, options: Pick<ColumnOptions, 'nullable'> = {}) {
  return Column({ name, type: 'simple-json', nullable: options.nullable ?? false });
}

import { Column, ColumnOptions } from 'typeorm';

/** Column shapes that mean the same on both dialects; migration-columns.ts declares the same. */
export function TimestampColumn(name: string, options: Pick<ColumnOptions, 'nullable'> = {}) {
  return Column({ name, type: 'datetime', precision: 3, nullable: options.nullable ?? false });
}

export function JsonColumn(name: string, options: Pick<ColumnOptions, 'nullable'> = {}) {
  return Column({ name, type: 'simple-json', nullable: options.nullable ?? false });
}

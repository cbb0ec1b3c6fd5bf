import { DataSource, DataSourceOptions } from 'typeorm';

export function isMysqlFamily(type: DataSourceOptions['type']): boolean {
  return type === 'mysql' || type === 'mariadb';
}

/**
 * Connects, and tells MariaDB from MySQL by asking the server: TypeORM reads MariaDB's schema
 * metadata (quoted defaults, `NULL` as text) correctly only when its type says "mariadb", and
 * operators should not have to know that when writing `mysql://` in DATABASE_URL.
 */
export async function createDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  if (options.type === 'better-sqlite3') {
    useSqliteIntegerKeys(dataSource);
    return dataSource;
  }
  if (options.type !== 'mysql') return dataSource;
  const [row] = (await dataSource.query('SELECT VERSION() AS version')) as { version: string }[];
  if (!/mariadb/i.test(row?.version ?? '')) return dataSource;
  await dataSource.destroy();
  return new DataSource({ ...options, type: 'mariadb' }).initialize();
}

/**
 * Entities declare 64-bit keys as `bigint`, which SQLite cannot autoincrement; its INTEGER is
 * 64-bit already. The migrations create INTEGER there (migration-columns.ts `bigId`), and this
 * aligns the entity metadata with it, so the schema check compares like with like.
 */
function useSqliteIntegerKeys(dataSource: DataSource) {
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) {
      if (column.type === 'bigint' && column.isGenerated) column.type = 'integer';
    }
  }
}

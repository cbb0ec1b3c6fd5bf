import { DataSource, DataSourceOptions } from 'typeorm';

export function isMysqlFamily(type: DataSourceOptions['type']): boolean {
  return type === 'mysql' || type === 'mariadb';
}

/** Connects; `mysql://` on a MariaDB server becomes type "mariadb", which TypeORM needs to read its schema right. */
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

/** SQLite autoincrements only INTEGER: align `bigint` keys' TypeORM 1.1 metadata (pinned) with migration-columns.ts. */
function useSqliteIntegerKeys(dataSource: DataSource) {
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) {
      if (column.type === 'bigint' && column.isGenerated) column.type = 'integer';
    }
  }
}

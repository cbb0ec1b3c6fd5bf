import type { DataSource } from 'typeorm';

export interface PoolStats {
  name: string;
  open: number;
  idle: number;
  waiting: number;
  max: number;
}

// mysql2 has no public statistics API: these private fields are pinned with mysql2's exact version (package.json).
interface Mysql2Pool {
  config?: { connectionLimit?: number };
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

export function mysqlPoolStats(dataSource: DataSource): PoolStats[] {
  const driver = dataSource.driver as unknown as {
    pool?: Mysql2Pool;
    poolCluster?: { _nodes?: Record<string, { pool: Mysql2Pool }> };
  };
  const pools: [string, Mysql2Pool][] = driver.poolCluster
    ? Object.entries(driver.poolCluster._nodes ?? {}).map(([id, node]) => [
        id === 'MASTER' ? 'primary' : id.replace(/^SLAVE/, 'replica'),
        node.pool,
      ])
    : driver.pool
      ? [['primary', driver.pool]]
      : [];
  return pools.map(([name, pool]) => ({
    name,
    open: pool._allConnections?.length ?? 0,
    idle: pool._freeConnections?.length ?? 0,
    waiting: pool._connectionQueue?.length ?? 0,
    max: pool.config?.connectionLimit ?? 0,
  }));
}

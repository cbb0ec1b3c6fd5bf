import { createConnection } from 'mysql2/promise';

/** One statement on its own connection: the suite's view of the database, independent of any gateway. */
export async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const connection = await createConnection({ uri: url, connectTimeout: 5000 });
  try {
    const [rows] = await connection.query(sql, values);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

/** extIPID → the ids of the jobs stored under it (exactly one each, if all is well), for keys starting with `prefix`. */
export async function jobsByExtIpid(url: string, prefix: string): Promise<Map<string, string[]>> {
  const rows = await query<{ ext_ipid: string; id: string | number }>(url, 'SELECT ext_ipid, id FROM jobs WHERE ext_ipid LIKE ?', [`${prefix}%`]);
  const byKey = new Map<string, string[]>();
  for (const row of rows) byKey.set(row.ext_ipid, [...(byKey.get(row.ext_ipid) ?? []), String(row.id)]);
  return byKey;
}

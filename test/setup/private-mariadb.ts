import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

/** Tests that stop, kill or replicate a server need one of their own: never the shared one. */
export const canRunPrivateMariaDb = existsSync(MARIADBD) && existsSync(INSTALL_DB);

export interface PrivateMariaDbOptions {
  /** Distinct per server of a replication setup. */
  serverId?: number;
  /** Write a binary log, as a replication primary must. */
  binaryLog?: boolean;
  extraArgs?: string[];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * A MariaDB server of the test's own, on a free loopback port with its data in a temp folder
 * (root, empty password, database `test`). It can be stopped, killed and started again on the
 * same port and data, which is what outage, crash and replication tests need.
 */
export class PrivateMariaDb {
  private process?: ChildProcess;

  private constructor(
    readonly folder: string,
    readonly port: number,
    private readonly options: PrivateMariaDbOptions,
  ) {}

  static async create(options: PrivateMariaDbOptions = {}): Promise<PrivateMariaDb> {
    const folder = mkdtempSync(join(tmpdir(), 'gateway-mariadb-'));
    mkdirSync(join(folder, 'tmp'));
    await promisify(execFile)(INSTALL_DB, [
      '--no-defaults',
      `--datadir=${join(folder, 'data')}`,
      // mariadbd deletes every #sql* file in its tmpdir at start: a shared /tmp lets one server
      // delete another's temporary tables (seen as "Unknown table 'mysql.tmp_user_sys'").
      `--tmpdir=${join(folder, 'tmp')}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--user=root',
    ]);
    const server = new PrivateMariaDb(folder, await freePort(), options);
    await server.start();
    await server.query('CREATE DATABASE IF NOT EXISTS test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    return server;
  }

  /** mysql://root@127.0.0.1:<port>/<database> */
  url(database = 'test'): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { serverId, binaryLog, extraArgs = [] } = this.options;
    const errorLog = openSync(join(this.folder, 'error.log'), 'a');
    this.process = spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${join(this.folder, 'data')}`,
        `--tmpdir=${join(this.folder, 'tmp')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(this.folder, 'mariadb.sock')}`,
        `--pid-file=${join(this.folder, 'mariadb.pid')}`,
        '--user=root',
        '--innodb-buffer-pool-size=64M',
        '--skip-name-resolve=0',
        ...(serverId === undefined ? [] : [`--server-id=${serverId}`]),
        ...(binaryLog ? [`--log-bin=${join(this.folder, 'binlog')}`, '--binlog-format=ROW'] : []),
        ...extraArgs,
      ],
      { stdio: ['ignore', errorLog, errorLog] },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (!this.running) throw new Error(`mariadbd exited at start; see ${join(this.folder, 'error.log')}`);
      try {
        await this.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(100);
      }
    }
  }

  /** A clean shutdown, as an operator's restart would do. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** A crash: no shutdown, InnoDB recovers at the next start. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.folder, { recursive: true, force: true });
  }

  async query<T = unknown>(sql: string, values: unknown[] = []): Promise<T> {
    const connection = await createConnection({ uri: this.url(''), connectTimeout: 1000 });
    try {
      const [rows] = await connection.query(sql, values);
      return rows as T;
    } finally {
      await connection.end();
    }
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}

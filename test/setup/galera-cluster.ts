import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort } from './private-mariadb';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';
const GALERA = '/usr/lib/galera/libgalera_smm.so';
const RSYNC = '/usr/bin/rsync';

/** Every binary a loopback Galera cluster needs (Debian: mariadb-server galera-4 rsync). */
export const missingGaleraBinaries = [MARIADBD, INSTALL_DB, GALERA, RSYNC].filter((file) => !existsSync(file));
export const canRunGalera = missingGaleraBinaries.length === 0;

/** rsync SST fails as root (docs/galera.md, "Settings the cluster needs"): nodes run as `mysql` when we are root. */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('mysql:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { name: 'mysql', uid: Number(uid), gid: Number(gid) };
}

export class GaleraNode {
  private process?: ChildProcess;

  constructor(
    readonly index: number,
    readonly folder: string,
    readonly port: number,
    readonly groupPort: number,
    readonly istPort: number,
    readonly sstPort: number,
    private readonly cluster: GaleraCluster,
  ) {}

  /** mysql://root@127.0.0.1:<port>/<database> */
  url(database = 'test'): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  /** Started once and not running any more. */
  get exited(): boolean {
    return this.process !== undefined && !this.running;
  }

  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  get errorLog(): string {
    return join(this.folder, 'error.log');
  }

  /** Starts the node; `bootstrap` only for the first start of the first node. */
  async start(bootstrap = false): Promise<void> {
    if (this.running) return;
    const user = this.cluster.user;
    const log = openSync(this.errorLog, 'a');
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
        `--user=${user?.name ?? userInfo().username}`,
        '--innodb-buffer-pool-size=64M',
        '--innodb-log-file-size=16M',
        '--skip-name-resolve=0',
        '--binlog-format=ROW',
        '--default-storage-engine=InnoDB',
        '--innodb-autoinc-lock-mode=2',
        '--wsrep-on=ON',
        `--wsrep-provider=${GALERA}`,
        '--wsrep-cluster-name=gateway-test',
        `--wsrep-node-name=node${this.index + 1}`,
        '--wsrep-node-address=127.0.0.1',
        `--wsrep-cluster-address=gcomm://${this.cluster.nodes.map((node) => `127.0.0.1:${node.groupPort}`).join(',')}`,
        `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${this.groupPort};ist.recv_addr=127.0.0.1:${this.istPort};gcache.size=64M`,
        '--wsrep-sst-method=rsync',
        `--wsrep-sst-receive-address=127.0.0.1:${this.sstPort}`,
        ...(bootstrap ? ['--wsrep-new-cluster'] : []),
      ],
      { stdio: ['ignore', log, log] },
    );
    await this.waitUntilReady();
  }

  /** Up, synced and in the primary component: `wsrep_ready=ON`, `wsrep_local_state_comment=Synced`. */
  async waitUntilReady(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exited) throw new Error(`node ${this.index + 1} exited; see ${this.errorLog}`);
      try {
        const status = await this.status();
        if (status.wsrep_ready === 'ON' && status.wsrep_local_state_comment === 'Synced') return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`node ${this.index + 1} not synced within ${timeoutMs} ms; see ${this.errorLog}`);
      await sleep(200);
    }
  }

  async status(): Promise<Record<string, string>> {
    const rows = await this.query<{ Variable_name: string; Value: string }[]>("SHOW GLOBAL STATUS LIKE 'wsrep_%'");
    return Object.fromEntries(rows.map((row) => [row.Variable_name, row.Value]));
  }

  /** A crash: no shutdown; at the next start the node recovers and rejoins by IST or SST. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** `causal`: wait until the node has applied every write committed anywhere before the read. */
  async query<T = unknown>(sql: string, values: unknown[] = [], options: { causal?: boolean } = {}): Promise<T> {
    const connection = await createConnection({ uri: this.url(''), connectTimeout: 1000 });
    try {
      if (options.causal) await connection.query('SET SESSION wsrep_sync_wait = 1');
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

/** The last lines of a log file. */
function tail(file: string, lines = 15): string {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * A 3-node MariaDB Galera cluster of the test's own on loopback: each node its own folder and
 * SQL, group, IST and SST ports; rsync state transfer; root with no password; database `test`.
 */
export class GaleraCluster {
  readonly nodes: GaleraNode[] = [];
  readonly user = serverUser();

  private constructor(readonly folder: string) {}

  /** A second try on fresh ports when the first fails: a port taken between its probe and the node's bind kills the node. */
  static async start(size = 3): Promise<GaleraCluster> {
    try {
      return await GaleraCluster.startOnce(size);
    } catch (error) {
      console.error(`galera: cluster start failed, trying once more on other ports: ${String(error)}`);
      return GaleraCluster.startOnce(size);
    }
  }

  private static async startOnce(size: number): Promise<GaleraCluster> {
    if (!canRunGalera) throw new Error(`Galera cannot run here: missing ${missingGaleraBinaries.join(', ')}`);
    const cluster = new GaleraCluster(mkdtempSync(join(tmpdir(), 'gateway-galera-')));
    try {
      chmodSync(cluster.folder, 0o755);
      const ports = new Set<number>();
      // Every node needs four ports of its own; a probe may hand out one an earlier probe returned.
      while (ports.size < size * 4) ports.add(await freePort());
      const all = [...ports];
      for (let index = 0; index < size; index++) {
        const folder = join(cluster.folder, `node${index + 1}`);
        const [sql, group, ist, sst] = all.slice(index * 4, index * 4 + 4);
        cluster.nodes.push(new GaleraNode(index, folder, sql, group, ist, sst, cluster));
      }
      await Promise.all(cluster.nodes.map((node) => cluster.install(node.folder)));
      await cluster.nodes[0].start(true);
      // One joiner at a time: a donor serves one state transfer at once.
      for (const node of cluster.nodes.slice(1)) await node.start();
      await cluster.waitForSize(size);
      await cluster.nodes[0].query('CREATE DATABASE IF NOT EXISTS test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
      return cluster;
    } catch (error) {
      // The folders go with destroy(): keep the end of each failed node's log in the error.
      const logs = cluster.nodes.filter((node) => node.exited && existsSync(node.errorLog)).map((node) => `node ${node.index + 1}: ${tail(node.errorLog)}`);
      await cluster.destroy();
      throw logs.length > 0 ? new Error(`${String(error)}\n${logs.join('\n')}`) : error;
    }
  }

  urls(database = 'test'): string[] {
    return this.nodes.map((node) => node.url(database));
  }

  async waitForSize(size: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sizes = await Promise.all(
        this.nodes.filter((node) => node.running).map((node) => node.status().then((s) => s.wsrep_cluster_size, () => '?')),
      );
      if (sizes.length === size && sizes.every((value) => value === String(size))) return;
      if (Date.now() > deadline) throw new Error(`cluster size is ${sizes.join('/')} after ${timeoutMs} ms, expected ${size}`);
      await sleep(200);
    }
  }

  /** Kills every node and removes the folders; safe to call twice and after a failed start. */
  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
    rmSync(this.folder, { recursive: true, force: true });
  }

  private async install(folder: string): Promise<void> {
    for (const sub of ['', 'data', 'tmp']) {
      mkdirSync(join(folder, sub), { recursive: true });
      if (this.user) chownSync(join(folder, sub), this.user.uid, this.user.gid);
    }
    await promisify(execFile)(INSTALL_DB, [
      '--no-defaults',
      `--datadir=${join(folder, 'data')}`,
      `--tmpdir=${join(folder, 'tmp')}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      `--user=${this.user?.name ?? userInfo().username}`,
    ]);
  }
}

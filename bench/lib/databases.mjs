// Scratch databases for one bench run: created under a random name, dropped at the end. Only the
// names this module created are ever dropped.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

export class ScratchDatabases {
  #admin;
  #adminUrl;
  #created = [];
  #sqliteDir = null;

  constructor(adminUrl) {
    this.#adminUrl = new URL(adminUrl);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(this.#adminUrl.hostname)) {
      throw new Error(`the bench runs against a loopback MariaDB only, not ${this.#adminUrl.hostname}`);
    }
    this.runId = randomBytes(4).toString('hex');
  }

  async connect() {
    this.#admin = await mysql.createConnection({ uri: this.#adminUrl.href, multipleStatements: false });
    const [[{ version }]] = await this.#admin.query('SELECT VERSION() AS version');
    return version;
  }

  /** A fresh MariaDB database `gw_bench_<run>_<suffix>`; answers its URL. */
  async mysql(suffix) {
    const name = `gw_bench_${this.runId}_${suffix}`;
    await this.#admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    this.#created.push(name);
    const url = new URL(this.#adminUrl);
    url.pathname = `/${name}`;
    return { name, url: url.href };
  }

  /** A fresh SQLite file in a temporary folder removed at the end. */
  sqlite(suffix) {
    this.#sqliteDir ??= mkdtempSync(join(tmpdir(), 'gw-bench-'));
    return `sqlite:${join(this.#sqliteDir, `${suffix}.sqlite`)}`;
  }

  /** A pooled connection to one of our databases, for seeding and direct SQL timings. */
  pool(databaseUrl, connectionLimit = 4) {
    return mysql.createPool({ uri: databaseUrl, connectionLimit, timezone: 'Z', supportBigNumbers: true, bigNumberStrings: true });
  }

  async dropAll() {
    for (const name of this.#created.splice(0)) {
      await this.#admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
    if (this.#sqliteDir) rmSync(this.#sqliteDir, { recursive: true, force: true });
    await this.#admin?.end();
  }
}

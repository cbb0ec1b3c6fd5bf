import { connect, type Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { createConnection } from 'mysql2/promise';
import { type AfterQueryEvent, type EntitySubscriberInterface, EventSubscriber } from 'typeorm';
import { isNodeNotReady } from './database-errors';

// How often a node marked down is asked again whether it serves.
const PROBE_INTERVAL_MS = 1000;

export interface DatabaseNode {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Host, port and credentials of one node's `mysql://` URL (app-config.ts has split the list). */
export function parseNodeUrl(value: string): DatabaseNode {
  const url = new URL(value);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/** Resolves when the node takes statements: it answers, and is not a Galera node outside the primary component. */
export async function probeNode(node: DatabaseNode, connectTimeout: number): Promise<void> {
  const connection = await createConnection({ host: node.host, port: node.port, user: node.user, password: node.password, connectTimeout });
  try {
    const [rows] = await connection.query("SHOW GLOBAL STATUS LIKE 'wsrep_ready'");
    if ((rows as { Value?: string }[])[0]?.Value === 'OFF') throw new Error('wsrep_ready=OFF');
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}

// mysql2 3.24.6 internals (pinned, as in pool-stats.ts): a connection's config names its pool, `_freeConnections` its idle ones.
interface Mysql2Config {
  host?: string;
  port?: number | string;
  enableKeepAlive?: boolean;
  keepAliveInitialDelay?: number;
  pool?: Mysql2Pool;
}
interface Mysql2Connection {
  stream?: unknown;
  destroy(): void;
}
interface Mysql2Pool {
  on(event: 'release', listener: (connection: Mysql2Connection) => void): unknown;
  _freeConnections?: { toArray(): Mysql2Connection[] };
}

interface NodeState {
  down: boolean;
  nextProbeAt: number;
  probing: boolean;
}

/**
 * Spreads one gateway's connections over the nodes of a multi-host DATABASE_URL: new connections go
 * to the first node not marked down, a node is marked down when a connect fails or it answers 1047,
 * and marked up again once a probe finds it serving (docs/galera.md, "Several nodes in DATABASE_URL").
 */
export class NodeFailover {
  readonly nodes: DatabaseNode[];
  private readonly states: NodeState[];
  private readonly nodeOfSocket = new WeakMap<object, number>();
  private readonly pools = new Set<Mysql2Pool>();
  private readonly logger = new Logger('Database');
  private current = 0;

  constructor(
    nodeUrls: string[],
    private readonly probe: (node: DatabaseNode) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    this.nodes = nodeUrls.map(parseNodeUrl);
    this.states = this.nodes.map(() => ({ down: false, nextProbeAt: 0, probing: false }));
  }

  /** The node new connections go to: the first one not marked down (the preferred one when all are). */
  pick(): number {
    this.probeDownNodes();
    const index = Math.max(0, this.bestNode());
    if (index !== this.current) {
      const move = index === 0 ? 'return to the preferred node' : `move to ${this.name(index)}, ${this.name(0)} being unavailable`;
      this.logger.warn(`new database connections ${move} (was ${this.name(this.current)})`);
      this.current = index;
    }
    return index;
  }

  markDown(index: number, reason: string): void {
    const state = this.states[index];
    if (state.down) return;
    state.down = true;
    state.nextProbeAt = this.now() + PROBE_INTERVAL_MS;
    this.logger.warn(`database node ${this.name(index)} unavailable (${reason}): avoided until it answers again`);
    // An idle connection to a node cut off from the cluster would still be handed out, and answer 1047.
    for (const pool of this.pools) {
      for (const connection of pool._freeConnections?.toArray() ?? []) {
        if (this.nodeOf(connection) === index) connection.destroy();
      }
    }
  }

  isDown(index: number): boolean {
    return this.states[index].down;
  }

  /** mysql2's `stream` option: opens each new connection's socket to the node `pick()` chooses. */
  readonly openStream = ({ config }: { config: Mysql2Config }): Socket => {
    this.watch(config.pool);
    // TypeORM hands `extra` to replica pools too: a connection not aimed at the first node keeps its own host.
    const aimed = config.host === this.nodes[0].host && Number(config.port ?? 3306) === this.nodes[0].port;
    const index = aimed ? this.pick() : -1;
    const target = index >= 0 ? this.nodes[index] : { host: config.host, port: Number(config.port ?? 3306) };
    const socket = connect(target.port, target.host);
    // What mysql2 does to the sockets it opens itself.
    socket.setNoDelay(true);
    if (config.enableKeepAlive) socket.once('connect', () => socket.setKeepAlive(true, config.keepAliveInitialDelay));
    if (index < 0) return socket;
    this.nodeOfSocket.set(socket, index);
    let connected = false;
    let reason = 'connect timeout';
    socket.once('connect', () => (connected = true));
    socket.once('error', (error: NodeJS.ErrnoException) => (reason = error.code ?? error.message));
    // mysql2 destroys the socket at DATABASE_CONNECT_TIMEOUT_MS: a close before 'connect' is a failed connect.
    socket.once('close', () => {
      if (!connected) this.markDown(index, reason);
    });
    return socket;
  };

  /** A TypeORM subscriber class: a connection answered 1047 is destroyed and its node marked down. */
  subscriber(): new () => EntitySubscriberInterface {
    const afterQuery = (event: AfterQueryEvent) => this.dropIfNotReady(event);
    @EventSubscriber()
    class NodeNotReadySubscriber implements EntitySubscriberInterface {
      afterQuery = afterQuery;
    }
    return NodeNotReadySubscriber;
  }

  /** At release, a connection to a node other than the best available one is closed, so the pool reopens on the best. */
  shouldClose(connection: Mysql2Connection): boolean {
    const index = this.nodeOf(connection);
    if (index === undefined) return false;
    this.probeDownNodes();
    const best = this.bestNode();
    return best >= 0 && index !== best;
  }

  private dropIfNotReady(event: AfterQueryEvent): void {
    if (event.success || !isNodeNotReady(event.error)) return;
    // TypeORM 1.1's MysqlQueryRunner keeps the mysql2 connection it holds as `databaseConnection`.
    const connection = (event.queryRunner as unknown as { databaseConnection?: Mysql2Connection }).databaseConnection;
    const index = connection ? this.nodeOf(connection) : undefined;
    if (!connection || index === undefined) return;
    this.markDown(index, 'wsrep not ready, 1047');
    connection.destroy();
  }

  private watch(pool: Mysql2Pool | undefined): void {
    if (!pool || this.pools.has(pool)) return;
    this.pools.add(pool);
    pool.on('release', (connection) => {
      if (this.shouldClose(connection)) connection.destroy();
    });
  }

  private nodeOf(connection: Mysql2Connection): number | undefined {
    return connection.stream && typeof connection.stream === 'object' ? this.nodeOfSocket.get(connection.stream) : undefined;
  }

  private bestNode(): number {
    return this.states.findIndex((state) => !state.down);
  }

  /** At most one probe per node and interval, started by connection traffic (no timer outlives the pool). */
  private probeDownNodes(): void {
    const now = this.now();
    this.states.forEach((state, index) => {
      if (!state.down || state.probing || now < state.nextProbeAt) return;
      state.probing = true;
      this.probe(this.nodes[index])
        .then(
          () => {
            state.down = false;
            this.logger.warn(`database node ${this.name(index)} answers again`);
          },
          () => undefined,
        )
        .finally(() => {
          state.probing = false;
          state.nextProbeAt = this.now() + PROBE_INTERVAL_MS;
        });
    });
  }

  private name(index: number): string {
    const node = this.nodes[index];
    return `${node.host}:${node.port}`;
  }
}

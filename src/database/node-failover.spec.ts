import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodeFailover, parseNodeUrl, type DatabaseNode } from './node-failover';

const URLS = ['mysql://gw:p%40ss@db-1:3306/gateway', 'mysql://gw:p%40ss@db-2:3307/gateway', 'mysql://gw:p%40ss@db-3/gateway'];

/** A failover on a hand-driven clock whose probes the test answers. */
function failoverWithProbes(urls = URLS) {
  const clock = { now: 0 };
  const probes: { node: DatabaseNode; answer: (up: boolean) => void }[] = [];
  const probe = (node: DatabaseNode) =>
    new Promise<void>((resolve, reject) => probes.push({ node, answer: (up) => (up ? resolve() : reject(new Error('down'))) }));
  return { failover: new NodeFailover(urls, probe, () => clock.now), clock, probes };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('parseNodeUrl', () => {
  it('reads host, port (3306 by default) and the decoded credentials', () => {
    expect(parseNodeUrl(URLS[0])).toEqual({ host: 'db-1', port: 3306, user: 'gw', password: 'p@ss' });
    expect(parseNodeUrl(URLS[2]).port).toBe(3306);
    expect(parseNodeUrl('mysql://gw@[::1]:3307/gateway').host).toBe('::1');
  });
});

describe('NodeFailover', () => {
  let warnings: string[];

  beforeEach(() => {
    warnings = [];
    vi.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prefers the nodes in the order listed, skipping those marked down', () => {
    const { failover } = failoverWithProbes();
    expect(failover.pick()).toBe(0);
    failover.markDown(0, 'ECONNREFUSED');
    expect(failover.pick()).toBe(1);
    failover.markDown(1, 'ECONNREFUSED');
    expect(failover.pick()).toBe(2);
  });

  it('tries the preferred node when every node is marked down', () => {
    const { failover } = failoverWithProbes();
    for (const index of [0, 1, 2]) failover.markDown(index, 'ECONNREFUSED');
    expect(failover.pick()).toBe(0);
  });

  it('marks a node up again only once a probe finds it serving, at most one probe per second', async () => {
    const { failover, clock, probes } = failoverWithProbes();
    failover.markDown(0, 'ECONNREFUSED');
    failover.pick();
    expect(probes).toHaveLength(0);
    clock.now = 1000;
    failover.pick();
    failover.pick();
    expect(probes.map((probe) => probe.node.host)).toEqual(['db-1']);
    probes[0].answer(false);
    await settle();
    expect(failover.pick()).toBe(1);
    clock.now = 2000;
    failover.pick();
    expect(probes).toHaveLength(2);
    probes[1].answer(true);
    await settle();
    expect(failover.isDown(0)).toBe(false);
    expect(failover.pick()).toBe(0);
    expect(warnings).toEqual([
      'database node db-1:3306 unavailable (ECONNREFUSED): avoided until it answers again',
      'new database connections move to db-2:3307, db-1:3306 being unavailable (was db-1:3306)',
      'database node db-1:3306 answers again',
      'new database connections return to the preferred node (was db-2:3307)',
    ]);
  });

  it('closes, at release, connections to a node other than the best available one', async () => {
    const nodes = await listeningNodes(2);
    const { failover } = failoverWithProbes(nodes.urls);
    const first = failover.openStream({ config: { host: '127.0.0.1', port: nodes.ports[0] } });
    await once(first, 'connect');
    expect(failover.shouldClose({ stream: first, destroy: () => undefined })).toBe(false);
    failover.markDown(0, 'test');
    expect(failover.shouldClose({ stream: first, destroy: () => undefined })).toBe(true);
    const second = failover.openStream({ config: { host: '127.0.0.1', port: nodes.ports[0] } });
    await once(second, 'connect');
    expect(second.remotePort).toBe(nodes.ports[1]);
    expect(failover.shouldClose({ stream: second, destroy: () => undefined })).toBe(false);
    first.destroy();
    second.destroy();
  });

  it('closes the idle connections to a node when it is marked down', async () => {
    const nodes = await listeningNodes(2);
    const { failover } = failoverWithProbes(nodes.urls);
    const idle: { stream?: unknown; destroyed: boolean; destroy(): void }[] = [];
    const pool = { on: () => pool, _freeConnections: { toArray: () => idle } };
    const streams = [failover.openStream({ config: { host: '127.0.0.1', port: nodes.ports[0], pool } })];
    failover.markDown(0, 'test');
    streams.push(failover.openStream({ config: { host: '127.0.0.1', port: nodes.ports[0], pool } }));
    for (const stream of streams) idle.push({ stream, destroyed: false, destroy() { this.destroyed = true; } });
    failover.markDown(1, 'test');
    expect(idle.map((connection) => connection.destroyed)).toEqual([false, true]);
    for (const stream of streams) stream.destroy();
  });

  it('marks a node down when its connect fails, and sends the next connection to the next node', async () => {
    const nodes = await listeningNodes(2);
    await closeServer(nodes.servers[0]);
    const { failover } = failoverWithProbes(nodes.urls);
    const refused = failover.openStream({ config: { host: '127.0.0.1', port: nodes.ports[0] } });
    refused.on('error', () => undefined);
    await new Promise((resolve) => refused.once('close', resolve));
    expect(failover.isDown(0)).toBe(true);
    const next = failover.openStream({ config: { host: '127.0.0.1', port: nodes.ports[0] } });
    await once(next, 'connect');
    expect(next.remotePort).toBe(nodes.ports[1]);
    next.destroy();
  });

  it('leaves connections aimed elsewhere (replica pools share `extra`) on their own host', async () => {
    const nodes = await listeningNodes(2);
    const { failover } = failoverWithProbes([nodes.urls[0], 'mysql://gw@db-2/gateway']);
    const replica = failover.openStream({ config: { host: '127.0.0.1', port: nodes.ports[1] } });
    await once(replica, 'connect');
    expect(replica.remotePort).toBe(nodes.ports[1]);
    expect(failover.shouldClose({ stream: replica, destroy: () => undefined })).toBe(false);
    replica.destroy();
  });

  it('destroys a connection that answered 1047 and marks its node down', async () => {
    const nodes = await listeningNodes(1);
    const { failover } = failoverWithProbes([nodes.urls[0], 'mysql://gw@db-2/gateway']);
    const stream = failover.openStream({ config: { host: '127.0.0.1', port: nodes.ports[0] } });
    await once(stream, 'connect');
    let destroyed = false;
    const databaseConnection = { stream, destroy: () => (destroyed = true) };
    const subscriber = new (failover.subscriber())();
    const error = new QueryFailedError('SELECT 1', [], Object.assign(new Error('WSREP has not yet prepared node'), { errno: 1047 }));
    const event = { success: false, error, queryRunner: { databaseConnection } } as never;
    subscriber.afterQuery?.({ ...(event as object), success: true } as never);
    expect(destroyed).toBe(false);
    subscriber.afterQuery?.(event);
    expect(destroyed).toBe(true);
    expect(failover.isDown(0)).toBe(true);
    stream.destroy();
  });
});

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

/** Loopback TCP servers standing in for database nodes: only the connect matters here. */
async function listeningNodes(count: number): Promise<{ servers: Server[]; ports: number[]; urls: string[] }> {
  const started = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer((socket) => socket.on('error', () => undefined));
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      servers.push(server);
      return server;
    }),
  );
  const ports = started.map((server) => (server.address() as AddressInfo).port);
  return { servers: started, ports, urls: ports.map((port) => `mysql://gw@127.0.0.1:${port}/gateway`) };
}

/** Stops listening at once; accepted sockets are the tests' own to close. */
function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  const closed = once(server, 'close').then(() => undefined);
  server.close();
  return server.listening ? closed : Promise.resolve();
}

import { createConnection, createServer, Server, Socket } from 'node:net';

/** A TCP proxy that drops its first `cuts` connections once the answer starts: the gateway acted, the client never hears. */
export class CuttingProxy {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private remaining: number;
  port = 0;
  connections = 0;
  cut = 0;

  private constructor(targetPort: number, cuts: number) {
    this.remaining = cuts;
    this.server = createServer((client) => this.carry(client, createConnection(targetPort, '127.0.0.1')));
  }

  static async start(targetPort: number, cuts = 1): Promise<CuttingProxy> {
    const proxy = new CuttingProxy(targetPort, cuts);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    if (typeof address !== 'object' || !address) throw new Error('the proxy has no port');
    proxy.port = address.port;
    return proxy;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private carry(client: Socket, upstream: Socket): void {
    this.connections++;
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => [client, upstream].forEach((each) => each.destroy()));
    }
    client.pipe(upstream);
    if (this.remaining-- <= 0) {
      upstream.pipe(client);
      return;
    }
    upstream.once('data', () => {
      this.cut++;
      client.destroy();
      upstream.destroy();
    });
  }
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendWebhook } from './webhook-sender';

describe('sendWebhook', () => {
  let server: Server | undefined;
  const serve = async (handler: Parameters<typeof createServer>[1]) => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  };
  const options = { timeoutMs: 300, allowPrivateNetworks: true };

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('answers the status of a 2xx without an error, and names any other status', async () => {
    let status = 202;
    const url = await serve((_request, response) => response.writeHead(status).end());
    expect(await sendWebhook(url, {}, '{}', options)).toEqual({ statusCode: 202 });
    status = 500;
    expect(await sendWebhook(url, {}, '{}', options)).toEqual({ statusCode: 500, error: 'answered HTTP 500' });
  });

  it('gives up at the deadline when the receiver never answers', async () => {
    const url = await serve(() => undefined);
    const started = Date.now();
    expect(await sendWebhook(url, {}, '{}', options)).toEqual({ error: 'no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads a few KB of an endless answer, then drops it', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (response.write(chunk));
        response.once('drain', pump);
      };
      pump();
    });
    expect(await sendWebhook(url, {}, '{}', { ...options, timeoutMs: 5000 })).toEqual({ statusCode: 200 });
  });

  it('refuses private addresses unless allowed, before connecting', async () => {
    let requests = 0;
    const url = await serve((_request, response) => void (requests++, response.writeHead(204).end()));
    expect((await sendWebhook(url, {}, '{}', { ...options, allowPrivateNetworks: false })).error).toMatch(/^refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback address/);
    expect((await sendWebhook(url.replace('127.0.0.1', 'localhost'), {}, '{}', { ...options, allowPrivateNetworks: false })).error).toMatch(/^refused: localhost resolves to/);
    expect(requests).toBe(0);
  });

  it('stops an attempt when aborted, marked as such', async () => {
    const url = await serve(() => undefined);
    const controller = new AbortController();
    const sent = sendWebhook(url, {}, '{}', { ...options, timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await sent).toEqual({ error: 'aborted by shutdown', aborted: true });
  });
});

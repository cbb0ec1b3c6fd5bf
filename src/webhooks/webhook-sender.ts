import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { assertPublicHost, ipLiteral, publicOnlyLookup } from './webhook-address';

/** The receiver's answer is read up to this many bytes, then dropped: only its status matters. */
export const MAX_RESPONSE_BYTES = 4096;

export interface SendOptions {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  /** Aborts the attempt (shutdown): it resolves `{aborted: true}` and must not be recorded. */
  signal?: AbortSignal;
}

export interface SendResult {
  statusCode?: number;
  /** Why the attempt failed, for `lastError`; absent on a 2xx. */
  error?: string;
  aborted?: boolean;
}

/** One POST with a whole-request deadline, no redirects, and the address checked where it is connected to (docs/webhooks.md, "SSRF"). */
export async function sendWebhook(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<SendResult> {
  const target = new URL(url);
  try {
    // An IP literal is connected to without a lookup: check it here.
    if (!options.allowPrivateNetworks && ipLiteral(target.hostname)) await assertPublicHost(target.hostname);
  } catch (error) {
    return { error: `refused: ${(error as Error).message}` };
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', abort);
      outgoing.destroy();
      resolve(result);
    };
    const outgoing = request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'ghibli-job-gateway-webhooks' },
      agent: false,
      lookup: options.allowPrivateNetworks ? undefined : publicOnlyLookup,
    });
    const deadline = setTimeout(() => finish({ error: `no answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    const abort = () => finish({ error: 'aborted by shutdown', aborted: true });
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    outgoing.on('response', (response) => {
      const statusCode = response.statusCode ?? 0;
      const result = statusCode >= 200 && statusCode < 300 ? { statusCode } : { statusCode, error: `answered HTTP ${statusCode}` };
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= MAX_RESPONSE_BYTES) finish(result);
      });
      response.on('end', () => finish(result));
      response.on('error', () => finish(result));
    });
    outgoing.on('error', (error: Error) => {
      const refused = error.name === 'RefusedAddressError';
      finish({ error: `${refused ? 'refused' : 'request failed'}: ${error.message}` });
    });
    outgoing.end(body);
  });
}

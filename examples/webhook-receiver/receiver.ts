import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** What the gateway sends (docs/webhooks.md, "Payload"); `job` is the job as GET /job-manager/jobs/{id} shows it. */
export interface GatewayEvent {
  type: string;
  timestamp: string;
  data: { job: { id: string; status: string; contractName?: string; [field: string]: unknown } };
}

export interface ReceiverOptions {
  /** The `secret` of the POST /admin/webhooks answer (`whsec_…`). */
  secret: string;
  /** Called once per webhook-id: retries of a delivery the receiver already handled are acknowledged and skipped. */
  onEvent: (event: GatewayEvent, messageId: string) => void | Promise<void>;
  /** At most this many request bodies are read (default 1 MiB). */
  maxBodyBytes?: number;
}

function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** A server that verifies each request with standardwebhooks, answers 401 to unsigned ones and de-duplicates by webhook-id. */
export function createWebhookReceiver(options: ReceiverOptions): Server {
  const verifier = new Webhook(options.secret);
  // Remember handled ids for longer than the gateway retries (24 h by default); a database in production.
  const handled = new Set<string>();
  return createServer((request, response) => {
    const answer = async (): Promise<number> => {
      if (request.method !== 'POST') return 405;
      const body = await readBody(request, options.maxBodyBytes ?? 1024 * 1024);
      if (body === undefined) return 413;
      const headers = {
        'webhook-id': header(request, 'webhook-id'),
        'webhook-timestamp': header(request, 'webhook-timestamp'),
        'webhook-signature': header(request, 'webhook-signature'),
      };
      let event: GatewayEvent;
      try {
        // Verify the raw bytes before parsing: a parsed and re-serialised body would not match.
        event = verifier.verify(body, headers) as GatewayEvent;
      } catch (error) {
        if (error instanceof WebhookVerificationError) return 401;
        throw error;
      }
      if (!handled.has(headers['webhook-id'])) {
        await options.onEvent(event, headers['webhook-id']);
        handled.add(headers['webhook-id']);
      }
      return 204;
    };
    // Any answer but a 2xx makes the gateway retry later with the same webhook-id.
    answer().then(
      (status) => response.writeHead(status).end(),
      () => response.writeHead(500).end(),
    );
  });
}

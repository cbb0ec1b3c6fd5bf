import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';

// A caller-supplied id is echoed into headers and logs: keep it short and free of control characters.
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Fastify's genReqId: the caller's X-Correlation-Id when acceptable, otherwise a fresh UUID. */
export function correlationIdFor(request: IncomingMessage): string {
  const supplied = request.headers[CORRELATION_HEADER];
  const value = Array.isArray(supplied) ? supplied[0] : supplied;
  return value && ACCEPTABLE.test(value) ? value : randomUUID();
}

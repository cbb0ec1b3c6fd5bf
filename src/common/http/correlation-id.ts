import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';

// Echoed into headers and logs: short, no control characters (docs/api.md, "Correlation ids").
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function correlationIdFor(request: IncomingMessage): string {
  const supplied = request.headers[CORRELATION_HEADER];
  const value = Array.isArray(supplied) ? supplied[0] : supplied;
  return value && ACCEPTABLE.test(value) ? value : randomUUID();
}

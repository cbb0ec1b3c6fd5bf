import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../errors/domain-error';

const SIGNATURE_BYTES = 16;

/** base64url(JSON) + "." + truncated HMAC-SHA256, under a key every instance shares (docs/operations.md, "Scaling out"). */
export class CursorCodec {
  constructor(private readonly key: Buffer) {}

  encode(payload: unknown): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body).toString('base64url')}`;
  }

  decode<T>(cursor: string, isValid: (payload: unknown) => payload is T): T {
    const [body, signature, extra] = cursor.split('.');
    const presented = Buffer.from(signature ?? '', 'base64url');
    const expected = body ? this.sign(body) : Buffer.alloc(0);
    if (extra !== undefined || presented.length !== SIGNATURE_BYTES || !timingSafeEqual(presented, expected)) {
      throw invalidCursor();
    }
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    if (!isValid(payload)) throw invalidCursor();
    return payload;
  }

  private sign(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, SIGNATURE_BYTES);
  }
}

function invalidCursor() {
  return new DomainError('INVALID_CURSOR', 'The cursor is not one this server issued for this query.', {
    errors: [{ field: 'cursor', message: 'is invalid or was altered' }],
  });
}

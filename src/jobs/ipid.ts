import { createHash } from 'node:crypto';

/** SHA-256 over the JSON array (user, contract, action, extIPID): no two tuples share an encoding (docs/idempotency.md). */
export function computeIpid(user: string, contract: string, action: string, extIPID: string): string {
  return createHash('sha256').update(JSON.stringify([user, contract, action, extIPID]), 'utf8').digest('hex');
}

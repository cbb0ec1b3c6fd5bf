import { createHash } from 'node:crypto';

/**
 * IPID = SHA-256 over (user, contract, action, extIPID). The four parts are encoded as a JSON
 * array, so no two different tuples share an encoding: ("ab","c") and ("a","bc") differ, and a
 * separator character inside a part cannot shift the boundaries.
 */
export function computeIpid(user: string, contract: string, action: string, extIPID: string): string {
  return createHash('sha256').update(JSON.stringify([user, contract, action, extIPID]), 'utf8').digest('hex');
}

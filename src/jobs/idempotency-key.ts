import { DomainError } from '../common/errors/domain-error';
import { charCount, unsafeTextReason } from '../common/validation/safe-text';

/** The `Idempotency-Key` header as an extIPID: an sf-string per the IETF draft, or bare (docs/idempotency.md, "Idempotency-Key"). */
export function extIpidOf(bodyExtIpid: string | undefined, header: string | undefined): string | undefined {
  if (header === undefined) return bodyExtIpid;
  const key = header.length >= 2 && header.startsWith('"') && header.endsWith('"') ? header.slice(1, -1) : header;
  const problem = charCount(key) < 1 || charCount(key) > 64 ? 'must be 1 to 64 characters long' : unsafeTextReason(key);
  if (problem) {
    throw new DomainError('VALIDATION_FAILED', `The Idempotency-Key header ${problem}.`, { errors: [{ field: 'Idempotency-Key', message: problem }] });
  }
  if (bodyExtIpid !== undefined && bodyExtIpid !== key) {
    throw new DomainError('IDEMPOTENCY_KEY_CONFLICT', 'The Idempotency-Key header and the body\'s extIPID differ: send one, or the same value in both.');
  }
  return key;
}

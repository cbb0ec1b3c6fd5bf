// Driver errors by code, never by message text; TypeORM 1.1's QueryFailedError keeps the original under `driverError` (docs/architecture.md, "Errors").

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_QUERY_INTERRUPTED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'POOL_NONEONLINE',
  'POOL_NOEXIST',
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
]);

// A Galera node cut off from the primary component refuses statements (1047) and fails commits with 1180.
const UNAVAILABLE_ERRNOS = new Set([1040, 1047, 1053, 1180, 1205, 1213, 1317, 2002, 2003, 2006, 2013, 4031]);

interface DriverLikeError {
  code?: unknown;
  errno?: unknown;
  driverError?: unknown;
  cause?: unknown;
  name?: unknown;
  message?: unknown;
}

function* errorChain(error: unknown): Generator<DriverLikeError> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as DriverLikeError;
    yield candidate;
    if (Array.isArray((candidate as { errors?: unknown }).errors)) {
      for (const inner of (candidate as { errors: unknown[] }).errors) yield* errorChain(inner);
    }
    current = candidate.driverError ?? candidate.cause;
  }
}

/** True when the error means "the database cannot serve us right now": answer 503, retry later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of errorChain(error)) {
    if (typeof link.code === 'string' && UNAVAILABLE_CODES.has(link.code)) return true;
    if (typeof link.errno === 'number' && UNAVAILABLE_ERRNOS.has(link.errno)) return true;
    if (link.name === 'DatabaseUnavailableError') return true;
  }
  return false;
}

/** Deadlock, lock-wait timeout or Galera certification failure (all 1213/1205): retry the whole unit (docs/galera.md, "What the gateway does differently"). */
export function isRetryableConflict(error: unknown): boolean {
  for (const link of errorChain(error)) {
    if (link.errno === 1213 || link.errno === 1205) return true;
  }
  return false;
}

/** A Galera node outside the primary component answered (1047): its connection is useless until the node rejoins. */
export function isNodeNotReady(error: unknown): boolean {
  for (const link of errorChain(error)) {
    if (link.errno === 1047) return true;
  }
  return false;
}

/** True when the error is a UNIQUE/PRIMARY KEY violation, on MySQL/MariaDB or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  for (const link of errorChain(error)) {
    if (link.code === 'ER_DUP_ENTRY' || link.errno === 1062) return true;
    if (link.code === 'SQLITE_CONSTRAINT_UNIQUE' || link.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  }
  return false;
}

/** True when the error is a FOREIGN KEY violation (the parent row is gone), on MySQL/MariaDB or SQLite. */
export function isForeignKeyViolation(error: unknown): boolean {
  for (const link of errorChain(error)) {
    if (link.code === 'ER_NO_REFERENCED_ROW_2' || link.errno === 1452) return true;
    if (link.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return true;
  }
  return false;
}

/** Raised by our own guards (a timed-out ping, a pool that cannot hand out a connection). */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isNodeNotReady, isRetryableConflict, isUniqueViolation } from './database-errors';

function driverError(fields: Record<string, unknown>, message = 'driver says something') {
  return Object.assign(new Error(message), fields);
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['ECONNREFUSED'],
    ['PROTOCOL_CONNECTION_LOST'],
    ['ER_LOCK_DEADLOCK'],
    ['SQLITE_BUSY'],
  ])('recognises %s, also wrapped in a QueryFailedError', (code) => {
    const error = driverError({ code });
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], error))).toBe(true);
  });

  it('recognises MySQL errno 2013 (lost connection during query)', () => {
    expect(isDatabaseUnavailable(driverError({ errno: 2013 }))).toBe(true);
  });

  it('recognises a Galera node outside the primary component (1047, and 1180 at commit), also wrapped', () => {
    const error = new QueryFailedError('SELECT 1', [], driverError({ code: 'ER_UNKNOWN_COM_ERROR', errno: 1047 }));
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isNodeNotReady(error)).toBe(true);
    expect(isNodeNotReady(driverError({ code: 'ECONNREFUSED' }))).toBe(false);
    expect(isDatabaseUnavailable(driverError({ code: 'ER_ERROR_DURING_COMMIT', errno: 1180 }))).toBe(true);
  });

  it('does not treat other database errors as unavailability', () => {
    expect(isDatabaseUnavailable(driverError({ code: 'ER_PARSE_ERROR', errno: 1064 }))).toBe(false);
    expect(isDatabaseUnavailable(driverError({}, 'connection refused'))).toBe(false);
  });
});

describe('isUniqueViolation', () => {
  it('recognises MySQL/MariaDB ER_DUP_ENTRY by code or errno', () => {
    expect(isUniqueViolation(new QueryFailedError('INSERT', [], driverError({ code: 'ER_DUP_ENTRY' })))).toBe(true);
    expect(isUniqueViolation(driverError({ errno: 1062 }))).toBe(true);
  });

  it('recognises SQLite unique and primary-key constraint codes', () => {
    expect(isUniqueViolation(driverError({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(true);
    expect(isUniqueViolation(driverError({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }))).toBe(true);
  });

  it('never decides by message text', () => {
    expect(isUniqueViolation(driverError({ code: 'SQLITE_CONSTRAINT_NOTNULL' }, 'UNIQUE constraint failed'))).toBe(false);
    expect(isUniqueViolation(driverError({ code: 'ER_NO_REFERENCED_ROW_2' }, 'Duplicate entry'))).toBe(false);
  });
});

describe('isRetryableConflict', () => {
  it('recognises deadlocks and Galera certification failures (1213) and lock-wait timeouts (1205), also wrapped', () => {
    expect(isRetryableConflict(new QueryFailedError('COMMIT', [], driverError({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })))).toBe(true);
    expect(isRetryableConflict(driverError({ errno: 1205 }))).toBe(true);
  });

  it('leaves other errors, connection losses included, to the caller', () => {
    expect(isRetryableConflict(driverError({ errno: 1062 }))).toBe(false);
    expect(isRetryableConflict(driverError({ code: 'ECONNREFUSED' }, 'Deadlock found'))).toBe(false);
  });
});

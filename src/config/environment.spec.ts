import { describe, expect, it } from 'vitest';
import { AppConfig, parseDatabaseUrl, parseTrustProxy } from './app-config';
import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies the documented defaults when nothing is set', () => {
    const env = validateEnvironment({});
    expect(env.PORT).toBe(8080);
    expect(env.CONTEXT_PATH).toBe('/ghibli-rest/v2');
    expect(env.DATABASE_URL).toBe('sqlite:./data/gateway.sqlite');
    expect(env.BODY_LIMIT_BYTES).toBe(1024 * 1024);
    expect(env.DATABASE_MIGRATIONS_RUN).toBe(true);
    expect([env.RETENTION_DAYS, env.RETENTION_INTERVAL_MS, env.RETENTION_BATCH_SIZE]).toEqual([30, 60_000, 500]);
  });

  it('accepts RETENTION_DAYS=0 (keep forever)', () => {
    expect(validateEnvironment({ RETENTION_DAYS: '0' }).RETENTION_DAYS).toBe(0);
  });

  it('converts numbers and booleans from strings', () => {
    const env = validateEnvironment({ PORT: '9090', DATABASE_MIGRATIONS_RUN: 'false' });
    expect(env.PORT).toBe(9090);
    expect(env.DATABASE_MIGRATIONS_RUN).toBe(false);
  });

  it('treats empty values as unset', () => {
    expect(validateEnvironment({ PORT: '' }).PORT).toBe(8080);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['CONTEXT_PATH', 'ghibli/'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_MIGRATIONS_RUN', 'flase'],
    ['BODY_LIMIT_BYTES', '12'],
    ['RETENTION_DAYS', '-1'],
    ['RETENTION_DAYS', '30d'],
    ['RETENTION_BATCH_SIZE', '0'],
    ['AUTH_JWT_PRINCIPAL_PREFIX', 'jwt'],
    ['AUTH_JWT_PRINCIPAL_PREFIX', 'a:b:'],
    ['AUTH_FAILED_LOGINS_PER_USER', '-1'],
    ['AUTH_SCRYPT_CONCURRENCY', '0'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrowError(
      new RegExp(`^Invalid configuration: ${name}[^\\n]*got "${value}"`),
    );
  });
});

it('names a bad DATABASE_URL or secret without echoing its value', () => {
  expect(() => validateEnvironment({ DATABASE_URL: 'postgres://u:hunter2@db/x' })).toThrowError(
    /^Invalid configuration: DATABASE_URL must be sqlite:<file path> or mysql:.*\(got a value that is not shown\)$/,
  );
  expect(() => validateEnvironment({ AUTH_JWT_SECRET: 'short-secret' })).toThrowError(
    /^Invalid configuration: AUTH_JWT_SECRET must be at least 32 characters.*not shown/,
  );
});

describe('DATABASE_REPLICA_URLS', () => {
  const primary = 'mysql://gw@db-primary:3306/gateway';

  it('lists each replica as a normalized mysql:// URL', () => {
    const config = new AppConfig(
      validateEnvironment({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mysql://gw@db-r1/gateway, mariadb://gw@db-r2:3307/gateway' }),
    );
    expect(config.database.replicaUrls).toEqual(['mysql://gw@db-r1/gateway', 'mysql://gw@db-r2:3307/gateway']);
  });

  it('is empty when unset', () => {
    expect(new AppConfig(validateEnvironment({ DATABASE_URL: primary })).database.replicaUrls).toEqual([]);
  });

  it('refuses replicas of SQLite and malformed lists, without echoing the value', () => {
    expect(() => new AppConfig(validateEnvironment({ DATABASE_REPLICA_URLS: 'mysql://gw@r1/gateway' }))).toThrowError(
      /DATABASE_REPLICA_URLS needs a mysql:\/\/ DATABASE_URL/,
    );
    expect(() => validateEnvironment({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'mysql://u:secret@r1/x,,' })).toThrowError(
      /^Invalid configuration: DATABASE_REPLICA_URLS must be a comma-separated list.*not shown\)$/,
    );
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy when unset, a number of hops, or the listed addresses and ranges', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.0/8,127.0.0.1,fd00::/8')).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
  });

  it('refuses zero hops, names, bad addresses and bad ranges, naming the variable', () => {
    expect(() => parseTrustProxy('0')).toThrowError(/TRUST_PROXY must be at least 1 hop/);
    expect(() => parseTrustProxy('10.0.0.0/33,300.1.1.1')).toThrowError(/TRUST_PROXY has entries that are not addresses or CIDR ranges: 10.0.0.0\/33, 300.1.1.1/);
    expect(() => validateEnvironment({ TRUST_PROXY: 'loopback' })).toThrowError(/TRUST_PROXY must be a number of proxy hops/);
  });
});

describe('parseDatabaseUrl', () => {
  it('resolves a relative SQLite path against the working directory', () => {
    expect(parseDatabaseUrl('sqlite:./data/x.sqlite')).toEqual({
      dialect: 'sqlite',
      file: `${process.cwd()}/data/x.sqlite`,
    });
  });

  it('keeps the in-memory SQLite database', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', file: ':memory:' });
  });

  it('accepts mysql:// and mariadb:// and names the database', () => {
    expect(parseDatabaseUrl('mariadb://root:pw@127.0.0.1:3306/gateway')).toEqual({
      dialect: 'mysql',
      url: 'mysql://root:pw@127.0.0.1:3306/gateway',
      database: 'gateway',
      nodeUrls: ['mysql://root:pw@127.0.0.1:3306/gateway'],
    });
  });

  it('splits a multi-host URL into one URL per node, in the order given, sharing credentials, database and options', () => {
    const target = parseDatabaseUrl('mysql://gw:p%40ss@db-1:3306, db-2:3307,db-3/gateway?charset=utf8mb4');
    expect(target).toEqual({
      dialect: 'mysql',
      url: 'mysql://gw:p%40ss@db-1:3306/gateway?charset=utf8mb4',
      database: 'gateway',
      nodeUrls: [
        'mysql://gw:p%40ss@db-1:3306/gateway?charset=utf8mb4',
        'mysql://gw:p%40ss@db-2:3307/gateway?charset=utf8mb4',
        'mysql://gw:p%40ss@db-3/gateway?charset=utf8mb4',
      ],
    });
    expect(validateEnvironment({ DATABASE_URL: 'mysql://gw@db-1,db-2/gateway' }).DATABASE_URL).toBe('mysql://gw@db-1,db-2/gateway');
  });

  it('refuses a list of nodes with an empty entry or without a database', () => {
    expect(() => parseDatabaseUrl('mysql://gw@db-1,,db-3/gateway')).toThrowError(/empty host in its list of nodes/);
    expect(() => parseDatabaseUrl('mysql://gw@db-1,db-2/')).toThrowError(/DATABASE_URL must name a host and a database/);
  });

  it('refuses a MySQL URL without a database', () => {
    expect(() => parseDatabaseUrl('mysql://root@127.0.0.1:3306/')).toThrowError(/DATABASE_URL must name a host and a database/);
  });
});

describe('AppConfig', () => {
  it('names JWT callers "jwt:" + sub, throttles failed logins and bounds scrypt by default', () => {
    const { auth } = new AppConfig(validateEnvironment({}));
    expect(auth.jwt.principalPrefix).toBe('jwt:');
    expect(auth.failedLogins).toEqual({ perUser: { perSecond: 10 / 60, burst: 10 }, perAddress: { perSecond: 30 / 60, burst: 30 } });
    expect(auth.scrypt).toEqual({ concurrency: 2, queue: 32 });
  });

  it('reads AUTH_JWT_PRINCIPAL_PREFIX=none as no prefix, and 0 as a failed-login limit turned off', () => {
    const { auth } = new AppConfig(
      validateEnvironment({ AUTH_JWT_PRINCIPAL_PREFIX: 'none', AUTH_FAILED_LOGINS_PER_USER: '0', AUTH_FAILED_LOGINS_PER_ADDRESS: '0' }),
    );
    expect(auth.jwt.principalPrefix).toBe('');
    expect(auth.failedLogins).toEqual({ perUser: undefined, perAddress: undefined });
    expect(new AppConfig(validateEnvironment({ AUTH_JWT_PRINCIPAL_PREFIX: 'sso:' })).auth.jwt.principalPrefix).toBe('sso:');
  });

  it('pretty-prints logs only when asked or when auto meets a terminal', () => {
    expect(new AppConfig(validateEnvironment({}), true).log.pretty).toBe(true);
    expect(new AppConfig(validateEnvironment({}), false).log.pretty).toBe(false);
    expect(new AppConfig(validateEnvironment({ LOG_FORMAT: 'json' }), true).log.pretty).toBe(false);
  });
});

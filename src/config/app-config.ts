import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError, EnvironmentVariables, validateEnvironment } from './environment';

export type DatabaseTarget =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'mysql'; url: string; database: string };

export interface DatabaseConfig {
  target: DatabaseTarget;
  poolSize: number;
  connectTimeoutMs: number;
  connectRetries: number;
  busyTimeoutMs: number;
  retryAfterSeconds: number;
  migrationsRun: boolean;
}

/** The typed, validated configuration. Built once; everything else receives it by injection. */
export class AppConfig {
  readonly environment: EnvironmentVariables['NODE_ENV'];
  readonly http: {
    host: string;
    port: number;
    contextPath: string;
    bodyLimitBytes: number;
    requestTimeoutMs: number;
    shutdownTimeoutMs: number;
  };
  readonly database: DatabaseConfig;
  readonly log: { level: EnvironmentVariables['LOG_LEVEL']; pretty: boolean };

  constructor(env: EnvironmentVariables, stdoutIsTty = false) {
    this.environment = env.NODE_ENV;
    this.http = {
      host: env.HOST,
      port: env.PORT,
      contextPath: env.CONTEXT_PATH,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    };
    this.database = {
      target: parseDatabaseUrl(env.DATABASE_URL),
      poolSize: env.DATABASE_POOL_SIZE,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      connectRetries: env.DATABASE_CONNECT_RETRIES,
      busyTimeoutMs: env.DATABASE_BUSY_TIMEOUT_MS,
      retryAfterSeconds: env.DATABASE_RETRY_AFTER_SECONDS,
      migrationsRun: env.DATABASE_MIGRATIONS_RUN,
    };
    this.log = {
      level: env.LOG_LEVEL,
      pretty: env.LOG_FORMAT === 'pretty' || (env.LOG_FORMAT === 'auto' && stdoutIsTty),
    };
  }
}

export function parseDatabaseUrl(value: string): DatabaseTarget {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === ':memory:') return { dialect: 'sqlite', file };
    return { dialect: 'sqlite', file: isAbsolute(file) ? file : resolve(file) };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError('Invalid configuration: DATABASE_URL is not a valid URL');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database) {
    throw new ConfigurationError(
      'Invalid configuration: DATABASE_URL must name a host and a database (mysql://user:password@host:port/database)',
    );
  }
  url.protocol = 'mysql:';
  return { dialect: 'mysql', url: url.toString(), database };
}

/**
 * Reads `.env` (when present) and the process environment, validates them and returns the typed
 * configuration. The one place in the code base that reads process.env.
 */
export function loadAppConfig(
  overrides: Record<string, string | undefined> = {},
  envFile = '.env',
): AppConfig {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const env = validateEnvironment({ ...process.env, ...overrides });
  return new AppConfig(env, process.stdout.isTTY === true);
}

import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsJSON,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

// Only the literal words are accepted: a typo such as "flase" must stop the process, not read as true.
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true' || normalized === '1') return true;
  if (normalized === 'false' || normalized === '0') return false;
  return value;
};

const IntegerSetting = (min: number, max: number) => applyDecorators(Transform(toInt), IsInt(), Min(min), Max(max));

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

/** Every environment variable the gateway reads, with its default. Documented in .env.example. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @IsString()
  HOST = '0.0.0.0';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8080;

  @Matches(/^(\/[A-Za-z0-9._~-]+)+$/, {
    message: 'CONTEXT_PATH must look like /segment[/segment...] without a trailing slash',
  })
  CONTEXT_PATH = '/ghibli-rest/v2';

  @Matches(/^(sqlite:.+|(mysql|mariadb):\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<file path> or mysql://user:password@host:port[,host2:port2...]/database',
  })
  DATABASE_URL = 'sqlite:./data/gateway.sqlite';

  @IsOptional()
  @Matches(/^(mysql|mariadb):\/\/[^,\s]+(,\s*(mysql|mariadb):\/\/[^,\s]+)*$/, {
    message: 'DATABASE_REPLICA_URLS must be a comma-separated list of mysql://user:password@host:port/database',
  })
  DATABASE_REPLICA_URLS?: string;

  @IntegerSetting(1, 500)
  DATABASE_POOL_SIZE = 10;

  @IntegerSetting(100, 60000)
  DATABASE_CONNECT_TIMEOUT_MS = 2000;

  @IntegerSetting(0, 3_600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 30000;

  @IntegerSetting(0, 100)
  DATABASE_CONNECT_RETRIES = 5;

  @IntegerSetting(0, 60000)
  DATABASE_BUSY_TIMEOUT_MS = 5000;

  @IntegerSetting(1, 3600)
  DATABASE_RETRY_AFTER_SECONDS = 5;

  @Transform(toBool)
  @IsBoolean()
  DATABASE_MIGRATIONS_RUN = true;

  @IntegerSetting(1024, 100 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  @IntegerSetting(1000, 600000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  @IntegerSetting(0, 600000)
  SHUTDOWN_TIMEOUT_MS = 10000;

  @IsOptional()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters (HS256 needs 256 bits of key)' })
  AUTH_JWT_SECRET?: string;

  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'AUTH_JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)' })
  AUTH_JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  AUTH_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_AUDIENCE?: string;

  @Matches(/^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/, { message: 'AUTH_JWT_ROLES_CLAIM must be a dotted claim path' })
  AUTH_JWT_ROLES_CLAIM = 'roles';

  @IsOptional()
  @IsJSON({ message: 'AUTH_PERMISSIONS must be a JSON object of resource to role list' })
  AUTH_PERMISSIONS?: string;

  @IsOptional()
  @MinLength(12, { message: 'AUTH_BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters' })
  AUTH_BOOTSTRAP_ADMIN_PASSWORD?: string;

  // Must end in ":", which local user names and API key principals cannot hold: the namespaces stay apart.
  @Matches(/^(none|[A-Za-z0-9._@-]{0,31}:)$/, {
    message: 'AUTH_JWT_PRINCIPAL_PREFIX must be "none" or up to 32 letters, digits, ".", "_", "@", "-" ending in ":"',
  })
  AUTH_JWT_PRINCIPAL_PREFIX = 'jwt:';

  @IntegerSetting(0, 1_000_000)
  AUTH_FAILED_LOGINS_PER_USER = 10;

  @IntegerSetting(0, 1_000_000)
  AUTH_FAILED_LOGINS_PER_ADDRESS = 30;

  @IntegerSetting(1, 64)
  AUTH_SCRYPT_CONCURRENCY = 2;

  @IntegerSetting(0, 10_000)
  AUTH_SCRYPT_QUEUE = 32;

  @IsOptional()
  @IsString()
  CONTRACTS_FILE?: string;

  @IsOptional()
  @MinLength(32, { message: 'CURSOR_SECRET must be at least 32 characters' })
  CURSOR_SECRET?: string;

  @IntegerSetting(0, 600000)
  REAPER_INTERVAL_MS = 2000;

  @Transform(toBool)
  @IsBoolean()
  SCHEDULER_ENABLED = true;

  @IntegerSetting(100, 60000)
  SCHEDULER_TICK_MS = 1000;

  @IntegerSetting(0, 100_000)
  JOB_WAIT_MAX_WAITERS = 1000;

  @IntegerSetting(100, 10_000)
  JOB_WAIT_POLL_MS = 1000;

  @IntegerSetting(1, 64)
  SUBMIT_BATCH_SLOTS = 4;

  @IntegerSetting(1, 500)
  SUBMIT_BATCH_MAX_ROWS = 100;

  @IntegerSetting(0, 1_000_000)
  RATE_LIMIT_SUBMIT_PER_SECOND = 200;

  @IntegerSetting(1, 1_000_000)
  RATE_LIMIT_SUBMIT_BURST = 400;

  @IntegerSetting(0, 1_000_000)
  RATE_LIMIT_CLAIM_PER_SECOND = 100;

  @IntegerSetting(1, 1_000_000)
  RATE_LIMIT_CLAIM_BURST = 200;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://console.example.com',
  })
  CORS_ORIGINS?: string;

  @IsOptional()
  @Matches(/^(\d{1,2}|[0-9A-Fa-f.:/]+(,[0-9A-Fa-f.:/]+)*)$/, {
    message: 'TRUST_PROXY must be a number of proxy hops (1-99) or a comma-separated list of proxy addresses or CIDR ranges such as 10.0.0.0/8',
  })
  TRUST_PROXY?: string;

  @Transform(toBool)
  @IsBoolean()
  METRICS_PUBLIC = true;

  @IntegerSetting(0, 36500)
  RETENTION_DAYS = 30;

  @IntegerSetting(0, 86_400_000)
  RETENTION_INTERVAL_MS = 60_000;

  @IntegerSetting(1, 10_000)
  RETENTION_BATCH_SIZE = 500;

  // Webhooks (docs/webhooks.md, "Settings"): 0 turns the fan-out and delivery loops off.
  @IntegerSetting(0, 600_000)
  WEBHOOK_INTERVAL_MS = 1000;

  @IntegerSetting(100, 120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  @IntegerSetting(1, 720)
  WEBHOOK_RETRY_HOURS = 24;

  @IntegerSetting(10, 3_600_000)
  WEBHOOK_RETRY_BASE_MS = 5000;

  @IntegerSetting(1, 1000)
  WEBHOOK_MAX_ATTEMPTS = 100;

  @IntegerSetting(1, 100)
  WEBHOOK_CONCURRENCY = 10;

  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS = false;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsIn(LOG_FORMATS)
  LOG_FORMAT: (typeof LOG_FORMATS)[number] = 'auto';
}

// Optional variables have no default, so they are not own keys of a fresh instance: list them all.
const ENVIRONMENT_KEYS = [
  ...Object.keys(new EnvironmentVariables()),
  'DATABASE_REPLICA_URLS',
  'AUTH_JWT_SECRET',
  'AUTH_JWT_PUBLIC_KEY',
  'AUTH_JWKS_URL',
  'AUTH_JWT_ISSUER',
  'AUTH_JWT_AUDIENCE',
  'AUTH_PERMISSIONS',
  'AUTH_BOOTSTRAP_ADMIN_PASSWORD',
  'CURSOR_SECRET',
  'CONTRACTS_FILE',
  'CORS_ORIGINS',
  'TRUST_PROXY',
];

// Secrets (and URLs that may embed a password) never reach the terminal or a log collector.
const HIDDEN_VALUES = new Set([
  'AUTH_JWT_SECRET',
  'AUTH_BOOTSTRAP_ADMIN_PASSWORD',
  'DATABASE_URL',
  'DATABASE_REPLICA_URLS',
  'CURSOR_SECRET',
]);

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Unknown variables are ignored; an empty string counts as unset, so `PORT=` in a .env file means "default". */
export function validateEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  const present: Record<string, string> = {};
  for (const key of ENVIRONMENT_KEYS) {
    const value = raw[key];
    if (value !== undefined && value.trim() !== '') present[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const message = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
      const shown = message.startsWith(error.property) ? message : `${error.property} ${message}`;
      const got = HIDDEN_VALUES.has(error.property) ? 'a value that is not shown' : JSON.stringify(present[error.property]);
      return `${shown} (got ${got})`;
    });
    throw new ConfigurationError(`Invalid configuration: ${lines.join('; ')}`);
  }
  return env;
}

import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { isResource, PermissionMap, Resource, ROLE_PATTERN } from './resources';
import { ConfigurationError, EnvironmentVariables, validateEnvironment } from './environment';

export type DatabaseTarget =
  | { dialect: 'sqlite'; file: string }
  /** `url` is the first node's; `nodeUrls` lists every node of a multi-host URL in order of preference. */
  | { dialect: 'mysql'; url: string; database: string; nodeUrls: string[] };

export interface RateLimitRule {
  perSecond: number;
  burst: number;
}

export interface DatabaseConfig {
  target: DatabaseTarget;
  /** Read replicas (MySQL/MariaDB only) for list and detail reads; docs/operations.md. */
  replicaUrls: string[];
  poolSize: number;
  connectTimeoutMs: number;
  /** MySQL/MariaDB: a statement without an answer by then fails (503) and its connection is dropped; 0 = none. */
  statementTimeoutMs: number;
  connectRetries: number;
  busyTimeoutMs: number;
  retryAfterSeconds: number;
  migrationsRun: boolean;
}

export interface AuthConfig {
  jwt: {
    secret?: string;
    publicKeyPem?: string;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    rolesClaim: string;
    /** JWT callers are named prefix + sub, apart from local users and API keys; '' when set to none. */
    principalPrefix: string;
  };
  permissionOverrides: Partial<PermissionMap>;
  bootstrapAdminPassword?: string;
  /** Failed Basic logins per minute (also the burst) per user name and per client address; absent: off. */
  failedLogins: { perUser?: RateLimitRule; perAddress?: RateLimitRule };
  /** scrypt computations at once, and how many may wait; beyond that, 503. */
  scrypt: { concurrency: number; queue: number };
}

export interface WebhookConfig {
  intervalMs: number;
  timeoutMs: number;
  retryHours: number;
  retryBaseMs: number;
  maxAttempts: number;
  concurrency: number;
  allowPrivateNetworks: boolean;
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
    /** Origins allowed to call the API from a browser; empty: CORS off (same origin only). */
    corsOrigins: string[];
    /** Whose X-Forwarded-For names the client: proxy addresses or ranges, or a hop count; false: the TCP peer is the client. */
    trustProxy: false | number | string[];
  };
  /** Per principal and per instance; absent: that limit is off. */
  readonly rateLimits: { submit?: RateLimitRule; claim?: RateLimitRule };
  readonly database: DatabaseConfig;
  readonly auth: AuthConfig;
  /** Signs paging cursors; unset: a key generated once and kept in the database. */
  readonly cursorSecret?: string;
  /** Applied at start-up; 'example' (the default) loads the demo catalogue only into an empty one. */
  readonly contractsFile: { kind: 'path'; path: string } | { kind: 'example' } | { kind: 'none' };
  readonly workers: { reaperIntervalMs: number };
  /** Submits the fires of TIME actions; safe in every instance at once (the idempotent submit dedupes). */
  readonly scheduler: { enabled: boolean; tickMs: number };
  /** `GET /jobs/{id}?waitSeconds=`: at most maxWaiters at once per instance, re-read every pollMs (docs/events.md, "Waiting for a job"). */
  readonly jobWaits: { maxWaiters: number; pollMs: number };
  /** Group commit of submissions: at most `slots` batch transactions at once, of at most `maxRows` (docs/benchmarks.md, "Group commit"). */
  readonly submitBatches: { slots: number; maxRows: number };
  /** Finished jobs older than `days` are purged (0: kept forever); docs/operations.md, "Retention". */
  readonly retention: { days: number; intervalMs: number; batchSize: number };
  /** Outbox fan-out and delivery (docs/webhooks.md, "Settings"); intervalMs 0: both loops off. */
  readonly webhooks: WebhookConfig;
  /** GET /metrics open to anyone; false: it needs the METRICS permission (docs/security.md, "Metrics access"). */
  readonly metricsPublic: boolean;
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
      corsOrigins: env.CORS_ORIGINS?.split(',') ?? [],
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
    };
    this.rateLimits = {
      submit: rateLimitRule(env.RATE_LIMIT_SUBMIT_PER_SECOND, env.RATE_LIMIT_SUBMIT_BURST),
      claim: rateLimitRule(env.RATE_LIMIT_CLAIM_PER_SECOND, env.RATE_LIMIT_CLAIM_BURST),
    };
    this.database = {
      target: parseDatabaseUrl(env.DATABASE_URL),
      replicaUrls: parseReplicaUrls(env.DATABASE_REPLICA_URLS, env.DATABASE_URL),
      poolSize: env.DATABASE_POOL_SIZE,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      connectRetries: env.DATABASE_CONNECT_RETRIES,
      busyTimeoutMs: env.DATABASE_BUSY_TIMEOUT_MS,
      retryAfterSeconds: env.DATABASE_RETRY_AFTER_SECONDS,
      migrationsRun: env.DATABASE_MIGRATIONS_RUN,
    };
    this.auth = {
      jwt: {
        secret: env.AUTH_JWT_SECRET,
        publicKeyPem: env.AUTH_JWT_PUBLIC_KEY?.replace(/\\n/g, '\n'),
        jwksUrl: env.AUTH_JWKS_URL,
        issuer: env.AUTH_JWT_ISSUER,
        audience: env.AUTH_JWT_AUDIENCE,
        rolesClaim: env.AUTH_JWT_ROLES_CLAIM,
        principalPrefix: env.AUTH_JWT_PRINCIPAL_PREFIX === 'none' ? '' : env.AUTH_JWT_PRINCIPAL_PREFIX,
      },
      permissionOverrides: parsePermissionOverrides(env.AUTH_PERMISSIONS),
      bootstrapAdminPassword: env.AUTH_BOOTSTRAP_ADMIN_PASSWORD,
      failedLogins: {
        perUser: perMinute(env.AUTH_FAILED_LOGINS_PER_USER),
        perAddress: perMinute(env.AUTH_FAILED_LOGINS_PER_ADDRESS),
      },
      scrypt: { concurrency: env.AUTH_SCRYPT_CONCURRENCY, queue: env.AUTH_SCRYPT_QUEUE },
    };
    this.cursorSecret = env.CURSOR_SECRET;
    this.workers = { reaperIntervalMs: env.REAPER_INTERVAL_MS };
    this.scheduler = { enabled: env.SCHEDULER_ENABLED, tickMs: env.SCHEDULER_TICK_MS };
    this.jobWaits = { maxWaiters: env.JOB_WAIT_MAX_WAITERS, pollMs: env.JOB_WAIT_POLL_MS };
    this.submitBatches = { slots: env.SUBMIT_BATCH_SLOTS, maxRows: env.SUBMIT_BATCH_MAX_ROWS };
    this.retention = { days: env.RETENTION_DAYS, intervalMs: env.RETENTION_INTERVAL_MS, batchSize: env.RETENTION_BATCH_SIZE };
    this.metricsPublic = env.METRICS_PUBLIC;
    this.webhooks = {
      intervalMs: env.WEBHOOK_INTERVAL_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      retryHours: env.WEBHOOK_RETRY_HOURS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      concurrency: env.WEBHOOK_CONCURRENCY,
      allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    };
    this.contractsFile =
      env.CONTRACTS_FILE === undefined || env.CONTRACTS_FILE === 'example'
        ? { kind: 'example' }
        : env.CONTRACTS_FILE === 'none'
          ? { kind: 'none' }
          : { kind: 'path', path: resolve(env.CONTRACTS_FILE) };
    const keySources = [env.AUTH_JWT_SECRET, env.AUTH_JWT_PUBLIC_KEY, env.AUTH_JWKS_URL].filter(Boolean);
    if (keySources.length > 1) {
      // One key source pins one algorithm family; accepting several would reopen HS/RS confusion.
      throw new ConfigurationError(
        'Invalid configuration: set only one of AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY, AUTH_JWKS_URL',
      );
    }
    this.log = {
      level: env.LOG_LEVEL,
      pretty: env.LOG_FORMAT === 'pretty' || (env.LOG_FORMAT === 'auto' && stdoutIsTty),
    };
  }
}

function rateLimitRule(perSecond: number, burst: number): RateLimitRule | undefined {
  return perSecond === 0 ? undefined : { perSecond, burst };
}

function perMinute(count: number): RateLimitRule | undefined {
  return count === 0 ? undefined : { perSecond: count / 60, burst: count };
}

function parsePermissionOverrides(raw: string | undefined): Partial<PermissionMap> {
  if (!raw) return {};
  const parsed = JSON.parse(raw) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError('Invalid configuration: AUTH_PERMISSIONS must be a JSON object of resource to role list');
  }
  const overrides: Partial<PermissionMap> = {};
  for (const [resource, roles] of Object.entries(parsed)) {
    if (!isResource(resource)) {
      throw new ConfigurationError(`Invalid configuration: AUTH_PERMISSIONS names an unknown resource "${resource}"`);
    }
    if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string' && ROLE_PATTERN.test(role))) {
      throw new ConfigurationError(`Invalid configuration: AUTH_PERMISSIONS.${resource} must be a list of role names`);
    }
    overrides[resource as Resource] = [...new Set(roles as string[])];
  }
  return overrides;
}

function parseReplicaUrls(raw: string | undefined, primary: string): string[] {
  if (!raw) return [];
  if (parseDatabaseUrl(primary).dialect !== 'mysql') {
    throw new ConfigurationError('Invalid configuration: DATABASE_REPLICA_URLS needs a mysql:// DATABASE_URL (SQLite has no replicas)');
  }
  return raw.split(',').map((entry) => {
    const target = parseDatabaseUrl(entry.trim());
    if (target.dialect !== 'mysql') throw new ConfigurationError('Invalid configuration: DATABASE_REPLICA_URLS entries must be mysql:// URLs');
    return target.url;
  });
}

export function parseDatabaseUrl(value: string): DatabaseTarget {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === ':memory:') return { dialect: 'sqlite', file };
    return { dialect: 'sqlite', file: isAbsolute(file) ? file : resolve(file) };
  }
  const nodeUrls = splitNodeUrls(value).map(parseMysqlUrl);
  return { dialect: 'mysql', url: nodeUrls[0].url, database: nodeUrls[0].database, nodeUrls: nodeUrls.map((node) => node.url) };
}

/** TRUST_PROXY: a hop count, or proxy addresses and CIDR ranges checked here so a typo fails at start, not in Fastify (docs/security.md, "Client addresses"). */
export function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (value === undefined || value === '') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1) throw new ConfigurationError('Invalid configuration: TRUST_PROXY must be at least 1 hop, or unset to trust no proxy');
    return hops;
  }
  const entries = value.split(',');
  const invalid = entries.filter((entry) => !(entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry)));
  if (invalid.length > 0) throw new ConfigurationError(`Invalid configuration: TRUST_PROXY has entries that are not addresses or CIDR ranges: ${invalid.join(', ')}`);
  return entries;
}

/** `mysql://user:pw@host1:3306,host2:3307/db` → one URL per node, same credentials and database (docs/galera.md, "Several nodes in DATABASE_URL"). */
function splitNodeUrls(value: string): string[] {
  const parts = /^([a-z]+:\/\/)([^/]*@)?([^/?#]*)(.*)$/i.exec(value);
  if (!parts || !parts[3].includes(',')) return [value];
  const [, scheme, credentials = '', hosts, rest] = parts;
  return hosts.split(',').map((host) => {
    if (!host.trim()) throw new ConfigurationError('Invalid configuration: DATABASE_URL has an empty host in its list of nodes');
    return `${scheme}${credentials}${host.trim()}${rest}`;
  });
}

function parseMysqlUrl(value: string): { url: string; database: string } {
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
  return { url: url.toString(), database };
}

/** The process environment and `.env` (when present), validated once: the one reader of process.env. */
export function loadAppConfig(
  overrides: Record<string, string | undefined> = {},
  envFile = '.env',
): AppConfig {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const env = validateEnvironment({ ...process.env, ...overrides });
  return new AppConfig(env, process.stdout.isTTY === true);
}

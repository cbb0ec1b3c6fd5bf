import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';

const CENSOR = '[redacted]';

/** Credential fields should any code log them (docs/security.md, "Logs"). */
export const LOG_REDACT = {
  paths: ['headers.authorization', 'headers["x-api-key"]', 'req.headers.authorization', 'req.headers["x-api-key"]', '*.password', '*.apiKey', '*.token'],
  censor: CENSOR,
};

// A failed statement carries its bound values (`parameters`) and mysql2 the SQL with them inlined (`sql`).
const STATEMENT_VALUES = ['parameters', 'sql'];

/** Errors as pino logs them, minus the values of failed statements, which may hold secrets (docs/security.md, "Logs"). */
function redactedError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  const scrub = (value: unknown, depth: number): unknown => {
    if (depth > 4 || typeof value !== 'object' || value === null) return value;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of Object.keys(copy)) copy[key] = STATEMENT_VALUES.includes(key) ? CENSOR : scrub(copy[key], depth + 1);
    return copy;
  };
  return scrub(serialized, 0);
}

export const LOG_SERIALIZERS = { err: redactedError };

/** JSON lines on stdout (docs/security.md, "Logs"). */
export function createLogger(config: AppConfig): Logger {
  return pino({
    level: config.log.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: LOG_REDACT,
    serializers: LOG_SERIALIZERS,
    formatters: { level: (label) => ({ level: label }) },
    ...(config.log.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}

// Nest's module and route mapping: a line per module and route at start-up, useful only when debugging.
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    if (context && FRAMEWORK_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }

  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, String(message));
  }
}

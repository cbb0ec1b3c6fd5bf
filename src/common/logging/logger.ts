import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';

/** JSON lines on stdout; credential fields redacted should any code log them (docs/security.md, "Logs"). */
export function createLogger(config: AppConfig): Logger {
  return pino({
    level: config.log.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'headers.authorization',
        'headers["x-api-key"]',
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        '*.password',
        '*.apiKey',
        '*.token',
      ],
      censor: '[redacted]',
    },
    formatters: { level: (label) => ({ level: label }) },
    ...(config.log.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}

export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
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

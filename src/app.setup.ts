import { INestApplication, ValidationPipe } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppConfig } from './config/app-config';
import { CORRELATION_HEADER, correlationIdFor } from './common/http/correlation-id';
import { DomainError } from './common/errors/domain-error';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { buildOpenApiDocument } from './openapi/openapi';
import { toFieldErrors } from './common/errors/validation-errors';

/** The Fastify adapter with the limits and timeouts from configuration. */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: 72_000,
    forceCloseConnections: 'idle',
    genReqId: correlationIdFor,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { ignoreTrailingSlash: true },
  });
}

/**
 * Everything that makes the app behave as the API says, shared by main.ts and the e2e tests:
 * context path, validation, problem details, correlation ids, request logs and metrics, and the API docs.
 */
export function configureApp(app: NestFastifyApplication, config: AppConfig, logger: Logger): void {
  app.setGlobalPrefix(config.http.contextPath.slice(1));

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) =>
        new DomainError('VALIDATION_FAILED', 'One or more fields are invalid.', { errors: toFieldErrors(errors) }),
    }),
  );

  const filter = new ProblemDetailsFilter(logger, config.database.retryAfterSeconds);
  app.useGlobalFilters(filter);

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header(CORRELATION_HEADER, request.id);
  });
  const metrics = app.get(GatewayMetrics);
  const prefix = config.http.contextPath;
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    // The route template, never the raw URL: ids and query strings would make labels unbounded.
    const template = request.routeOptions.url;
    const route = template === undefined ? 'unmatched' : template.startsWith(prefix) ? template.slice(prefix.length) || '/' : template;
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    logger.info(
      {
        method: request.method,
        path: request.url,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        correlationId: request.id,
      },
      'request',
    );
  });

  SwaggerModule.setup('docs', app as INestApplication, () => buildOpenApiDocument(app, config.http.contextPath), {
    useGlobalPrefix: true,
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}

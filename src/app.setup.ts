import { INestApplication, ValidationPipe } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { Logger } from 'pino';
import { AppConfig } from './config/app-config';
import { CORRELATION_HEADER, correlationIdFor } from './common/http/correlation-id';
import { DomainError } from './common/errors/domain-error';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { buildOpenApiDocument } from './openapi/openapi';
import { toFieldErrors } from './common/errors/validation-errors';
import { jsonShapeError } from './common/http/json-shape';

/** The Fastify adapter with the limits and timeouts from configuration. */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: 72_000,
    // Node bounds a request whose headers are incomplete by headersTimeout (60 s, fixed when the
    // server is created, whatever requestTimeout says) and enforces both only when it sweeps its
    // connections, every 30 s: slow-loris headers lived up to 90 s. Measured in
    // test/reliability/hostile-clients.reliability-spec.ts.
    http: {
      headersTimeout: config.http.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.http.requestTimeoutMs),
    },
    forceCloseConnections: 'idle',
    genReqId: correlationIdFor,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { ignoreTrailingSlash: true },
  });
}

/**
 * Everything that makes the app behave as the API says, shared by main.ts and the e2e tests:
 * context path, validation, problem details, correlation ids, request logs and the API docs.
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
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit: config.http.bodyLimitBytes }, (request, body, done) => {
    const refused = jsonShapeError(body);
    if (refused) done(refused);
    else parseJson(request, body.toString('utf8'), done);
  });
  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header(CORRELATION_HEADER, request.id);
  });
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
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

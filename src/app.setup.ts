import { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppConfig } from './config/app-config';
import { CORRELATION_HEADER, correlationIdFor } from './common/http/correlation-id';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { PROBLEM_CONTENT_TYPE, renderProblem } from './common/errors/problem-details';
import { DomainError } from './common/errors/domain-error';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { buildOpenApiDocument } from './openapi/openapi';
import { acceptJsonBodiesOnly } from './common/http/body-parsers';
import { refuseOtherMethods } from './common/http/method-not-allowed';
import { StrictValidationPipe, VALIDATION_OPTIONS } from './common/validation/strict-validation.pipe';
import { answerClientError } from './common/http/client-errors';
import { securityHeaders } from './common/http/security-headers';

const API_HEADERS: Record<string, string> = {
  ...securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      // Swagger UI, the only HTML the API serves, loads its scripts from here and styles itself inline.
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  }),
  'Cache-Control': 'no-store',
};

function withAnswerHeaders(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.headers(API_HEADERS).header(CORRELATION_HEADER, request.id);
}

/** Fastify takes a hop count at run time but types only a function for it. */
function trustProxyOption(trust: AppConfig['http']['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    // request.ip from X-Forwarded-For only as far as trusted proxies set it (docs/security.md, "Client addresses").
    trustProxy: trustProxyOption(config.http.trustProxy),
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: 72_000,
    // Node's defaults let slow-loris headers live up to 90 s (docs/security.md, "Hostile input").
    http: {
      headersTimeout: config.http.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.http.requestTimeoutMs),
    },
    forceCloseConnections: 'idle',
    clientErrorHandler: answerClientError,
    genReqId: correlationIdFor,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { body } = renderProblem(error, request.url.split('?')[0], config.database.retryAfterSeconds);
      // Refused by the router before any hook runs: the headers every answer carries are set here.
      void withAnswerHeaders(request, reply).status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
    },
  });
}

/** Shared by main.ts and the e2e app factory, so the tests run the app as it is served. */
export function configureApp(app: NestFastifyApplication, config: AppConfig, logger: Logger): void {
  app.setGlobalPrefix(config.http.contextPath.slice(1));
  applySecurityHeaders(app, config);
  refuseOtherMethods(app.getHttpAdapter().getInstance());

  app.useGlobalPipes(new StrictValidationPipe(VALIDATION_OPTIONS));

  const filter = new ProblemDetailsFilter(logger, config.database.retryAfterSeconds);
  app.useGlobalFilters(filter);

  acceptJsonBodiesOnly(app, config.http.bodyLimitBytes);
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(GatewayMetrics);
  const prefix = config.http.contextPath;
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
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
    done();
  });

  SwaggerModule.setup('docs', app as INestApplication, () => buildOpenApiDocument(app, config.http.contextPath), {
    useGlobalPrefix: true,
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}

function applySecurityHeaders(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Set before the route runs, so a route (the console's files) can still choose its own.
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    withAnswerHeaders(request, reply);
    done();
  });
  if (config.http.corsOrigins.length > 0) {
    // The CORS layer answers an OPTIONS that is no preflight with a text/plain 400, before any hook of ours: reworded here (docs/api.md, "Methods").
    fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
      if (request.method !== 'OPTIONS' || reply.statusCode !== 400 || payload !== 'Invalid Preflight Request') return done(null, payload);
      const refusal = new DomainError('MALFORMED_REQUEST', 'OPTIONS is served as a CORS preflight only: send Origin and Access-Control-Request-Method.');
      const { body } = renderProblem(refusal, request.url.split('?')[0], config.database.retryAfterSeconds);
      void withAnswerHeaders(request, reply).type(PROBLEM_CONTENT_TYPE);
      done(null, JSON.stringify(body));
    });
    app.enableCors({
      origin: config.http.corsOrigins,
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Correlation-Id'],
      exposedHeaders: [
        'Location',
        'Retry-After',
        'WWW-Authenticate',
        CORRELATION_HEADER,
        'Idempotent-Replayed',
        'Idempotency-Mismatch',
      ],
      maxAge: 600,
    });
  }
}

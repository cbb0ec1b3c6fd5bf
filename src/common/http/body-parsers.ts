import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest, RawServerDefault } from 'fastify';
import { DomainError } from '../errors/domain-error';
import { jsonShapeError } from './json-shape';

const JSON_CONTENT_TYPE = 'application/json';

function unsupportedMediaType(request: FastifyRequest): DomainError {
  const accept = request.method === 'PATCH' ? 'Accept-Patch' : request.method === 'POST' ? 'Accept-Post' : undefined;
  return new DomainError('UNSUPPORTED_MEDIA_TYPE', `A request body must be sent as ${JSON_CONTENT_TYPE}.`, {
    headers: accept ? { [accept]: JSON_CONTENT_TYPE } : {},
  });
}

/** JSON only: a form or text/plain body is what another origin can send without a CORS preflight (docs/api.md, "Request bodies"). */
export function acceptJsonBodiesOnly(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  app.useBodyParser<RawServerDefault>(JSON_CONTENT_TYPE, { bodyLimit }, (request, body, done) => {
    const refused = jsonShapeError(body);
    if (refused) done(refused);
    else parseJson(request, body.toString('utf8'), done);
  });
  // A catch-all registered through Nest also keeps Nest from adding its form parser; an unknown route stays a 404.
  app.useBodyParser<RawServerDefault>('*', { bodyLimit }, (request, _body, done) => {
    if (request.is404) done(null, undefined);
    else done(unsupportedMediaType(request));
  });
  fastify.removeContentTypeParser('text/plain');
}

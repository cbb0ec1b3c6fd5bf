import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { DomainError } from '../errors/domain-error';

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

function allowedMethods(fastify: FastifyInstance, url: string): HTTPMethods[] {
  return METHODS.filter((method) => fastify.findRoute({ method, url }) !== null);
}

/** The router's 404 becomes a 405 with `Allow` when it serves the path under other methods; OPTIONS is CORS's (docs/api.md, "Methods"). */
export function refuseOtherMethods(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    const allowed = request.is404 ? allowedMethods(fastify, request.url) : [];
    if (allowed.length === 0) return done();
    const allow = allowed.join(', ');
    done(new DomainError('METHOD_NOT_ALLOWED', `${request.method} is not allowed here; allowed: ${allow}.`, { headers: { Allow: allow } }));
  });
}

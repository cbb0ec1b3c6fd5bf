import type { FastifyReply } from 'fastify';

export interface PutResult<T> {
  created: boolean;
  resource: T;
}

/** A PUT answers 201 when it created the resource and 200 when it replaced it. */
export function answerPut<T>(reply: FastifyReply, result: PutResult<T>): T {
  reply.status(result.created ? 201 : 200);
  return result.resource;
}

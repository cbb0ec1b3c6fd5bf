import type { FastifyReply } from 'fastify';

/** Aborts when the client hangs up before its answer is written: a long-poll stops working for nobody (docs/workers.md, "Claiming"). */
export function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  // The response closes before it is written only when the client hung up.
  reply.raw.once('close', () => reply.raw.writableFinished || gone.abort());
  return gone.signal;
}

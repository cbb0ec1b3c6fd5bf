import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE, renderProblem } from './problem-details';

/** The one place errors become answers, Fastify's own (parsing, size, unknown route) included (docs/api.md, "Errors"). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly retryAfterSeconds: number,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.send(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  send(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const instance = request.url.split('?')[0];
    const { body, headers, unexpected } = renderProblem(exception, instance, this.retryAfterSeconds);
    if (unexpected) {
      this.logger.error({ err: exception, correlationId: request.id, path: instance }, 'unhandled error');
    } else if (body.status === 503) {
      this.logger.warn({ correlationId: request.id, path: instance, reason: String(exception) }, 'database unavailable');
    }
    if (reply.sent) return;
    void reply.status(body.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(body);
  }
}

import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Observable, tap } from 'rxjs';
import { renderProblem } from '../common/errors/problem-details';
import { GatewayMetrics } from './gateway-metrics';

/**
 * Counts the outcome of each submission that got past authentication. An interceptor, not the
 * service, because most rejections (body validation) happen in the pipe, before the service runs.
 */
@Injectable()
export class SubmissionMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: GatewayMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      tap({
        next: () => this.metrics.submission(reply.statusCode === 409 ? 'duplicate' : 'created'),
        error: (error: unknown) =>
          this.metrics.submission(renderProblem(error, '', 0).body.status < 500 ? 'rejected' : 'failed'),
      }),
    );
  }
}

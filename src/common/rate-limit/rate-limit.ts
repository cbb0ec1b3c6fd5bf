import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import type { Principal } from '../../auth/principal';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import { TokenBuckets } from './token-buckets';

export type RateLimitName = 'submit' | 'claim';

const RATE_LIMIT_METADATA = 'gateway:rate-limit';

/** Counts the route's calls against the caller's `name` budget (per principal, per instance). */
export const RateLimited = (name: RateLimitName) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_METADATA, name),
    ApiTooManyRequestsResponse({ description: `Over the per-principal ${name} rate limit (problem details, Retry-After)` }),
  );

/**
 * Runs after the global guard, so the caller is known: budgets are keyed by principal, not by
 * address, and a caller that was refused at the door spends nothing. Requests that fail
 * validation still spend a token, which is what makes hammering with bad bodies pointless.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  private readonly buckets: Partial<Record<RateLimitName, TokenBuckets>> = {};

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    for (const [name, rule] of Object.entries(config.rateLimits) as [RateLimitName, AppConfig['rateLimits'][RateLimitName]][]) {
      if (rule) this.buckets[name] = new TokenBuckets(rule);
    }
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const name = this.reflector.get<RateLimitName | undefined>(RATE_LIMIT_METADATA, context.getHandler());
    const buckets = name && this.buckets[name];
    if (!buckets) return next.handle();
    const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
    const waitSeconds = buckets.take(principal.name, Date.now());
    if (waitSeconds > 0) {
      const { perSecond, burst } = buckets.rule;
      throw new DomainError(
        'RATE_LIMITED',
        `More than ${perSecond} ${name} requests per second (bursts of ${burst}) from ${principal.name}; retry later.`,
        { headers: { 'Retry-After': String(Math.ceil(waitSeconds)) }, extensions: { limit: name } },
      );
    }
    return next.handle();
  }
}

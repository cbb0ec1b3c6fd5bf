import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Global,
  Injectable,
  Module,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
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
    UseGuards(RateLimitGuard),
    ApiTooManyRequestsResponse({ description: `Over the per-principal ${name} rate limit (problem details, Retry-After)` }),
  );

/** The per-principal budgets of this instance, one set per rate-limited name. */
@Injectable()
export class RateLimits {
  private readonly buckets: Partial<Record<RateLimitName, TokenBuckets>> = {};

  constructor(config: AppConfig) {
    for (const [name, rule] of Object.entries(config.rateLimits) as [RateLimitName, AppConfig['rateLimits'][RateLimitName]][]) {
      if (rule) this.buckets[name] = new TokenBuckets(rule);
    }
  }

  /** Spends one of the principal's `name` tokens, or refuses with 429 and when to retry. */
  charge(name: RateLimitName, principal: string): void {
    const buckets = this.buckets[name];
    if (!buckets) return;
    const waitSeconds = buckets.take(principal, Date.now());
    if (waitSeconds > 0) {
      const { perSecond, burst } = buckets.rule;
      throw new DomainError(
        'RATE_LIMITED',
        `More than ${perSecond} ${name} requests per second (bursts of ${burst}) from ${principal}; retry later.`,
        { headers: { 'Retry-After': String(Math.ceil(waitSeconds)) }, extensions: { limit: name } },
      );
    }
  }
}

/**
 * A route guard, so it runs after the global one: the caller is known, budgets are keyed by
 * principal, not by address, and a caller refused at the door spends nothing. It runs before the
 * validation pipe, so requests that fail validation still spend a token, which is what makes
 * hammering with bad bodies pointless. (A guard rather than an interceptor: interceptors put
 * every request of the API through an RxJS pipeline, measurable in docs/benchmarks.md.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimits: RateLimits,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const name = this.reflector.get<RateLimitName | undefined>(RATE_LIMIT_METADATA, context.getHandler());
    if (name) this.rateLimits.charge(name, context.switchToHttp().getRequest<{ user: Principal }>().user.name);
    return true;
  }
}

/** RateLimits for every module whose routes are @RateLimited. */
@Global()
@Module({ providers: [RateLimits], exports: [RateLimits] })
export class RateLimitModule {}

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
import { ApiExtension } from '@nestjs/swagger';
import type { Principal } from '../principal';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import { TokenBuckets } from './token-buckets';

export type RateLimitName = 'submit' | 'claim';

const RATE_LIMIT_METADATA = 'gateway:rate-limit';

/** The OpenAPI extension naming the budget a route charges; the document derives its 429 from it. */
export const RATE_LIMIT_EXTENSION = 'x-rate-limit';

/** Counts the route's calls against the caller's `name` budget (per principal, per instance). */
export const RateLimited = (name: RateLimitName) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_METADATA, name),
    UseGuards(RateLimitGuard),
    ApiExtension(RATE_LIMIT_EXTENSION, name),
  );

@Injectable()
export class RateLimits {
  private readonly buckets: Partial<Record<RateLimitName, TokenBuckets>> = {};

  constructor(config: AppConfig) {
    for (const [name, rule] of Object.entries(config.rateLimits) as [RateLimitName, AppConfig['rateLimits'][RateLimitName]][]) {
      if (rule) this.buckets[name] = new TokenBuckets(rule);
    }
  }

  /** Takes a token if there is one; false when the budget is spent (for work that must not fail with 429). */
  tryCharge(name: RateLimitName, principal: string): boolean {
    const buckets = this.buckets[name];
    return !buckets || buckets.take(principal, Date.now()) === 0;
  }

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

/** A guard: after authentication, before validation, and cheaper than an interceptor (docs/security.md, "Rate limits"). */
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

@Global()
@Module({ providers: [RateLimits], exports: [RateLimits] })
export class RateLimitModule {}

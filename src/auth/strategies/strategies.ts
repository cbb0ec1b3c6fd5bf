import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { Principal } from '../../common/principal';
import { UsersService } from '../users/users.service';
import { JwtVerifier } from './jwt-verifier';

interface HeaderRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Fastify's client address: the socket's peer unless the adapter trusts a proxy. */
  ip?: string;
}

function header(request: HeaderRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function authorization(request: HeaderRequest, scheme: 'Bearer' | 'Basic'): string | undefined {
  const value = header(request, 'authorization');
  if (!value) return undefined;
  const space = value.indexOf(' ');
  if (space < 0 || value.slice(0, space).toLowerCase() !== scheme.toLowerCase()) return undefined;
  return value.slice(space + 1).trim();
}

export const STRATEGY_NAMES = ['jwt', 'api-key', 'basic'] as const;

/** Passport's registry is process-wide: each app registers under names of its own, so e2e apps in one process never collide. */
@Injectable()
export class StrategyRegistry implements OnModuleDestroy {
  private readonly id = randomUUID();

  nameOf(strategy: (typeof STRATEGY_NAMES)[number]): string {
    return `${strategy}:${this.id}`;
  }

  register(strategy: (typeof STRATEGY_NAMES)[number], instance: passport.Strategy) {
    passport.use(this.nameOf(strategy), instance);
  }

  onModuleDestroy() {
    for (const strategy of STRATEGY_NAMES) passport.unuse(this.nameOf(strategy));
  }
}

// Each strategy answers null when its credential is absent or wrong, so the guard can try the next.

@Injectable()
export class JwtStrategy extends PassportStrategy(CustomStrategy, 'jwt') {
  constructor(private readonly verifier: JwtVerifier, registry: StrategyRegistry) {
    super();
    registry.register('jwt', this);
  }

  async validate(request: HeaderRequest): Promise<Principal | null> {
    const token = authorization(request, 'Bearer');
    return token ? this.verifier.verify(token) : null;
  }
}

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(CustomStrategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService, registry: StrategyRegistry) {
    super();
    registry.register('api-key', this);
  }

  async validate(request: HeaderRequest): Promise<Principal | null> {
    const key = header(request, 'x-api-key');
    return key ? this.apiKeys.authenticate(key) : null;
  }
}

@Injectable()
export class BasicStrategy extends PassportStrategy(CustomStrategy, 'basic') {
  constructor(private readonly users: UsersService, registry: StrategyRegistry) {
    super();
    registry.register('basic', this);
  }

  async validate(request: HeaderRequest): Promise<Principal | null> {
    const encoded = authorization(request, 'Basic');
    if (!encoded) return null;
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return null;
    return this.users.verifyCredentials(decoded.slice(0, colon), decoded.slice(colon + 1), request.ip ?? '');
  }
}

import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { ACCESS_METADATA, RouteAccess } from './decorators';
import { Principal } from '../common/principal';
import { PermissionsService } from './permissions/permissions.service';
import { STRATEGY_NAMES, StrategyRegistry } from './strategies/strategies';

/** Names every accepted scheme, so a client knows what to send; nothing says why a credential failed. */
export const WWW_AUTHENTICATE = 'Bearer realm="ghibli-gateway", Basic realm="ghibli-gateway", ApiKey header="X-API-Key"';

export const unauthenticated = () =>
  new DomainError('UNAUTHENTICATED', 'Valid credentials are required: a bearer token, an API key or Basic auth.', {
    headers: { 'WWW-Authenticate': WWW_AUTHENTICATE },
  });

function anyStrategyGuard(registry: StrategyRegistry) {
  return new (class extends AuthGuard(STRATEGY_NAMES.map((name) => registry.nameOf(name))) {
    override handleRequest<T>(error: unknown, user: T): T {
      if (error) throw error;
      if (!user) throw unauthenticated();
      return user;
    }
  })();
}

/** Deny by default: a route declaring no access rule is refused (docs/security.md). */
@Injectable()
export class PermissionGuard implements CanActivate {
  private readonly logger = new Logger(PermissionGuard.name);
  private readonly authenticate: CanActivate;

  constructor(
    private readonly reflector: Reflector,
    private readonly permissions: PermissionsService,
    private readonly config: AppConfig,
    registry: StrategyRegistry,
  ) {
    this.authenticate = anyStrategyGuard(registry);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!access) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no access rule; refused`);
      throw new DomainError('FORBIDDEN', 'This route is not open to anyone.');
    }
    if (access.kind === 'public') return true;
    if (access.kind === 'permission' && access.publicWhen && this.config[access.publicWhen]) return true;
    await this.authenticate.canActivate(context);
    if (access.kind === 'authenticated') return true;
    const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
    if (!this.permissions.allows(access.resource, principal.roles)) {
      throw new DomainError('FORBIDDEN', `Your roles do not grant the ${access.resource} permission.`, {
        extensions: { resource: access.resource },
      });
    }
    return true;
  }
}

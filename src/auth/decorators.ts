import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { Principal } from '../common/principal';
import { Resource } from '../config/resources';

export const ACCESS_METADATA = 'gateway:access';

/** What a route demands. Every route declares one; the global guard refuses routes that do not. */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; resource: Resource; publicWhen?: PublicSetting };

export type PublicSetting = 'metricsPublic';

/** The OpenAPI extension naming the resource a route needs; the document derives its 403 from it. */
export const REQUIRED_PERMISSION_EXTENSION = 'x-required-permission';

// The document derives 401 and the sign-in errors from `security` (docs/api.md, "Errors").
function documentedAuth(extra: MethodDecorator[] = []) {
  return applyDecorators(ApiBearerAuth('bearer'), ApiSecurity('apiKey'), ApiBasicAuth('basic'), ...extra);
}

/** No credentials: health probes and the console's static files, which hold no data (docs/security.md). */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies RouteAccess);

export const Authenticated = () =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'authenticated' } satisfies RouteAccess), documentedAuth());

/** A role the permission map allows on `resource`; with `publicWhen`, anyone while that AppConfig setting is true. */
export const RequirePermission = (resource: Resource, options: { publicWhen?: PublicSetting } = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { kind: 'permission', resource, ...options } satisfies RouteAccess),
    documentedAuth([ApiExtension(REQUIRED_PERMISSION_EXTENSION, { resource, ...options }) as MethodDecorator]),
  );

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ user: Principal }>().user,
);

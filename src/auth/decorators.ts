import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Principal } from './principal';
import { Resource } from './resources';

export const ACCESS_METADATA = 'gateway:access';

/** What a route demands. Every route declares one; the global guard refuses routes that do not. */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; resource: Resource; publicWhen?: PublicSetting };

/** Settings that may open a permission-guarded route to anyone. */
export type PublicSetting = 'metricsPublic';

function documentedAuth(extra: MethodDecorator[] = []) {
  return applyDecorators(
    ApiBearerAuth('bearer'),
    ApiSecurity('apiKey'),
    ApiBasicAuth('basic'),
    ApiUnauthorizedResponse({ description: 'Missing or invalid credentials (problem details, WWW-Authenticate)' }),
    ...extra,
  );
}

/** Open to anyone, without credentials: health probes, and the console's static files (which hold no data). */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies RouteAccess);

/** Any authenticated caller, whatever its roles. */
export const Authenticated = () =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'authenticated' } satisfies RouteAccess), documentedAuth());

/**
 * An authenticated caller holding one of the roles the permission map allows on `resource`; with
 * `publicWhen`, anyone while that setting of AppConfig is true.
 */
export const RequirePermission = (resource: Resource, options: { publicWhen?: PublicSetting } = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { kind: 'permission', resource, ...options } satisfies RouteAccess),
    documentedAuth([
      ApiForbiddenResponse({ description: `The caller's roles are not allowed on resource ${resource}` }) as MethodDecorator,
    ]),
  );

/** The authenticated principal of the request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ user: Principal }>().user,
);

import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Principal } from '../common/principal';
import { Resource } from '../config/resources';

export const ACCESS_METADATA = 'gateway:access';

/** What a route demands. Every route declares one; the global guard refuses routes that do not. */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; resource: Resource; publicWhen?: PublicSetting };

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

/** No credentials: health probes and the console's static files, which hold no data (docs/security.md). */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies RouteAccess);

export const Authenticated = () =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'authenticated' } satisfies RouteAccess), documentedAuth());

/** A role the permission map allows on `resource`; with `publicWhen`, anyone while that AppConfig setting is true. */
export const RequirePermission = (resource: Resource, options: { publicWhen?: PublicSetting } = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { kind: 'permission', resource, ...options } satisfies RouteAccess),
    documentedAuth([
      ApiForbiddenResponse({ description: `The caller's roles are not allowed on resource ${resource}` }) as MethodDecorator,
    ]),
  );

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ user: Principal }>().user,
);

import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { ACCESS_METADATA, RouteAccess } from '../../src/auth/decorators';
import type { TestApp } from './create-test-app';

export interface RouteInfo {
  method: string;
  /** Path under the context path, params filled with harmless sample values. */
  path: string;
  /** Path under the context path with its `:params`. */
  template: string;
  name: string;
  access?: RouteAccess;
}

function join(...parts: (string | undefined)[]): string {
  return `/${parts
    .flatMap((part) => (part ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;
}

/** Every controller route of the running app, read from Nest's own metadata. */
export function listRoutes(t: TestApp): RouteInfo[] {
  const discovery = new DiscoveryService(t.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: unknown[]) => object) | undefined;
    if (!controller) continue;
    const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
    for (const methodName of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[methodName] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      routes.push({
        method,
        path: join(prefix, path).replace(/:[A-Za-z]+/g, '1'),
        template: join(prefix, path),
        name: `${controller.name}.${methodName}`,
        access: reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [handler as never, controller]),
      });
    }
  }
  return routes;
}

/** Whether the router would match a concrete path (under the context path) against a route template. */
export function matchesTemplate(template: string, path: string): boolean {
  const pattern = template
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`).test(path);
}

import { ApiProperty } from '@nestjs/swagger';
import { DEFAULT_PERMISSIONS, PermissionMap, RESOURCES } from '../../config/resources';

/** The resources of the permission map, one named enum in the document (docs/security.md, "The permission map"). */
export const RESOURCE_ENUM = { enum: RESOURCES, enumName: 'Resource' } as const;

const roles = (resource: keyof PermissionMap) =>
  ApiProperty({ type: [String], example: DEFAULT_PERMISSIONS[resource], description: `Roles allowed on ${resource}` });

/** Every resource, always present: `implements` makes a new resource a compile error here until it is declared. */
export class PermissionMapDto implements PermissionMap {
  @roles('WORKFLOW') WORKFLOW: string[];
  @roles('SPENGCEMANJOBS') SPENGCEMANJOBS: string[];
  @roles('CONTRACTS') CONTRACTS: string[];
  @roles('WORKER') WORKER: string[];
  @roles('ADMIN') ADMIN: string[];
  @roles('JOBS_ALL') JOBS_ALL: string[];
  @roles('METRICS') METRICS: string[];
  @roles('QUEUES') QUEUES: string[];
  @roles('WEBHOOKS') WEBHOOKS: string[];
}

/** Resources guarded by permissions, and the roles allowed on each by default (docs/security.md, "The permission map"). */
export const RESOURCES = ['WORKFLOW', 'SPENGCEMANJOBS', 'CONTRACTS', 'WORKER', 'ADMIN', 'JOBS_ALL', 'METRICS', 'QUEUES', 'WEBHOOKS'] as const;
export type Resource = (typeof RESOURCES)[number];

export const BUILT_IN_ROLES = ['Users', 'Administrators', 'Workers', 'Monitoring', 'Integrations'] as const;

export type PermissionMap = Record<Resource, string[]>;

export const DEFAULT_PERMISSIONS: PermissionMap = {
  // Integrations submit and follow their own jobs without admin rights (docs/security.md, "The permission map").
  WORKFLOW: ['Administrators', 'Integrations'],
  SPENGCEMANJOBS: ['Users', 'Administrators', 'Integrations'],
  CONTRACTS: ['Administrators'],
  WORKER: ['Workers', 'Administrators'],
  ADMIN: ['Administrators'],
  JOBS_ALL: ['Users', 'Administrators'],
  // Queue names and volumes are business information: scrapers authenticate (docs/security.md).
  METRICS: ['Monitoring', 'Administrators'],
  QUEUES: ['Administrators'],
  WEBHOOKS: ['Administrators'],
};

export function isResource(value: string): value is Resource {
  return (RESOURCES as readonly string[]).includes(value);
}

/** Roles are plain names; keep them printable and bounded so they fit a column and a log line. */
export const ROLE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

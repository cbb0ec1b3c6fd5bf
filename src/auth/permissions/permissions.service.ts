import { Injectable, OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Database } from '../../database/database.service';
import { DEFAULT_PERMISSIONS, PermissionMap, Resource, RESOURCES } from '../../config/resources';
import { PermissionEntity } from './permission.entity';

// How soon another instance's change through the admin API applies here (docs/security.md, "The permission map").
const REFRESH_AFTER_MS = 10_000;

@Injectable()
export class PermissionsService implements OnModuleInit {
  private map: PermissionMap = structuredClone(DEFAULT_PERMISSIONS);
  private loadedAt = 0;
  private refreshing?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly database: Database,
  ) {}

  async onModuleInit() {
    const now = new Date();
    const overrides = Object.entries(this.config.auth.permissionOverrides).map(([resource, roles]) => ({
      resource,
      roles,
      updatedAt: now,
    }));
    if (overrides.length > 0) await this.upsert(overrides);
    const existing = new Set((await this.stored()).map((row) => row.resource));
    const missing = RESOURCES.filter((resource) => !existing.has(resource)).map((resource) => ({
      resource,
      roles: DEFAULT_PERMISSIONS[resource],
      updatedAt: now,
    }));
    // upsert, not insert: another instance may be seeding the same rows at this moment.
    if (missing.length > 0) await this.upsert(missing);
    await this.reload();
  }

  /** Never waits for the database: answers from memory and refreshes in the background. */
  rolesFor(resource: Resource): readonly string[] {
    if (Date.now() - this.loadedAt > REFRESH_AFTER_MS && !this.refreshing) {
      this.refreshing = this.reload()
        .catch(() => undefined)
        .finally(() => (this.refreshing = undefined));
    }
    return this.map[resource];
  }

  allows(resource: Resource, roles: readonly string[]): boolean {
    const allowed = this.rolesFor(resource);
    return roles.some((role) => allowed.includes(role));
  }

  resourcesAllowed(roles: readonly string[]): Resource[] {
    return RESOURCES.filter((resource) => this.allows(resource, roles));
  }

  async getMap(): Promise<PermissionMap> {
    await this.reload();
    return structuredClone(this.map);
  }

  async setRoles(resource: Resource, roles: string[]): Promise<PermissionMap> {
    await this.upsert([{ resource, roles: [...new Set(roles)], updatedAt: new Date() }]);
    return this.getMap();
  }

  private upsert(rows: { resource: string; roles: string[]; updatedAt: Date }[]) {
    return this.database.write((manager) => manager.upsert(PermissionEntity, rows, ['resource']));
  }

  private stored(): Promise<PermissionEntity[]> {
    return this.database.read((manager) => manager.findBy(PermissionEntity, { resource: In([...RESOURCES]) }));
  }

  private async reload(): Promise<void> {
    const rows = await this.stored();
    const next = structuredClone(DEFAULT_PERMISSIONS);
    for (const row of rows) next[row.resource as Resource] = row.roles;
    this.map = next;
    this.loadedAt = Date.now();
  }
}

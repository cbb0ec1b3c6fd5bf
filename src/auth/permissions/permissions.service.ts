import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Database } from '../../database/database.service';
import { DEFAULT_PERMISSIONS, PermissionMap, Resource, RESOURCES } from '../resources';
import { PermissionEntity } from './permission.entity';

// Another instance's change through the admin API reaches this one within this time.
const REFRESH_AFTER_MS = 10_000;

/**
 * The resource-to-roles map. Stored in the database; at every start, AUTH_PERMISSIONS entries are
 * written over it and missing resources get the defaults. Read from memory on every request,
 * refreshed in the background.
 */
@Injectable()
export class PermissionsService implements OnModuleInit {
  private map: PermissionMap = structuredClone(DEFAULT_PERMISSIONS);
  private loadedAt = 0;
  private refreshing?: Promise<void>;

  constructor(
    @InjectRepository(PermissionEntity) private readonly permissions: Repository<PermissionEntity>,
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
    const existing = new Set(
      (await this.permissions.findBy({ resource: In([...RESOURCES]) })).map((row) => row.resource),
    );
    const missing = RESOURCES.filter((resource) => !existing.has(resource)).map((resource) => ({
      resource,
      roles: DEFAULT_PERMISSIONS[resource],
      updatedAt: now,
    }));
    // upsert, not insert: another instance may be seeding the same rows at this moment.
    if (missing.length > 0) await this.upsert(missing);
    await this.reload();
  }

  /** Roles allowed on a resource; never waits for the database. */
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

  /** The resources `roles` are allowed on, in the order of RESOURCES. */
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

  private async reload(): Promise<void> {
    const rows = await this.permissions.findBy({ resource: In([...RESOURCES]) });
    const next = structuredClone(DEFAULT_PERMISSIONS);
    for (const row of rows) next[row.resource as Resource] = row.roles;
    this.map = next;
    this.loadedAt = Date.now();
  }
}

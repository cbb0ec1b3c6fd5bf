import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { Database } from '../../database/database.service';
import { CredentialCache } from '../credential-cache';
import { Principal } from '../../common/principal';
import { ApiKeyDto, CreatedApiKeyDto } from '../dto/api-key.dto';
import { ApiKeyEntity } from './api-key.entity';

// gw_<12 hex: lookup prefix>_<43 base64url: 256 random bits>
const KEY_FORMAT = /^gw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const LOOKUP_TTL_MS = 30_000;
const LAST_USED_RESOLUTION_MS = 60_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

function toApiKeyDto(key: ApiKeyEntity): ApiKeyDto {
  return {
    id: key.id,
    prefix: key.prefix,
    principal: key.principal,
    roles: key.roles,
    description: key.description,
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly recent = new CredentialCache<ApiKeyEntity>(LOOKUP_TTL_MS);

  constructor(private readonly database: Database) {}

  async create(
    input: { principal: string; roles: string[]; description?: string; expiresAt?: Date },
    createdBy: string,
  ): Promise<CreatedApiKeyDto> {
    const prefix = randomBytes(6).toString('hex');
    const key = `gw_${prefix}_${randomBytes(32).toString('base64url')}`;
    const entity = Object.assign(new ApiKeyEntity(), {
      prefix,
      secretHash: sha256(key).toString('hex'),
      principal: input.principal,
      roles: [...new Set(input.roles)],
      description: input.description ?? null,
      createdBy,
      createdAt: new Date(),
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
    });
    await this.database.write((manager) => manager.insert(ApiKeyEntity, entity));
    return { ...toApiKeyDto(entity), key };
  }

  async list(): Promise<ApiKeyDto[]> {
    return (await this.database.read((manager) => manager.find(ApiKeyEntity, { order: { id: 'ASC' } }))).map(toApiKeyDto);
  }

  async revoke(id: number): Promise<void> {
    const key = await this.database.read((manager) => manager.findOneBy(ApiKeyEntity, { id }));
    if (!key) throw new DomainError('NOT_FOUND', `No API key with id ${id}.`);
    if (!key.revokedAt) await this.database.write((manager) => manager.update(ApiKeyEntity, { id }, { revokedAt: new Date() }));
    this.recent.invalidate(key.prefix);
  }

  count(): Promise<number> {
    return this.database.read((manager) => manager.count(ApiKeyEntity));
  }

  /** The principal behind a presented key, or null for unknown, malformed, revoked and expired keys alike. */
  async authenticate(presented: string): Promise<Principal | null> {
    const match = KEY_FORMAT.exec(presented);
    if (!match) return null;
    const prefix = match[1];
    let key = this.recent.get(prefix, presented);
    if (!key) {
      const found = await this.database.read((manager) => manager.findOneBy(ApiKeyEntity, { prefix }));
      if (!found || !timingSafeEqual(sha256(presented), Buffer.from(found.secretHash, 'hex'))) return null;
      key = found;
      this.recent.set(prefix, presented, key);
    }
    const now = Date.now();
    if (key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= now)) return null;
    this.recordUse(key, now);
    return { name: key.principal, roles: key.roles, via: 'api-key' };
  }

  /** Last-used time at minute resolution: one write per key per minute, not one per request. */
  private recordUse(key: ApiKeyEntity, now: number) {
    if (key.lastUsedAt && now - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    key.lastUsedAt = new Date(now);
    this.database
      .write((manager) => manager.update(ApiKeyEntity, { id: key.id }, { lastUsedAt: key.lastUsedAt }))
      .catch((error: unknown) => this.logger.warn(`could not record API key use: ${String(error)}`));
  }
}

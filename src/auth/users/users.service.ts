import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { Database } from '../../database/database.service';
import { isUniqueViolation } from '../../database/database-errors';
import { CredentialCache } from '../credential-cache';
import { Principal } from '../../common/principal';
import { isPrincipalName } from '../principal-name';
import { LoginThrottle } from './login-throttle';
import { DUMMY_PASSWORD_HASH } from './password-hash';
import { PasswordHasher } from './password-hasher';
import { UserDto } from '../dto/user.dto';
import { UserEntity } from './user.entity';

const VERIFIED_TTL_MS = 30_000;

function toUserDto(user: Omit<UserEntity, 'id'>): UserDto {
  return {
    name: user.name,
    roles: user.roles,
    enabled: user.enabled,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  private readonly verified = new CredentialCache<Principal>(VERIFIED_TTL_MS);
  private readonly checking = new Map<string, Promise<Principal | null>>();

  constructor(
    private readonly database: Database,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  async create(name: string, password: string, roles: string[]): Promise<UserDto> {
    const now = new Date();
    const passwordHash = await this.hasher.hash(password);
    const user = { name, passwordHash, roles: [...new Set(roles)], enabled: true, createdAt: now, updatedAt: now };
    try {
      await this.database.write((manager) => manager.insert(UserEntity, user));
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `A user named "${name}" already exists.`);
      throw error;
    }
    return toUserDto(user);
  }

  async list(): Promise<UserDto[]> {
    return (await this.database.read((manager) => manager.find(UserEntity, { order: { name: 'ASC' } }))).map(toUserDto);
  }

  async update(name: string, changes: { password?: string; roles?: string[]; enabled?: boolean }): Promise<UserDto> {
    const user = await this.findByName(name);
    if (!user) throw new DomainError('NOT_FOUND', `No user named "${name}".`);
    if (changes.password !== undefined) user.passwordHash = await this.hasher.hash(changes.password);
    if (changes.roles !== undefined) user.roles = [...new Set(changes.roles)];
    if (changes.enabled !== undefined) user.enabled = changes.enabled;
    user.updatedAt = new Date();
    await this.database.write((manager) =>
      manager.update(
        UserEntity,
        { id: user.id },
        { passwordHash: user.passwordHash, roles: user.roles, enabled: user.enabled, updatedAt: user.updatedAt },
      ),
    );
    this.verified.invalidate(name);
    return toUserDto(user);
  }

  count(): Promise<number> {
    return this.database.read((manager) => manager.count(UserEntity));
  }

  /** Unknown, disabled and wrong-password callers all cost one scrypt and get the same `null`, once the throttle lets them. */
  async verifyCredentials(name: string, password: string, ip: string): Promise<Principal | null> {
    const cached = this.verified.get(name, password);
    if (cached) return cached;
    if (!isPrincipalName(name)) return null;
    // The same credentials arriving together share one check: a script's first burst costs one scrypt.
    const key = this.verified.digest(`${name}:${password}`);
    let check = this.checking.get(key);
    if (!check) {
      this.throttle.charge(ip, name);
      check = this.check(name, password, ip).finally(() => this.checking.delete(key));
      this.checking.set(key, check);
    }
    return check;
  }

  private async check(name: string, password: string, ip: string): Promise<Principal | null> {
    // An error (database, busy hashing slots) is no failed login: its attempt is given back.
    const principal = await this.lookUp(name, password).catch((error: unknown) => {
      this.throttle.forgive(ip, name);
      throw error;
    });
    if (principal) {
      this.throttle.forgive(ip, name);
      this.verified.set(name, password, principal);
    }
    return principal;
  }

  private async lookUp(name: string, password: string): Promise<Principal | null> {
    const user = await this.findByName(name);
    const valid = await this.hasher.verify(password, user?.enabled ? user.passwordHash : await DUMMY_PASSWORD_HASH);
    return user?.enabled && valid ? { name: user.name, roles: user.roles, via: 'basic' } : null;
  }

  private findByName(name: string): Promise<UserEntity | null> {
    return this.database.read((manager) => manager.findOneBy(UserEntity, { name }));
  }
}

import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ApiKeysService } from './api-keys/api-keys.service';
import { UsersService } from './users/users.service';

export const BOOTSTRAP_ADMIN_NAME = 'admin';

/** A first `npm start` must be usable: one local admin on an empty database (docs/security.md, "First start"). */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');
  /** The generated first-start credential, for the start-up banner to show once; never logged. */
  createdCredential?: { user: string; password: string };

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async onApplicationBootstrap() {
    const configured = this.config.auth.bootstrapAdminPassword;
    const { secret, publicKeyPem, jwksUrl } = this.config.auth.jwt;
    const jwtConfigured = Boolean(secret || publicKeyPem || jwksUrl);
    if ((await this.users.count()) > 0) return;
    if (!configured && (jwtConfigured || (await this.apiKeys.count()) > 0)) return;
    const password = configured ?? randomBytes(18).toString('base64url');
    try {
      await this.users.create(BOOTSTRAP_ADMIN_NAME, password, ['Administrators']);
    } catch (error) {
      // Another instance starting at the same time created it first.
      if ((await this.users.count()) > 0) return;
      throw error;
    }
    this.logger.warn(`created the local user "${BOOTSTRAP_ADMIN_NAME}" with role Administrators`);
    if (!configured) this.createdCredential = { user: BOOTSTRAP_ADMIN_NAME, password };
  }
}

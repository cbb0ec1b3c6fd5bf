import { SignJWT } from 'jose';
import { UsersService } from '../../src/auth/users/users.service';
import type { TestApp } from './create-test-app';

export const TEST_JWT_SECRET = 'test-only-hs256-secret-of-at-least-32-characters';
export const TEST_ADMIN_PASSWORD = 'admin-password-for-tests';

/** Settings every test app starts with: an HS256 key, a known bootstrap admin, an empty catalogue. */
export const TEST_BASE_ENV = {
  CONTRACTS_FILE: 'none',
  AUTH_JWT_SECRET: TEST_JWT_SECRET,
  AUTH_BOOTSTRAP_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
  // Tests flood the gateway from one principal on purpose; test/rate-limit.e2e-spec.ts turns the limits on.
  RATE_LIMIT_SUBMIT_PER_SECOND: '0',
  RATE_LIMIT_CLAIM_PER_SECOND: '0',
  // Guarded, so the auth matrix covers the METRICS permission; test/metrics.e2e-spec.ts checks the public default.
  METRICS_PUBLIC: 'false',
  // Suites name JWT callers by the bare sub and try wrong passwords freely; test/principals.e2e-spec.ts and
  // test/auth-throttling.e2e-spec.ts check the defaults.
  AUTH_JWT_PRINCIPAL_PREFIX: 'none',
  AUTH_FAILED_LOGINS_PER_USER: '0',
  AUTH_FAILED_LOGINS_PER_ADDRESS: '0',
  // No background ticks under other suites' feet; test/schedules.e2e-spec.ts turns the scheduler on.
  SCHEDULER_ENABLED: 'false',
  // test/webhooks.e2e-spec.ts runs the webhook loops itself.
  WEBHOOK_INTERVAL_MS: '0',
};

export type Headers = Record<string, string>;

export function basic(name: string, password: string): Headers {
  return { Authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` };
}

export const asAdmin = (): Headers => basic('admin', TEST_ADMIN_PASSWORD);

/** A bearer token signed with the test key; override claims, lifetime or the key to forge one. */
export async function bearer(
  claims: Record<string, unknown> & { sub?: string },
  options: { expiresIn?: string | number; secret?: string; audience?: string } = {},
): Promise<Headers> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (claims.sub) jwt = jwt.setSubject(claims.sub);
  jwt = jwt.setExpirationTime(options.expiresIn ?? '5m');
  if (options.audience) jwt = jwt.setAudience(options.audience);
  const token = await jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
  return { Authorization: `Bearer ${token}` };
}

/** A token for `sub` holding `roles`. */
export const withRoles = (sub: string, roles: string[]) => bearer({ sub, roles });

/** Creates a local user directly (faster than the admin API) and returns its Basic header. */
export async function createUser(t: TestApp, name: string, roles: string[], password = `${name}-password-123`) {
  await t.app.get(UsersService).create(name, password, roles);
  return basic(name, password);
}

import { createPublicKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { AppConfig } from '../../config/app-config';
import { Principal } from '../../common/principal';
import { isPrincipalName } from '../principal-name';

type Key = { kind: 'static'; key: Uint8Array | KeyObject } | { kind: 'jwks'; keySet: JWTVerifyGetKey };

const CLOCK_TOLERANCE_SECONDS = 30;

/** Reads a dotted claim path (`realm_access.roles`) and keeps only string entries. */
export function rolesFromClaims(payload: JWTPayload, path: string): string[] {
  let value: unknown = payload;
  for (const segment of path.split('.')) {
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, segment)) return [];
    value = (value as Record<string, unknown>)[segment];
  }
  return Array.isArray(value) ? value.filter((role): role is string => typeof role === 'string') : [];
}

/** Algorithms follow from the key, never from the token header (docs/security.md, "JWT"). */
@Injectable()
export class JwtVerifier {
  private readonly key?: Key;
  readonly algorithms: string[] = [];

  constructor(private readonly config: AppConfig) {
    const { secret, publicKeyPem, jwksUrl } = config.auth.jwt;
    if (secret) {
      this.key = { kind: 'static', key: new TextEncoder().encode(secret) };
      this.algorithms = ['HS256'];
    } else if (publicKeyPem) {
      const key = createPublicKey(publicKeyPem);
      this.key = { kind: 'static', key };
      this.algorithms = key.asymmetricKeyType === 'ec' ? ['ES256'] : ['RS256'];
    } else if (jwksUrl) {
      this.key = { kind: 'jwks', keySet: createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000 }) };
      this.algorithms = ['RS256', 'ES256'];
    }
  }

  get enabled(): boolean {
    return this.key !== undefined;
  }

  /** The principal, named prefix + sub (docs/security.md, "JWT"), or null for any invalid token; the reason is not exposed. */
  async verify(token: string): Promise<Principal | null> {
    if (!this.key) return null;
    const { issuer, audience, rolesClaim, principalPrefix } = this.config.auth.jwt;
    const options = {
      algorithms: this.algorithms,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(issuer ? { issuer } : {}),
      ...(audience ? { audience } : {}),
    };
    try {
      const { payload } =
        this.key.kind === 'static'
          ? await jwtVerify(token, this.key.key, options)
          : await jwtVerify(token, this.key.keySet, options);
      const sub: unknown = payload.sub;
      const name = typeof sub === 'string' && sub !== '' ? `${principalPrefix}${sub}` : undefined;
      if (!isPrincipalName(name)) return null;
      return { name, roles: rolesFromClaims(payload, rolesClaim), via: 'jwt' };
    } catch {
      return null;
    }
  }
}

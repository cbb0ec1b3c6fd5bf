import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { TokenBuckets } from '../../common/rate-limit/token-buckets';
import { AppConfig } from '../../config/app-config';

/** IPv6 clients are counted per /64, the block one subscriber usually holds; IPv4 ones (mapped too) per address. */
export function addressKey(ip: string): string {
  const address = ip.split('%')[0];
  if (!address.includes(':')) return address;
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address)) return address.slice(7);
  const [head, tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0');
  const groups = [...headGroups, ...zeros, ...tailGroups].slice(0, 4);
  return `${groups.map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}

/** Failed Basic logins per user name and per address, charged before lookup and scrypt (docs/security.md, "Local users"). */
@Injectable()
export class LoginThrottle {
  private readonly byUser?: TokenBuckets;
  private readonly byAddress?: TokenBuckets;

  constructor(config: AppConfig) {
    const { perUser, perAddress } = config.auth.failedLogins;
    if (perUser) this.byUser = new TokenBuckets(perUser);
    if (perAddress) this.byAddress = new TokenBuckets(perAddress);
  }

  charge(ip: string, name: string): void {
    const now = Date.now();
    const address = addressKey(ip);
    const addressWait = this.byAddress?.take(address, now) ?? 0;
    if (addressWait > 0) throw throttled(addressWait, 'address', `from ${address}`);
    const userWait = this.byUser?.take(name, now) ?? 0;
    if (userWait > 0) throw throttled(userWait, 'user', 'for this user name');
  }

  /** For a check that was not a failed login: a success, or an error before the answer. */
  forgive(ip: string, name: string): void {
    this.byAddress?.giveBack(addressKey(ip));
    this.byUser?.giveBack(name);
  }
}

function throttled(waitSeconds: number, scope: 'address' | 'user', whose: string): DomainError {
  return new DomainError('AUTH_THROTTLED', `Too many failed sign-in attempts ${whose}; retry later.`, {
    headers: { 'Retry-After': String(Math.ceil(waitSeconds)) },
    extensions: { limit: scope },
  });
}

import { describe, expect, it } from 'vitest';
import { DomainError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { validateEnvironment } from '../../config/environment';
import { addressKey, LoginThrottle } from './login-throttle';

const throttle = (perUser: number, perAddress: number) =>
  new LoginThrottle(
    new AppConfig(
      validateEnvironment({ AUTH_FAILED_LOGINS_PER_USER: String(perUser), AUTH_FAILED_LOGINS_PER_ADDRESS: String(perAddress) }),
    ),
  );

function refusal(charge: () => void): DomainError | undefined {
  try {
    charge();
    return undefined;
  } catch (error) {
    return error as DomainError;
  }
}

describe('addressKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('keys %s as %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe('LoginThrottle', () => {
  it('refuses a name past its budget, with the seconds until the next attempt', () => {
    const limits = throttle(2, 100);
    limits.charge('203.0.113.7', 'alice');
    limits.charge('203.0.113.7', 'alice');
    const refused = refusal(() => limits.charge('203.0.113.8', 'alice'));
    expect(refused).toMatchObject({ code: 'AUTH_THROTTLED', options: { extensions: { limit: 'user' } } });
    expect(Number(refused?.options.headers?.['Retry-After'])).toBe(30);
    expect(refusal(() => limits.charge('203.0.113.7', 'bob'))).toBeUndefined();
  });

  it('refuses an address past its budget whatever the name, one /64 counting as one IPv6 client', () => {
    const limits = throttle(100, 2);
    limits.charge('2001:db8:1:2::10', 'a');
    limits.charge('2001:db8:1:2::20', 'b');
    expect(refusal(() => limits.charge('2001:db8:1:2::30', 'c'))).toMatchObject({ options: { extensions: { limit: 'address' } } });
    expect(refusal(() => limits.charge('2001:db8:1:3::30', 'c'))).toBeUndefined();
  });

  it('gives a forgiven attempt back to both budgets', () => {
    const limits = throttle(1, 1);
    limits.charge('203.0.113.7', 'alice');
    limits.forgive('203.0.113.7', 'alice');
    expect(refusal(() => limits.charge('203.0.113.7', 'alice'))).toBeUndefined();
    expect(refusal(() => limits.charge('203.0.113.7', 'alice'))).toBeDefined();
  });

  it('charges nothing when both limits are 0', () => {
    const limits = throttle(0, 0);
    expect(() => {
      for (let i = 0; i < 100; i++) limits.charge('203.0.113.7', 'alice');
    }).not.toThrow();
  });
});

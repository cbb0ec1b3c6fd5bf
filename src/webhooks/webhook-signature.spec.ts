import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, webhookHeaders, webhookMessageId } from './webhook-signature';

describe('webhook signatures (Standard Webhooks)', () => {
  const body = JSON.stringify({ type: 'job.completed', timestamp: '2026-12-02T10:00:00.000Z', data: { job: { id: '7' } } });

  it('makes secrets of whsec_ and 32 random bytes in base64', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs so that the standardwebhooks package verifies the request', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders(secret, webhookMessageId('42'), body);
    expect(headers['webhook-id']).toBe('msg_42');
    expect(headers['content-type']).toBe('application/json');
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('is refused by the package for another secret, another body or another id', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders(secret, 'msg_1', body);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body.replace('7', '8'), headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
  });

  it('matches the specification example', () => {
    // The example of the Standard Webhooks specification and its reference libraries.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const payload = '{"test": 2432232314}';
    expect(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, payload)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

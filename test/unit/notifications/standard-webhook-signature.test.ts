import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook } from '#domain/notifications/standard-webhook-signature';

// The Standard Webhooks specification's example secret; the library is the judge of every signature below.
const SPEC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = JSON.stringify({ id: '01EVT', type: 'job.failed', data: { jobId: 'j1' } });

describe('Standard Webhooks signatures', () => {
  it('verify with the standardwebhooks library', () => {
    const now = new Date();
    const headers = signWebhook('msg_01EVT', now, body, [SPEC_SECRET]);
    expect(new Webhook(SPEC_SECRET).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
  });

  it('match the library’s own signature for the same input (golden vector)', () => {
    const at = new Date('2026-12-06T12:00:00Z');
    expect(signWebhook('msg_p5jXN8AQM9LWM0D4loKWxJek', at, body, [SPEC_SECRET])['webhook-signature']).toBe(
      new Webhook(SPEC_SECRET).sign('msg_p5jXN8AQM9LWM0D4loKWxJek', at, body),
    );
  });

  it('are refused by the library when body, id or timestamp is tampered with, or the secret is another', () => {
    const headers = signWebhook('msg_1', new Date(), body, [SPEC_SECRET]);
    const receiver = new Webhook(SPEC_SECRET);
    expect(() => receiver.verify(body.replace('j1', 'j2'), { ...headers })).toThrow();
    expect(() => receiver.verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
    expect(() => receiver.verify(body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1) })).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it('carry both signatures during a rotation, so receivers with the old or the new secret verify', () => {
    const previous = newWebhookSecret();
    const current = newWebhookSecret();
    const headers = signWebhook('msg_rot', new Date(), body, [current, previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(previous).verify(body, { ...headers })).toBeTruthy();
    expect(new Webhook(current).verify(body, { ...headers })).toBeTruthy();
    expect(() => signWebhook('msg', new Date(), body, [])).toThrow();
  });

  it('mints whsec_ secrets of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

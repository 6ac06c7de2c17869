import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, isForbiddenAddress, SLACK_WEBHOOK_HOSTS } from '#domain/notifications/outbound-url';

const deployed = { allowLoopback: false };
const local = { allowLoopback: true };

/** Hostile targets in the spellings an attacker would try; every one must be refused at save time. */
const HOSTILE = [
  'http://example.com/hook', // not https
  'ftp://example.com/hook',
  'https://user:pass@example.com/hook', // credentials
  'https://localhost/hook',
  'https://localhost./hook',
  'https://app.localhost/hook',
  'https://127.0.0.1/hook',
  'https://127.1/hook', // short form
  'https://2130706433/hook', // decimal
  'https://0177.0.0.1/hook', // octal
  'https://0x7f.0.0.1/hook', // hex
  'https://0x7f000001/hook',
  'https://0/hook', // 0.0.0.0
  'https://10.0.0.8/hook',
  'https://172.16.5.4/hook',
  'https://192.168.1.1/hook',
  'https://100.64.0.1/hook', // CGNAT
  'https://169.254.169.254/latest/meta-data/', // instance metadata
  'https://169.254.169.254./latest/meta-data/',
  'https://0xa9fea9fe/', // metadata, hex
  'https://2852039166/', // metadata, decimal
  'https://169.254.170.2/v2/credentials', // ECS credentials
  'https://[::1]/hook',
  'https://[0:0:0:0:0:0:0:1]/hook',
  'https://[::ffff:127.0.0.1]/hook', // IPv4-mapped
  'https://[::ffff:a9fe:a9fe]/hook',
  'https://[::ffff:8.8.8.8]/hook', // mapped, even to a public address
  'https://[fd00:ec2::254]/', // metadata over IPv6
  'https://[fe80::1]/hook',
  'https://[fc00::5]/hook',
  'https://[64:ff9b::a9fe:a9fe]/hook', // NAT64 of metadata
  'https://[2002:a9fe:a9fe::]/hook', // 6to4 of metadata
  'https://224.0.0.1/hook',
  'https://intranet/hook', // single-label name
  'not a url',
];

describe('outbound URL guard (save time)', () => {
  it.each(HOSTILE)('refuses %s', (url) => {
    expect(checkOutboundUrl(url, deployed).ok).toBe(false);
  });

  it('admits public https targets', () => {
    for (const url of [
      'https://hooks.example.com/q',
      'https://93.184.216.34/x',
      'https://[2606:4700::1111]/x',
      'https://example.com:8443/a?b=c',
    ]) {
      expect(checkOutboundUrl(url, deployed), url).toMatchObject({ ok: true });
    }
  });

  it('admits loopback (http or https) only under the local stack policy, and never other private ranges', () => {
    expect(checkOutboundUrl('http://127.0.0.1:4567/hook', local)).toMatchObject({ ok: true });
    expect(checkOutboundUrl('https://localhost:4567/hook', local)).toMatchObject({ ok: true });
    expect(checkOutboundUrl('http://127.0.0.1:4567/hook', deployed).ok).toBe(false);
    expect(checkOutboundUrl('https://169.254.169.254/', local).ok).toBe(false);
    expect(checkOutboundUrl('https://10.0.0.1/', local).ok).toBe(false);
    expect(checkOutboundUrl('http://example.com/', local).ok).toBe(false);
    expect(checkOutboundUrl('https://[::ffff:127.0.0.1]/', local).ok).toBe(false);
  });

  it('keeps Slack targets on Slack’s webhook host', () => {
    const slack = { ...deployed, hosts: SLACK_WEBHOOK_HOSTS };
    expect(checkOutboundUrl('https://hooks.slack.com/services/T0/B0/x', slack)).toMatchObject({ ok: true });
    expect(checkOutboundUrl('https://hooks.slack.com.evil.example/services/x', slack)).toMatchObject({
      ok: false,
      reason: 'must be on hooks.slack.com',
    });
    expect(checkOutboundUrl('https://example.com/services/x', slack).ok).toBe(false);
  });

  it('names the rule, never the URL, in its reason', () => {
    const result = checkOutboundUrl('https://hooks.slack.com.evil.example/services/T0/B0/SECRETPART', {
      ...deployed,
      hosts: SLACK_WEBHOOK_HOSTS,
    });
    expect(JSON.stringify(result)).not.toContain('SECRETPART');
  });
});

describe('outbound address check (connect time)', () => {
  it('refuses resolved private, loopback, link-local, metadata and mapped addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '169.254.170.2',
      '100.100.1.1',
      '::1',
      '::ffff:10.0.0.1',
      'fd00:ec2::254',
      'fe80::abcd',
      'garbage',
    ]) {
      expect(isForbiddenAddress(address, deployed), address).toBe(true);
    }
    expect(isForbiddenAddress('93.184.216.34', deployed)).toBe(false);
    expect(isForbiddenAddress('2606:4700::1111', deployed)).toBe(false);
    expect(isForbiddenAddress('127.0.0.1', local)).toBe(false);
    expect(isForbiddenAddress('169.254.169.254', local)).toBe(true);
  });
});

import { BlockList, isIP } from 'node:net';
import { isLoopbackAddress, isLoopbackName, normalizeHost } from '#domain/network/addresses';

/**
 * The outbound URL guard (docs/events.md): where a notification may be sent. Checked when a channel is saved
 * (`checkOutboundUrl`) and again when a delivery connects, on the address DNS returned
 * (`isForbiddenAddress`, used by the delivery adapter), so a name that later resolves somewhere private
 * (DNS rebinding) is refused too. Address parsing and range matching are Node's own (`URL`, `net.BlockList`):
 * the WHATWG URL parser turns every IPv4 spelling (decimal `2130706433`, octal `0177.0.0.1`, hex `0x7f.1`,
 * short `127.1`) into dotted quads and compresses IPv6, so the ranges below see one canonical form.
 */

/** Special-purpose ranges (IANA registries) no notification may reach: private, shared, loopback, metadata, … */
const FORBIDDEN_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT (shared address space)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, incl. 169.254.169.254 (instance metadata) and 169.254.170.2 (ECS credentials)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
];
const FORBIDDEN_V6: readonly [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::ffff:0:0', 96], // IPv4-mapped: refused whatever IPv4 address it carries
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64: reaches IPv4 addresses
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7], // unique local, incl. fd00:ec2::254 (instance metadata over IPv6)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

// One list per family: a BlockList checks IPv4 addresses against IPv6 rules as IPv4-mapped, so the
// `::ffff:0:0/96` rule would otherwise refuse every IPv4 address.
const forbiddenV4 = new BlockList();
for (const [network, prefix] of FORBIDDEN_V4) forbiddenV4.addSubnet(network, prefix, 'ipv4');
const forbiddenV6 = new BlockList();
for (const [network, prefix] of FORBIDDEN_V6) forbiddenV6.addSubnet(network, prefix, 'ipv6');

export interface OutboundPolicy {
  /**
   * The local stack only (`QM_LOCAL_STACK`): loopback targets (the dev webhook receiver) are allowed, over
   * http too. A deployed stack never sets it.
   */
  allowLoopback: boolean;
  /** When set, the only host names allowed (Slack: `hooks.slack.com`). */
  hosts?: readonly string[];
}

/** True for an address no delivery may connect to (under the policy); non-addresses count as forbidden. */
export function isForbiddenAddress(address: string, policy: Pick<OutboundPolicy, 'allowLoopback'>): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (policy.allowLoopback && isLoopbackAddress(address)) return false;
  return family === 4 ? forbiddenV4.check(address, 'ipv4') : forbiddenV6.check(address, 'ipv6');
}

/** Why a URL is refused, or the parsed URL. Messages name no secret (a Slack URL is one): only the rule. */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  const host = normalizeHost(url.hostname);
  const loopbackTarget = isLoopbackName(host) || isLoopbackAddress(host);
  const localPlain = policy.allowLoopback && loopbackTarget && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !localPlain) return { ok: false, reason: 'must use https' };
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  if (isIP(host) !== 0) {
    if (isForbiddenAddress(host, policy)) return { ok: false, reason: 'points to a private, loopback, link-local or metadata address' };
  } else if (isLoopbackName(host) && !policy.allowLoopback) {
    return { ok: false, reason: 'points to a private, loopback, link-local or metadata address' };
  } else if (!host.includes('.') && !isLoopbackName(host)) {
    return { ok: false, reason: 'must name a fully qualified host' };
  }
  if (policy.hosts && !policy.hosts.includes(host) && !(policy.allowLoopback && loopbackTarget)) {
    return { ok: false, reason: `must be on ${policy.hosts.join(' or ')}` };
  }
  return { ok: true, url };
}

/** Slack incoming webhooks live on this host only. */
export const SLACK_WEBHOOK_HOSTS = ['hooks.slack.com'] as const;

import { BlockList, isIP } from 'node:net';

/**
 * IP address rules that every outbound guard shares (notification targets, Kubernetes API servers): the
 * canonical host form, loopback, and the link-local and instance-metadata ranges no function may ever reach.
 * Each guard adds its own policy on top (notifications also refuse private ranges; clusters allow them).
 * Ranges are matched by Node's `net.BlockList`, one list per family: a BlockList checks IPv4 addresses
 * against IPv6 rules as IPv4-mapped, so a v6 rule would otherwise catch every IPv4 address.
 */

/** `[::1]` → `::1`; `example.com.` → `example.com` (a trailing dot names the same host). */
export const normalizeHost = (host: string): string => {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.endsWith('.') ? bare.slice(0, -1).toLowerCase() : bare.toLowerCase();
};

export const isLoopbackName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

const loopbackV4 = new BlockList();
loopbackV4.addSubnet('127.0.0.0', 8, 'ipv4');
const loopbackV6 = new BlockList();
loopbackV6.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1 (per family, so an IPv4-mapped address never counts as loopback). */
export const isLoopbackAddress = (address: string): boolean => {
  const family = isIP(address);
  return family === 4 ? loopbackV4.check(address, 'ipv4') : family === 6 && loopbackV6.check(address, 'ipv6');
};

const metadataV4 = new BlockList();
metadataV4.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local: 169.254.169.254 (IMDS), 169.254.170.2 (ECS), 169.254.170.23 (EKS Pod Identity)
metadataV4.addAddress('100.100.100.200', 'ipv4'); // another cloud's metadata service
const metadataV6 = new BlockList();
metadataV6.addSubnet('fe80::', 10, 'ipv6'); // link-local
metadataV6.addSubnet('fd00:ec2::', 32, 'ipv6'); // the instance metadata service over IPv6 (fd00:ec2::254)
const unspecifiedV4 = new BlockList();
unspecifiedV4.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network": 0.0.0.0 reaches the local host
const unspecifiedV6 = new BlockList();
unspecifiedV6.addAddress('::', 'ipv6');

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a9fe:a9fe`, `::ffff:169.254.169.254`) reaches. */
function mappedIpv4(address: string): string | undefined {
  const v6 = address.toLowerCase();
  const dotted = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(v6);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!hex) return undefined;
  const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Checks an address against a pair of lists; an IPv4-mapped IPv6 address is checked as the IPv4 it reaches. */
function inRanges(address: string, v4: BlockList, v6: BlockList): boolean {
  const family = isIP(address);
  if (family === 4) return v4.check(address, 'ipv4');
  if (family !== 6) return true; // not an address: refused
  const mapped = mappedIpv4(address);
  return mapped !== undefined ? v4.check(mapped, 'ipv4') : v6.check(address, 'ipv6');
}

/**
 * Link-local and instance-metadata addresses, in any spelling Node accepts (including their IPv4-mapped IPv6
 * forms): never a legitimate target, whatever the guard. Non-addresses count as forbidden.
 */
export const isMetadataOrLinkLocalAddress = (address: string): boolean => inRanges(address, metadataV4, metadataV6);

/** 0.0.0.0/8 and `::`: they reach the local host. Non-addresses count as forbidden. */
export const isUnspecifiedAddress = (address: string): boolean => inRanges(address, unspecifiedV4, unspecifiedV6);

/** Loopback reached through an IPv4-mapped address counts as loopback (it is the same host). */
export const isLoopbackOrMappedLoopback = (address: string): boolean => {
  const mapped = isIP(address) === 6 ? mappedIpv4(address) : undefined;
  return isLoopbackAddress(mapped ?? address);
};

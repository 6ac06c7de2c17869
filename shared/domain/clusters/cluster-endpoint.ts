import { isIP } from 'node:net';
import { AppError } from '#domain/errors/app-error';
import {
  isLoopbackName,
  isLoopbackOrMappedLoopback,
  isMetadataOrLinkLocalAddress,
  isUnspecifiedAddress,
  normalizeHost,
} from '#domain/network/addresses';

/**
 * Where Quartermaster may connect (DESIGN §4.4). The API server is reached with credentials that can start
 * GPU jobs, and from inside the VPC: an endpoint is `https://` with a CA; private addresses are fine
 * (private EKS endpoints live in the VPC), link-local and instance-metadata addresses never (they would
 * turn registration into a way to make functions call the metadata service), loopback only in the local
 * stack. Host names are accepted: the connector resolves them at connect time and applies the same address
 * rules to what DNS returned (`clusterAddressRefusal`), then connects to that checked address only; TLS
 * verifies the certificate against the registered CA.
 */
export interface EndpointPolicy {
  allowLoopback: boolean;
}

const invalid = (message: string, field = 'body.endpoint'): AppError =>
  new AppError('validation_failed', message, { fields: [{ field, message }] });

/**
 * Why Quartermaster must not connect to this IP address, or undefined when it may. Applied to a literal
 * address at registration and to every address a host name resolves to at connect time, so a name that
 * later resolves to the metadata service (DNS rebinding) is refused too.
 */
export function clusterAddressRefusal(address: string, policy: EndpointPolicy): string | undefined {
  if (isMetadataOrLinkLocalAddress(address)) return 'a link-local or instance-metadata address';
  if (isUnspecifiedAddress(address)) return 'an unspecified address';
  if (isLoopbackOrMappedLoopback(address) && !policy.allowLoopback) return 'a loopback address (allowed in the local stack only)';
  return undefined;
}

/** Returns the normalised endpoint (`https://host[:port]`) or throws a 400 naming `body.endpoint`. */
export function checkEndpoint(endpoint: string, policy: EndpointPolicy): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalid('endpoint must be an absolute https:// URL');
  }
  if (url.protocol !== 'https:') throw invalid('endpoint must use https (the API server is verified against the registered CA)');
  if (url.username || url.password) throw invalid('endpoint must not carry credentials');
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    throw invalid('endpoint is the API server origin: no path, query or fragment');
  // The WHATWG parser has already turned every IPv4 spelling into dotted quads and compressed IPv6.
  const host = normalizeHost(url.hostname);
  if (isLoopbackName(host) && !policy.allowLoopback)
    throw invalid('endpoint must not be a loopback address (allowed in the local stack only)');
  if (isIP(host) !== 0) {
    const refusal = clusterAddressRefusal(host, policy);
    if (refusal) throw invalid(`endpoint must not be ${refusal}`);
  }
  return url.origin;
}

/** The CA is one or more PEM certificates; nothing else (a private key pasted by mistake is refused). */
export function checkCaPem(caPem: string): string {
  const trimmed = caPem.trim();
  const blocks = trimmed.match(/-----BEGIN ([A-Z ]+)-----/g) ?? [];
  if (blocks.length === 0 || blocks.some((b) => b !== '-----BEGIN CERTIFICATE-----')) {
    throw invalid('caPem must hold PEM certificates (-----BEGIN CERTIFICATE-----) and nothing else', 'body.caPem');
  }
  return `${trimmed}\n`;
}

import { AppError } from '#domain/errors/app-error';

/**
 * Where Quartermaster may connect (DESIGN §4.4). The API server is reached with credentials that can start
 * GPU jobs, and from inside the VPC: an endpoint is `https://` with a CA; private addresses are fine
 * (private EKS endpoints live in the VPC), link-local and instance-metadata addresses never (they would
 * turn registration into a way to make functions call the metadata service), loopback only in the local
 * stack. Host names are accepted; the connection verifies the certificate against the registered CA.
 */
export interface EndpointPolicy {
  allowLoopback: boolean;
}

const invalid = (message: string, field = 'body.endpoint'): AppError =>
  new AppError('validation_failed', message, { fields: [{ field, message }] });

function ipv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

/** Classifies a literal address; undefined for a DNS name. */
function addressClass(host: string): 'loopback' | 'link-local' | 'unspecified' | 'other' | undefined {
  const v4 = ipv4(host);
  if (v4) {
    if (v4[0] === 127) return 'loopback';
    if (v4[0] === 169 && v4[1] === 254) return 'link-local';
    if (v4[0] === 0) return 'unspecified';
    if (v4[0] === 100 && v4[1] === 100 && v4[2] === 100 && v4[3] === 200) return 'link-local'; // EKS Pod Identity agent
    return 'other';
  }
  if (!host.startsWith('[')) return undefined;
  const v6 = host.slice(1, -1).toLowerCase();
  if (v6 === '::1') return 'loopback';
  if (v6 === '::') return 'unspecified';
  if (/^fe[89ab]/.test(v6) || v6.startsWith('fd00:ec2::')) return 'link-local'; // fe80::/10 and the IMDS IPv6 address
  // IPv4-mapped addresses reach the IPv4 host: URL writes them in hex (`::ffff:a9fe:a9fe`).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (mapped) {
    const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
    return addressClass(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`) ?? 'other';
  }
  return 'other';
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
  const host = url.hostname.toLowerCase();
  const kind = host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : addressClass(host);
  if (kind === 'link-local') throw invalid('endpoint must not be a link-local or instance-metadata address');
  if (kind === 'unspecified') throw invalid('endpoint must not be an unspecified address');
  if (kind === 'loopback' && !policy.allowLoopback)
    throw invalid('endpoint must not be a loopback address (allowed in the local stack only)');
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

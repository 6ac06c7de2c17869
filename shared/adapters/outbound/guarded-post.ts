import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { normalizeHost } from '#domain/network/addresses';
import { checkOutboundUrl, isForbiddenAddress, type OutboundPolicy } from '#domain/notifications/outbound-url';

export interface PostOutcome {
  /** HTTP status, when the target answered. */
  status?: number;
  /** Seconds the target asked us to wait (`Retry-After`), when it said so. */
  retryAfterSeconds?: number;
  /** Why the attempt failed; never the URL (a Slack URL is a secret). */
  error?: string;
  latencyMs: number;
}

export class ForbiddenTargetError extends Error {}

/**
 * POSTs to a notification target with the outbound URL guard applied at connect time: the host is resolved
 * here, every address it resolves to must pass `isForbiddenAddress`, and the socket connects to the checked
 * address (TLS still verifies the host name). Redirects are never followed (a 3xx is a failure), the whole
 * attempt is bounded by `timeoutMs`, and the response body is read and discarded.
 */
export async function guardedPost(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { policy: OutboundPolicy; timeoutMs: number; resolve?: (host: string) => Promise<string[]> },
): Promise<PostOutcome> {
  const started = Date.now();
  const checked = checkOutboundUrl(rawUrl, options.policy);
  if (!checked.ok) throw new ForbiddenTargetError(`target URL ${checked.reason}`);
  const url = checked.url;
  const host = normalizeHost(url.hostname);
  const resolve =
    options.resolve ?? (async (name: string) => (await lookup(name, { all: true, verbatim: true })).map((entry) => entry.address));
  // The name lookup counts against the attempt's bound too: a resolver that never answers must not hang a delivery.
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    resolve(host),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no address for the target host within ${options.timeoutMs} ms`)), options.timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  if (addresses.length === 0 || addresses.some((address) => isForbiddenAddress(address, options.policy))) {
    throw new ForbiddenTargetError('target host resolves to a private, loopback, link-local or metadata address');
  }
  const pinned = addresses[0] as string;
  const family = pinned.includes(':') ? 6 : 4;
  // Node calls `lookup` instead of DNS: the connection goes to the address checked above, and nowhere else.
  const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: pinned, family }]);
    else callback(null, pinned, family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return await new Promise<PostOutcome>((resolvePromise) => {
    const finish = (outcome: Omit<PostOutcome, 'latencyMs'>) => resolvePromise({ ...outcome, latencyMs: Date.now() - started });
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
        lookup: pinnedLookup,
        timeout: options.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const retryAfter = Number(res.headers['retry-after']);
          const extra = Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {};
          if (status >= 200 && status < 300) finish({ status });
          else if (status >= 300 && status < 400) finish({ status, error: `redirect (${status}) not followed` });
          else finish({ status, error: `HTTP ${status}`, ...extra });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (error) => finish({ error: error.message.replace(rawUrl, '<url>') }));
    req.end(body);
  });
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenTargetError, guardedPost } from '#adapters/outbound/guarded-post';

/** A real HTTP server on loopback plays the notification target; the local stack's policy admits loopback. */
const received: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/redirect') res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
      else if (req.url === '/busy') res.writeHead(429, { 'retry-after': '7' }).end();
      else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 2_000);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const local = { policy: { allowLoopback: true }, timeoutMs: 1_000 };

describe('guarded POST to a notification target', () => {
  it('delivers body and headers to an admitted target', async () => {
    const outcome = await guardedPost(`${base}/ok`, '{"a":1}', { 'webhook-id': 'msg_1' }, local);
    expect(outcome).toMatchObject({ status: 204 });
    expect(received.at(-1)).toMatchObject({
      path: '/ok',
      body: '{"a":1}',
      headers: { 'webhook-id': 'msg_1', 'content-type': 'application/json' },
    });
  });

  it('does not follow redirects', async () => {
    const count = received.length;
    const outcome = await guardedPost(`${base}/redirect`, '{}', {}, local);
    expect(outcome).toMatchObject({ status: 302, error: 'redirect (302) not followed' });
    expect(received.length).toBe(count + 1);
  });

  it('reports Retry-After and bounds the wait', async () => {
    expect(await guardedPost(`${base}/busy`, '{}', {}, local)).toMatchObject({ status: 429, retryAfterSeconds: 7 });
    const slow = await guardedPost(`${base}/slow`, '{}', {}, { ...local, timeoutMs: 200 });
    expect(slow.status).toBeUndefined();
    expect(slow.error).toMatch(/no answer within 200 ms/);
  });

  it('refuses loopback under the deployed policy, before any byte is sent', async () => {
    const count = received.length;
    await expect(guardedPost(`${base}/ok`, '{}', {}, { policy: { allowLoopback: false }, timeoutMs: 1_000 })).rejects.toThrow(
      ForbiddenTargetError,
    );
    expect(received.length).toBe(count);
  });

  it('refuses at connect time a public-looking name that resolves to a private or metadata address (DNS rebinding)', async () => {
    for (const address of ['127.0.0.1', '169.254.169.254', '10.0.0.7', '::ffff:127.0.0.1']) {
      const rebinding = { policy: { allowLoopback: false }, timeoutMs: 1_000, resolve: () => Promise.resolve(['93.184.216.34', address]) };
      await expect(guardedPost('https://hooks.example.com/x', '{}', {}, rebinding), address).rejects.toThrow(/resolves to a private/);
    }
  });

  it('connects to the address it checked, not to a second DNS answer', async () => {
    // The name is checked once: it "resolves" to loopback (admitted locally) and the socket goes there.
    const port = (server.address() as AddressInfo).port;
    const outcome = await guardedPost(
      `http://localhost:${port}/pinned`,
      '{}',
      {},
      { ...local, resolve: () => Promise.resolve(['127.0.0.1']) },
    );
    expect(outcome.status).toBe(204);
    expect(received.at(-1)?.path).toBe('/pinned');
  });
});

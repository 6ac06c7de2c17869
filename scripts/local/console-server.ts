import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleCsp } from '#lib/constructs/console-csp';

/**
 * Serves the built web console (web/dist) on loopback the way CloudFront does in a deployment: static
 * files, `index.html` for every client-side route, a runtime `config.json`, and the same security headers
 * (the CSP names exactly the API and identity-provider origins the SPA talks to).
 */
export const CONSOLE_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface ConsoleRuntimeConfig {
  apiUrl: string;
  stage?: string;
  providers: Array<Record<string, unknown>>;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export function consoleBuilt(dist: string = CONSOLE_DIST): boolean {
  return existsSync(join(dist, 'index.html'));
}

export async function startConsoleServer(options: {
  port: number;
  config: ConsoleRuntimeConfig;
  connectOrigins: readonly string[];
  dist?: string;
}): Promise<RunningConsole> {
  const dist = resolve(options.dist ?? CONSOLE_DIST);
  const configBody = JSON.stringify(options.config);
  const headers = {
    'content-security-policy': consoleCsp(options.connectOrigins),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  const server = createServer((request, response) => {
    void (async () => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, headers).end();
        return;
      }
      if (path === '/config.json') {
        response.writeHead(200, { ...headers, 'content-type': TYPES['.json'], 'cache-control': 'no-store' }).end(configBody);
        return;
      }
      const file = normalize(join(dist, path));
      const inside = file.startsWith(dist + sep);
      const body = inside && extname(file) ? await readFile(file).catch(() => undefined) : undefined;
      if (body) {
        // Hashed asset names never change content: cache them for good; everything else revalidates.
        const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
        response
          .writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache })
          .end(body);
        return;
      }
      if (extname(path) && path.startsWith('/assets/')) {
        response.writeHead(404, headers).end();
        return;
      }
      // A client-side route: the app shell renders it (as CloudFront's error response does).
      const index = await readFile(join(dist, 'index.html'));
      response.writeHead(200, { ...headers, 'content-type': TYPES['.html'], 'cache-control': 'no-cache' }).end(index);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

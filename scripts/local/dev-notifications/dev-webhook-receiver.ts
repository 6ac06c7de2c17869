import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { LOCAL_HOST } from '#scripts/local/ports';
import { escapeHtml, listenOnLoopback, listPage } from './dev-page';

export interface ReceivedWebhook {
  receivedAt: string;
  path: string;
  /** The `webhook-id` header. */
  id: string;
  verified: boolean;
  /** The event type and subject (verified deliveries), or why verification failed. */
  summary: string;
  /** The verified body (the event envelope); absent when refused. */
  body?: unknown;
  answered: number;
}

export interface DevWebhookReceiver {
  /** POST targets: `<url>/hooks` (answers 204), `<url>/hooks/status/<code>` (answers `<code>` after verifying). */
  url: string;
  /** The signing secret a channel pointing here must hold (`whsec_…`). */
  secret: string;
  received: readonly ReceivedWebhook[];
  stop(): Promise<void>;
}

const KEEP = 200;
const MAX_BODY = 256 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const headerOf = (req: IncomingMessage, name: string): string => {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};

/**
 * The dev webhook receiver (local stack only): verifies every delivery's Standard Webhooks signature with the
 * `standardwebhooks` library (id, timestamp within its tolerance, body; any of the signatures of a rotation),
 * answers 401 to a delivery that does not verify, and lists what it received. `/hooks/status/<code>` answers
 * with that status after verifying (e.g. 503 with `Retry-After: 1`), to watch retries and degraded channels.
 */
export async function startDevWebhookReceiver(options: { port?: number; secret: string }): Promise<DevWebhookReceiver> {
  const verifier = new Webhook(options.secret);
  const received: ReceivedWebhook[] = [];
  const keep = (entry: ReceivedWebhook) => {
    received.unshift(entry);
    received.splice(KEEP);
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'POST' && path.startsWith('/hooks')) {
      readBody(req)
        .then((body) => {
          const id = headerOf(req, 'webhook-id');
          const headers = {
            'webhook-id': id,
            'webhook-timestamp': headerOf(req, 'webhook-timestamp'),
            'webhook-signature': headerOf(req, 'webhook-signature'),
          };
          let event: { type?: string; subject?: string };
          try {
            event = verifier.verify(body, headers) as { type?: string; subject?: string };
          } catch (error) {
            const reason = error instanceof Error ? error.message : 'verification failed';
            keep({ receivedAt: new Date().toISOString(), path, id, verified: false, summary: reason, answered: 401 });
            res.writeHead(401, { 'content-type': 'text/plain' }).end(`signature refused: ${reason}`);
            return;
          }
          const status = /^\/hooks\/status\/(\d{3})$/.exec(path);
          const answered = status ? Number(status[1]) : 204;
          keep({
            receivedAt: new Date().toISOString(),
            path,
            id,
            verified: true,
            summary: `${event.type ?? '?'} ${event.subject ?? ''}`,
            body: event,
            answered,
          });
          res.writeHead(answered, answered === 503 || answered === 429 ? { 'retry-after': '1' } : {}).end();
        })
        .catch(() => res.writeHead(400).end());
      return;
    }
    if (path === '/deliveries.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
      return;
    }
    const rows = received.map(
      (entry) =>
        `<article><h3 class="${entry.verified ? 'ok' : 'bad'}">${entry.verified ? 'verified' : 'refused'} · ${escapeHtml(entry.summary)}</h3><p>${escapeHtml(entry.path)} · ${escapeHtml(entry.id)} · ${escapeHtml(entry.receivedAt)} · answered ${entry.answered}</p>${entry.body ? `<pre>${escapeHtml(JSON.stringify(entry.body, null, 2))}</pre>` : ''}</article>`,
    );
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(listPage('Dev webhook receiver', 'Standard Webhooks signatures verified with the standardwebhooks library', rows));
  });
  await listenOnLoopback(server, LOCAL_HOST, options.port ?? 0);
  return {
    url: `http://${LOCAL_HOST}:${(server.address() as AddressInfo).port}`,
    secret: options.secret,
    received,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

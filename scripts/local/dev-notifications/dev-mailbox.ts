import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { LOCAL_HOST } from '#scripts/local/ports';
import { escapeHtml, listenOnLoopback, listPage } from './dev-page';

export interface ReceivedMail {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface DevMailbox {
  /** SMTP sink on loopback: what the local stack's email transport sends to. */
  smtp: { host: string; port: number };
  /** The page listing received mail (subject, to, body), and `<url>/messages.json`. */
  url: string;
  messages: readonly ReceivedMail[];
  stop(): Promise<void>;
}

/** Newest kept; older mail falls off, so a long-running dev stack does not grow without bound. */
const KEEP = 200;

/**
 * The dev mailbox (local stack only): an SMTP sink (`smtp-server`, no auth, loopback) that parses every message
 * (`mailparser`) and keeps it in memory, plus a small page listing what arrived. It stands in for SES and the
 * inboxes behind it, so every email notification is visible offline.
 */
export async function startDevMailbox(options: { smtpPort?: number; httpPort?: number } = {}): Promise<DevMailbox> {
  const messages: ReceivedMail[] = [];
  let next = 1;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.unshift({
            id: next++,
            receivedAt: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          });
          messages.splice(KEEP);
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error('unreadable message')));
    },
  });
  await listenOnLoopback(smtp.server, LOCAL_HOST, options.smtpPort ?? 0);
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const page: Server = createServer((req, res) => {
    if (req.url === '/messages.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(messages));
      return;
    }
    const rows = messages.map(
      (mail) =>
        `<article><h3>${escapeHtml(mail.subject)}</h3><p>to ${escapeHtml(mail.to.join(', '))} · from ${escapeHtml(mail.from)} · ${escapeHtml(mail.receivedAt)}</p><pre>${escapeHtml(mail.text)}</pre></article>`,
    );
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(listPage('Dev mailbox', `SMTP sink on ${LOCAL_HOST}:${smtpPort}`, rows));
  });
  await listenOnLoopback(page, LOCAL_HOST, options.httpPort ?? 0);
  const url = `http://${LOCAL_HOST}:${(page.address() as AddressInfo).port}`;
  return {
    smtp: { host: LOCAL_HOST, port: smtpPort },
    url,
    messages,
    async stop() {
      page.closeAllConnections();
      await new Promise<void>((resolve) => page.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

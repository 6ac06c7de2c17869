import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { EmailMessage, EmailTransport } from '#domain/notifications/notifications.port';

/**
 * The local stack's email transport: plain SMTP to the dev mailbox on loopback, a stand-in for SES (which does
 * not run here). It speaks just what a delivery needs (EHLO, MAIL, RCPT, DATA, QUIT) and builds the same
 * message SES would (subject, text and HTML alternatives, UTF-8, base64 parts).
 */
export class SmtpEmailTransport implements EmailTransport {
  constructor(private readonly options: { host: string; port: number; from: string; timeoutMs?: number }) {}

  async send(message: EmailMessage): Promise<void> {
    const socket = connect({ host: this.options.host, port: this.options.port });
    socket.setTimeout(this.options.timeoutMs ?? 5_000, () => socket.destroy(new Error('the SMTP server did not answer in time')));
    const replies = replyReader(socket);
    try {
      await replies.expect(220);
      await command(socket, replies, 'EHLO quartermaster.local', 250);
      await command(socket, replies, `MAIL FROM:<${this.options.from}>`, 250);
      await command(socket, replies, `RCPT TO:<${message.to}>`, 250);
      await command(socket, replies, 'DATA', 354);
      await command(socket, replies, `${mime(this.options.from, message)}\r\n.`, 250);
      socket.write('QUIT\r\n');
    } finally {
      socket.end();
    }
  }
}

const base64Lines = (text: string): string =>
  (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');

/** A multipart/alternative message; base64 parts never start a line with a dot, so no dot-stuffing is needed. */
function mime(from: string, message: EmailMessage): string {
  const boundary = `qm-${randomBytes(8).toString('hex')}`;
  return [
    `From: Quartermaster <${from}>`,
    `To: <${message.to}>`,
    `Subject: =?UTF-8?B?${Buffer.from(message.subject, 'utf8').toString('base64')}?=`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@quartermaster.local>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.html),
    `--${boundary}--`,
  ].join('\r\n');
}

async function command(socket: Socket, replies: ReturnType<typeof replyReader>, line: string, expected: number): Promise<void> {
  socket.write(`${line}\r\n`);
  await replies.expect(expected);
}

/** Reads SMTP replies (multi-line ones end at `NNN ` rather than `NNN-`) and checks their code. */
function replyReader(socket: Socket) {
  let buffer = '';
  let failure: Error | undefined;
  const waiting: (() => void)[] = [];
  const wake = () => waiting.splice(0).forEach((resolve) => resolve());
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    wake();
  });
  socket.on('error', (error) => {
    failure = error;
    wake();
  });
  socket.on('close', () => {
    failure ??= new Error('the SMTP server closed the connection');
    wake();
  });
  const nextReply = async (): Promise<string> => {
    for (;;) {
      const match = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(buffer);
      if (match) {
        buffer = buffer.slice(match[0].length);
        return match[0];
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  return {
    async expect(code: number): Promise<void> {
      const reply = await nextReply();
      const got = Number(reply.slice(0, 3));
      // The reply text can quote the recipient: only the code is reported.
      if (got !== code) throw new Error(`the SMTP server answered ${got} (expected ${code})`);
    },
  };
}

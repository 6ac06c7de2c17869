/** HTML of the dev mailbox and webhook receiver pages: text only, everything received is escaped. */
export const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function listPage(title: string, subtitle: string, rows: readonly string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}article{border-top:1px solid #ccc;padding:.5rem 0}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}.bad{color:#b00}.ok{color:#070}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)} · refreshes every 5 s · local stack only</p>
${rows.length > 0 ? rows.join('\n') : '<p>Nothing received yet.</p>'}</body></html>`;
}

/**
 * Listens on `port` (loopback), or on any free port when that one is taken: `npm run dev` asks for fixed ports
 * next to the API's, and the seeded channels are re-pointed at whatever was bound at every start.
 */
export async function listenOnLoopback(
  server: {
    listen(port: number, host: string, done: () => void): unknown;
    once(event: 'error', fn: (error: Error) => void): unknown;
    off(event: 'error', fn: (error: Error) => void): unknown;
  },
  host: string,
  port: number,
): Promise<void> {
  const attempt = (wanted: number) =>
    new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => reject(error);
      server.once('error', fail);
      server.listen(wanted, host, () => {
        server.off('error', fail);
        resolve();
      });
    });
  try {
    await attempt(port);
  } catch (error) {
    if (port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await attempt(0);
  }
}

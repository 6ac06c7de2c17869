import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DevCertificate {
  /** PEM certificate; it is its own CA (trust it with `ca`, never globally). */
  cert: string;
  key: string;
}

/**
 * A self-signed certificate for 127.0.0.1/localhost, made with the `openssl` CLI (node:crypto cannot write
 * X.509) and kept in `dir` so a restarted dev stack presents the same one. Local stack and tests only: the
 * dev IdP must speak https because aws-jwt-verify fetches JWKS over https only.
 */
export async function ensureDevCertificate(dir: string): Promise<DevCertificate> {
  const certFile = join(dir, 'dev-cert.pem');
  const keyFile = join(dir, 'dev-key.pem');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '30',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'pipe' },
    );
  }
  return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
}

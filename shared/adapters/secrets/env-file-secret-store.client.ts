import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '#domain/secrets/secrets.port';

/** docs/architecture.md#security-notes key normalisation: upper-case, `-` and `.` (and `/`) become `_`. */
export const normalizeSecretKey = (name: string): string => name.toUpperCase().replace(/[-./]/g, '_');

const SAFE_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The local stack's secret store: `env:NAME` reads an environment variable, `file:NAME` a file in `dir`
 * (mode 0600), and a bare name tries the environment, then the file. `put` writes a file. It is the first
 * two steps of the §4.11 lookup chain; deployed functions use Secrets Manager instead.
 */
export class EnvFileSecretStore implements SecretStore {
  constructor(
    private readonly dir: string,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  async get(ref: string): Promise<string> {
    const [scheme, rest] = ref.includes(':') ? [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)] : ['', ref];
    if (!SAFE_NAME.test(rest)) throw new Error('invalid secret reference');
    if (scheme === 'env' || scheme === '') {
      const value = this.env[normalizeSecretKey(rest)];
      if (value) return value;
      if (scheme === 'env') throw new Error('secret not found');
    }
    if (scheme === 'file' || scheme === '') {
      const value = (await readFile(join(this.dir, rest), 'utf8')).trim();
      if (value) return value;
    }
    throw new Error('secret not found');
  }

  async put(name: string, value: string): Promise<string> {
    const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(join(this.dir, safe), value, { mode: 0o600 });
    return `file:${safe}`;
  }
}

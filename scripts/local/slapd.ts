import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { aptInstall } from './apt';
import { freePort, LOCAL_HOST } from './ports';
import { stopProcess, trackProcess } from './process-group';

/**
 * OpenLDAP `slapd` from Debian, run as a plain user process on a loopback port with its own config and
 * data in a temporary folder (never the system instance). Entries are added over LDAP while it runs, so
 * the memberOf overlay fills `memberOf` as a real directory would.
 */
export const SLAPD_BIN = '/usr/sbin/slapd';
const SLAPD_PACKAGES = ['slapd', 'ldap-utils'];

export interface SlapdEntry {
  dn: string;
  attributes: Record<string, string | string[]>;
}

export interface RunningSlapd {
  url: string;
  suffix: string;
  rootDn: string;
  rootPassword: string;
  add(entries: readonly SlapdEntry[]): Promise<void>;
  stop(): Promise<void>;
}

/** Installs slapd from Debian when it is missing (root only), as `ensureJava` does for the JRE. */
export function ensureSlapd(): string {
  if (existsSync(SLAPD_BIN)) return SLAPD_BIN;
  aptInstall(SLAPD_PACKAGES, 'slapd');
  // The package's postinst may start a system instance on :389; ours never uses it, and neither do we stop it.
  if (!existsSync(SLAPD_BIN)) throw new Error('slapd still missing after apt-get install');
  return SLAPD_BIN;
}

function config(dir: string, suffix: string, rootDn: string, rootPassword: string): string {
  return [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    'include /etc/ldap/schema/nis.schema',
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'moduleload memberof',
    // Like many real directories (and AD), accept a DN with an empty password as an anonymous bind: our
    // login must refuse blank passwords itself, and the tests prove it against this behaviour.
    'allow bind_anon_dn',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    'database mdb',
    'maxsize 16777216',
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${rootPassword}`,
    `directory ${join(dir, 'data')}`,
    'overlay memberof',
    // Passwords: bind only. Everything else: readable by authenticated users (the service account);
    // anonymous binds succeed (as on many real servers) but see nothing.
    'access to attrs=userPassword by self write by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
}

/** Starts slapd on a free loopback port; resolves once it answers a bind. */
export async function startSlapd(options: { suffix?: string } = {}): Promise<RunningSlapd> {
  const binary = ensureSlapd();
  const suffix = options.suffix ?? 'dc=acme,dc=test';
  const rootDn = `cn=admin,${suffix}`;
  const rootPassword = randomBytes(18).toString('base64url');
  const dir = await mkdtemp(join(tmpdir(), 'qm-slapd-'));
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'slapd.conf'), config(dir, suffix, rootDn, rootPassword), { mode: 0o600 });
  const port = await freePort();
  const url = `ldap://${LOCAL_HOST}:${port}`;
  // `-d 0` keeps slapd in the foreground (a child we can stop) without debug output.
  const child = spawn(binary, ['-f', join(dir, 'slapd.conf'), '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const untrack = trackProcess(child, 'slapd');
  const stop = async (): Promise<void> => {
    await stopProcess(child, { graceMs: 3_000 });
    untrack();
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const client = new Client({ url, timeout: 1_000, connectTimeout: 1_000 });
    try {
      await client.bind(rootDn, rootPassword);
      await client.unbind();
      break;
    } catch {
      await client.unbind().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`slapd did not start: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const add = async (entries: readonly SlapdEntry[]): Promise<void> => {
    const client = new Client({ url, timeout: 5_000 });
    try {
      await client.bind(rootDn, rootPassword);
      for (const entry of entries) await client.add(entry.dn, entry.attributes);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  };
  await add([
    {
      dn: suffix,
      attributes: { objectClass: ['top', 'dcObject', 'organization'], o: 'Acme', dc: suffix.split(',')[0]?.split('=')[1] ?? 'acme' },
    },
  ]);
  return { url, suffix, rootDn, rootPassword, add, stop };
}

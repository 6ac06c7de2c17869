import { Client } from 'ldapts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSlapd, type RunningSlapd } from '#scripts/local/slapd';
import { LdaptsDirectory } from '#adapters/ldap/ldap-directory.client';
import type { LdapProvider } from '#domain/identity/identity-provider.schema';
import type { LdapDirectory } from '#domain/identity/identity.port';
import { authorize, startIdentityFixture, type IdentityFixture } from '#test-support/identity-fixture';

/**
 * LDAP sign-in against a real OpenLDAP `slapd` (a user process on a loopback port, memberOf overlay),
 * through the real HTTP route, ldapts and DynamoDB Local. slapd here accepts a DN with an empty password
 * as an anonymous bind, as many directories do: the guard against it must be ours.
 */
const SUFFIX = 'dc=acme,dc=test';
const PEOPLE = `ou=people,${SUFFIX}`;
const SERVICE_DN = `cn=quartermaster,ou=services,${SUFFIX}`;
const SERVICE_PASSWORD = 'service-bind-canary-9f3a1c';
const CANARY_PASSWORD = 'rae-ldap-canary-password-7d41';

/** Counts directory calls, to prove that some refusals happen before any bind. */
class CountingDirectory implements LdapDirectory {
  calls = 0;
  constructor(private readonly inner: LdapDirectory) {}
  authenticate(...args: Parameters<LdapDirectory['authenticate']>) {
    this.calls++;
    return this.inner.authenticate(...args);
  }
}

let slapd: RunningSlapd;
let fx: IdentityFixture;
const directory = new CountingDirectory(new LdaptsDirectory());

const person = (uid: string, ou: string, password: string) => ({
  dn: `uid=${uid},${ou}`,
  attributes: { objectClass: ['inetOrgPerson'], uid, cn: uid, sn: uid, mail: `${uid}@acme.test`, userPassword: password },
});

beforeAll(async () => {
  [slapd, fx] = await Promise.all([startSlapd({ suffix: SUFFIX }), startIdentityFixture({ ldap: directory })]);
  await slapd.add([
    { dn: `ou=people,${SUFFIX}`, attributes: { objectClass: ['organizationalUnit'], ou: 'people' } },
    { dn: `ou=contractors,${SUFFIX}`, attributes: { objectClass: ['organizationalUnit'], ou: 'contractors' } },
    { dn: `ou=services,${SUFFIX}`, attributes: { objectClass: ['organizationalUnit'], ou: 'services' } },
    { dn: `ou=groups,${SUFFIX}`, attributes: { objectClass: ['organizationalUnit'], ou: 'groups' } },
    {
      dn: SERVICE_DN,
      attributes: { objectClass: ['person', 'simpleSecurityObject'], cn: 'quartermaster', sn: 'svc', userPassword: SERVICE_PASSWORD },
    },
    person('rae', PEOPLE, CANARY_PASSWORD),
    person('lin', PEOPLE, 'lin-ldap-pw'),
    person('sam', PEOPLE, 'sam-pw-1'),
    person('sam', `ou=contractors,${SUFFIX}`, 'sam-pw-2'),
    person('a*', PEOPLE, 'star-pw'),
    {
      dn: `cn=qm-researchers,ou=groups,${SUFFIX}`,
      attributes: { objectClass: ['groupOfNames'], cn: 'qm-researchers', member: [`uid=rae,${PEOPLE}`, `uid=sam,${PEOPLE}`] },
    },
    { dn: `cn=qm-leads,ou=groups,${SUFFIX}`, attributes: { objectClass: ['groupOfNames'], cn: 'qm-leads', member: [`uid=lin,${PEOPLE}`] } },
  ]);
  await fx.secrets.put('ldap-bind', SERVICE_PASSWORD);
  const provider: LdapProvider = {
    schemaVersion: 1,
    id: 'corp-ldap',
    type: 'ldap',
    displayName: 'Corporate directory',
    scope: 'org',
    enabled: true,
    jitProvisioning: true,
    defaultOrgId: 'acme',
    groupMappings: [
      { group: `CN=qm-researchers,OU=groups,${SUFFIX.toUpperCase()}`, level: 'researcher', teamIds: ['vision'], platformAdmin: false },
      { group: `cn=qm-leads,ou=groups,${SUFFIX}`, level: 'lead', teamIds: ['vision'], platformAdmin: false },
    ],
    url: slapd.url,
    startTls: false,
    baseDn: SUFFIX,
    bindDn: SERVICE_DN,
    bindPasswordRef: 'file:ldap-bind',
    userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
    usernameAttribute: 'uid',
    emailAttribute: 'mail',
    nameAttribute: 'cn',
    groupSource: 'memberOf',
  };
  await fx.stores.providers.put(provider, { expectNew: true });
}, 60_000);

afterAll(async () => {
  await Promise.all([fx?.stop(), slapd?.stop()]);
});

afterEach(() => {
  directory.calls = 0;
});

const login = (username: string, password: string) =>
  fetch(`${fx.url}/v1/auth/ldap/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });

describe('LDAP login', () => {
  it('signs in with the right password: a session with the level its groups (memberOf) map to', async () => {
    const response = await login('rae', CANARY_PASSWORD);
    expect(response.status).toBe(200);
    const session = (await response.json()) as { accessToken: string; refreshToken: string };
    const result = await authorize(fx.newAuthorizer(), session.accessToken);
    expect(JSON.parse(result.context?.principal ?? '{}')).toMatchObject({
      level: 'researcher',
      teamIds: ['vision'],
      orgId: 'acme',
      authMethod: 'session',
    });
  });

  it('gives unknown user and wrong password the same answer, and audits both with auth.login_failure', async () => {
    const unknown = await login('nobody', 'whatever-pw');
    const wrong = await login('lin', 'not-lin-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
    const failures = fx.recorder.events.filter((e) => e.type === 'auth.login_failure' && e.data.method === 'ldap');
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(fx.recorder.audit.filter((e) => e.outcome === 'failure' && e.target === 'provider/corp-ldap').length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['an asterisk (wildcard)', '*'],
    ['a prefix wildcard', 'r*'],
    ['a filter break-out', 'rae)(uid=*'],
    ['a filter break-out with OR', '*)(|(uid=*'],
    ['a backslash', 'rae\\'],
    ['a NUL byte', 'rae\u0000'],
  ])('escapes %s in the username and matches exactly (no sign-in)', async (_name, username) => {
    expect((await login(username, CANARY_PASSWORD)).status).toBe(401);
  });

  it('matches a username that really contains an asterisk only exactly', async () => {
    expect((await login('a*', 'star-pw')).status).toBe(401); // no mapped group: refused, but found and bound
    expect(fx.recorder.audit.at(-1)?.details).toMatchObject({ reason: 'no_mapping' });
    expect((await login('a', 'star-pw')).status).toBe(401);
    expect(fx.recorder.audit.at(-1)?.details).toMatchObject({ reason: 'invalid_credentials' });
  });

  it.each([
    ['empty', ''],
    ['whitespace', '   '],
    ['tab and newline', '\t\n'],
  ])('refuses a %s password before any bind', async (_name, password) => {
    expect((await login('rae', password)).status).toBe(401);
    expect(directory.calls).toBe(0);
  });

  it('would otherwise be an anonymous bind that "succeeds" on this directory', async () => {
    const client = new Client({ url: slapd.url });
    await expect(client.bind(`uid=rae,${PEOPLE}`, '')).resolves.toBeUndefined();
    await client.unbind();
    // …and the adapter itself refuses it too, even when called directly.
    await expect(
      new LdaptsDirectory().authenticate((await fx.stores.providers.get('corp-ldap')) as LdapProvider, SERVICE_PASSWORD, 'rae', ''),
    ).resolves.toBeUndefined();
  });

  it('refuses a search that returns more than one entry', async () => {
    expect((await login('sam', 'sam-pw-1')).status).toBe(401);
    expect(fx.recorder.audit.at(-1)?.details).toMatchObject({ reason: 'invalid_credentials' });
  });

  it('never lets a token, password or secret reach the logs or responses (canary)', async () => {
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    const originalErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = (chunk: string | Uint8Array) => (writes.push(String(chunk)), true);
    process.stderr.write = (chunk: string | Uint8Array) => (writes.push(String(chunk)), true);
    const bodies: string[] = [];
    try {
      const ok = await login('rae', CANARY_PASSWORD);
      const okBody = await ok.text();
      bodies.push(okBody);
      const session = JSON.parse(okBody) as { accessToken: string; refreshToken: string };
      bodies.push(await (await login('rae', `${CANARY_PASSWORD}-wrong`)).text());
      bodies.push(await (await fetch(`${fx.url}/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } })).text());
      const refreshed = await fetch(`${fx.url}/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      bodies.push(await refreshed.text());
      bodies.push(
        await (
          await fetch(`${fx.url}/v1/admin/identity-providers/corp-ldap`, { headers: { authorization: `Bearer ${session.accessToken}` } })
        ).text(),
      );
      const logs = writes.join('');
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of [
        CANARY_PASSWORD,
        SERVICE_PASSWORD,
        session.accessToken,
        session.refreshToken,
        'break-glass-canary-secret-0123456789',
      ]) {
        expect(logs.includes(secret), 'a secret reached the logs').toBe(false);
      }
      for (const body of bodies.slice(1)) {
        for (const secret of [CANARY_PASSWORD, SERVICE_PASSWORD, session.refreshToken])
          expect(body.includes(secret), 'a secret reached a response').toBe(false);
      }
      expect(JSON.stringify(fx.recorder.audit).includes(CANARY_PASSWORD)).toBe(false);
      expect(JSON.stringify(fx.recorder.events).includes(CANARY_PASSWORD)).toBe(false);
    } finally {
      process.stdout.write = original;
      process.stderr.write = originalErr;
    }
  });
});

describe('break-glass login', () => {
  it('exchanges the generated secret for a short, non-refreshable platform-admin session; every use is audited', async () => {
    const send = (secret: string) =>
      fetch(`${fx.url}/v1/auth/break-glass`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret }),
      });
    expect((await send('wrong-secret')).status).toBe(401);
    expect(fx.recorder.audit.at(-1)).toMatchObject({
      action: 'auth.login',
      outcome: 'failure',
      details: { reason: 'break_glass_invalid' },
    });
    const ok = await send('break-glass-canary-secret-0123456789');
    expect(ok.status).toBe(200);
    const session = (await ok.json()) as { accessToken: string; refreshToken?: string };
    expect(session.refreshToken).toBeUndefined();
    expect(fx.recorder.audit.at(-1)).toMatchObject({ action: 'auth.break_glass', outcome: 'success', actor: 'break-glass' });
    const principal = JSON.parse((await authorize(fx.newAuthorizer(), session.accessToken)).context?.principal ?? '{}') as Record<
      string,
      unknown
    >;
    expect(principal).toMatchObject({ userId: 'break-glass', platformAdmin: true, level: 'admin' });
  });
});

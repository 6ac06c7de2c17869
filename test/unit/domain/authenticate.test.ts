import { describe, expect, it, vi } from 'vitest';
import { principalSchema, type Principal } from '#domain/authz/principal';
import { authenticate, bearerCredential } from '#domain/identity/authenticate.service';
import type { CredentialVerifier, UserRepository } from '#domain/identity/identity.port';
import { userSchema, type User } from '#domain/users/user.schema';

/** An in-memory user table that records its reads. */
class InMemoryUsers implements UserRepository {
  readonly reads: string[] = [];
  private readonly users = new Map<string, User>();

  constructor(users: Array<Partial<User> & { id: string }>) {
    for (const user of users) {
      this.users.set(
        user.id,
        userSchema.parse({
          email: `${user.id}@acme.test`,
          displayName: user.id,
          orgId: 'acme',
          level: 'researcher',
          createdAt: '2026-01-01T00:00:00Z',
          ...user,
        }),
      );
    }
  }

  async get(id: string): Promise<User | undefined> {
    this.reads.push(id);
    return this.users.get(id);
  }

  async create(user: User): Promise<boolean> {
    if (this.users.has(user.id)) return false;
    this.users.set(user.id, user);
    return true;
  }

  async save(next: User, expectedVersion: number): Promise<boolean> {
    if ((this.users.get(next.id)?.authzVersion ?? 0) !== expectedVersion) return false;
    this.users.set(next.id, next);
    return true;
  }
}

const users = () =>
  new InMemoryUsers([
    { id: 'rae', level: 'researcher', teamIds: ['vision'] },
    { id: 'ada', level: 'admin', orgId: 'globex', platformAdmin: true },
    { id: 'dan', level: 'admin', status: 'disabled' },
  ]);

/**
 * A stand-in verifier for these tests only: `dev:<userId>` names a user without any signature. (The local
 * stack once had such a development credential; it signs in through a real OIDC provider now.)
 */
const dev: CredentialVerifier = {
  verify: async (credential) => {
    const match = /^dev:([A-Za-z0-9._-]{1,64})$/.exec(credential);
    return match?.[1] ? { userId: match[1], method: 'dev' } : undefined;
  },
};

/**
 * The principal authenticate() yields. Its result is gaining an envelope (`{ principal, expiresAt }`) with the
 * identity work; these tests are about who gets in, so they read either shape. Drop the fallback once that lands.
 */
async function principalFrom(credential: string | undefined, deps: Parameters<typeof authenticate>[1]): Promise<Principal | undefined> {
  const result: unknown = await authenticate(credential, deps);
  if (result && typeof result === 'object' && 'principal' in result) return (result as { principal: Principal }).principal;
  return result as Principal | undefined;
}

describe('the test verifier (dev:<userId>)', () => {
  it('accepts dev:<userId> and names the user, nothing more', async () => {
    await expect(dev.verify('dev:rae')).resolves.toEqual({ userId: 'rae', method: 'dev' });
    await expect(dev.verify('dev:svc.bot_1-a')).resolves.toEqual({ userId: 'svc.bot_1-a', method: 'dev' });
  });

  it.each([
    '',
    'dev:',
    'rae',
    'DEV:rae',
    'Bearer dev:rae',
    'dev: rae',
    'dev:rae ',
    'dev:rae\n',
    'dev:a/b',
    'dev:a:b',
    `dev:${'x'.repeat(65)}`,
  ])('refuses %j', async (credential) => {
    await expect(dev.verify(credential)).resolves.toBeUndefined();
  });
});

describe('authenticate', () => {
  it('turns a dev credential for an active user into a principal from the user record', async () => {
    const repo = users();
    const principal = await principalFrom('dev:rae', { verifiers: [dev], users: repo });
    expect(principal).toEqual({
      userId: 'rae',
      orgId: 'acme',
      level: 'researcher',
      platformAdmin: false,
      teamIds: ['vision'],
      authMethod: 'dev',
    });
    expect(principalSchema.parse(principal)).toEqual(principal);
    expect(repo.reads).toEqual(['rae']);
  });

  it('takes org, level and platform admin from the database, never from the credential', async () => {
    await expect(principalFrom('dev:ada', { verifiers: [dev], users: users() })).resolves.toMatchObject({
      orgId: 'globex',
      level: 'admin',
      platformAdmin: true,
    });
  });

  it('refuses a verified credential for a user that does not exist', async () => {
    await expect(principalFrom('dev:mallory', { verifiers: [dev], users: users() })).resolves.toBeUndefined();
  });

  it('refuses a disabled user', async () => {
    await expect(principalFrom('dev:dan', { verifiers: [dev], users: users() })).resolves.toBeUndefined();
  });

  it('refuses when no verifier is configured (a deployed stack before identity providers)', async () => {
    const repo = users();
    await expect(principalFrom('dev:rae', { verifiers: [], users: repo })).resolves.toBeUndefined();
    expect(repo.reads).toEqual([]);
  });

  it('refuses a missing or empty credential without consulting anyone', async () => {
    const verify = vi.fn<CredentialVerifier['verify']>();
    const repo = users();
    for (const credential of [undefined, '']) {
      await expect(principalFrom(credential, { verifiers: [{ verify }], users: repo })).resolves.toBeUndefined();
    }
    expect(verify).not.toHaveBeenCalled();
    expect(repo.reads).toEqual([]);
  });

  it('uses the first verifier that accepts, and does not fall through when that user is refused', async () => {
    const oidc: CredentialVerifier = { verify: async (c) => (c === 'jwt-dan' ? { userId: 'dan', method: 'oidc' } : undefined) };
    const fallback = { verify: vi.fn<CredentialVerifier['verify']>(async () => ({ userId: 'rae', method: 'oidc' as const })) };
    await expect(principalFrom('dev:rae', { verifiers: [oidc, dev, fallback], users: users() })).resolves.toMatchObject({
      userId: 'rae',
      authMethod: 'dev',
    });
    expect(fallback.verify).not.toHaveBeenCalled();
    // dan is disabled: the request is refused, not retried with a more lenient verifier.
    await expect(principalFrom('jwt-dan', { verifiers: [oidc, fallback], users: users() })).resolves.toBeUndefined();
    expect(fallback.verify).not.toHaveBeenCalled();
  });
});

describe('bearerCredential', () => {
  it.each([
    ['Bearer dev:rae', 'dev:rae'],
    ['bearer dev:rae', 'dev:rae'],
    ['BEARER dev:rae', 'dev:rae'],
    ['  Bearer   dev:rae  ', 'dev:rae'],
  ])('reads %j', (header, credential) => {
    expect(bearerCredential(header)).toBe(credential);
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'dev:rae',
    'Basic cmFlOnB3',
    'Token dev:rae',
    'Bearer dev:rae extra',
    'Bearerdev:rae',
    `Bearer ${'x'.repeat(8193)}`,
  ])('refuses the malformed header %j', (header) => {
    expect(bearerCredential(header)).toBeUndefined();
  });

  it('refuses malformed headers end to end', async () => {
    for (const header of ['dev:rae', 'Basic dev:rae', 'Bearer dev:rae dev:ada']) {
      await expect(principalFrom(bearerCredential(header), { verifiers: [dev], users: users() }), header).resolves.toBeUndefined();
    }
    await expect(principalFrom(bearerCredential('Bearer dev:rae'), { verifiers: [dev], users: users() })).resolves.toMatchObject({
      userId: 'rae',
    });
  });
});

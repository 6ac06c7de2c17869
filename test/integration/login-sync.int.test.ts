import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditLog } from '#adapters/dynamodb/dynamo-audit-log.repository';
import { DynamoUserDirectory } from '#adapters/dynamodb/dynamo-user-directory.repository';
import { dynamoIdentityStores, type IdentityStores } from '#adapters/dynamodb/identity-stores';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { LoginFailure } from '#domain/identity/login-failure';
import { signIn, type LoginDeps } from '#domain/identity/login.service';
import type { User } from '#domain/users/user.schema';
import type { UserRepository } from '#domain/identity/identity.port';
import { oidcProvider } from '#test-support/identity-fixture';
import { createTestTable, type TestTable } from '#test-support/integration-env';

/**
 * Login-time sync of level, org and teams from the IdP's groups, against DynamoDB Local: the write is
 * conditional on the version the login read, so an administrator's change in between (a disable above all)
 * is never overwritten by a sign-in.
 */
let table: TestTable;
let stores: IdentityStores;
let directory: DynamoUserDirectory;
const provider = oidcProvider('https://idp.example.test');
const ids = ulidSource();

beforeAll(async () => {
  table = await createTestTable();
  stores = dynamoIdentityStores(table.doc, table.tableName);
  directory = new DynamoUserDirectory(table.doc, table.tableName);
});

async function linkedUser(id: string): Promise<User> {
  const user: User = {
    schemaVersion: 1,
    id,
    email: `${id}@acme.test`,
    displayName: id,
    orgId: 'acme',
    level: 'viewer',
    platformAdmin: false,
    teamIds: [],
    status: 'active',
    createdAt: '2026-11-01T00:00:00.000Z',
    authzVersion: 1,
  };
  expect(await directory.create(user)).toBe(true);
  await stores.identities.link({ providerId: provider.id, subject: `subject-${id}`, userId: id, createdAt: user.createdAt });
  return user;
}

function loginDeps(users: UserRepository): LoginDeps {
  return {
    users,
    identities: stores.identities,
    bootstrap: stores.bootstrap,
    audit: new DynamoAuditLog(table.doc, table.tableName, { retentionDays: 90 }),
    events: new InProcessEventBus(),
    clock: systemClock,
    ids,
    firstUserBecomesAdmin: false,
  };
}

const researcherProfile = (id: string) => ({
  providerId: provider.id,
  subject: `subject-${id}`,
  email: `${id}@acme.test`,
  displayName: id,
  groups: ['qm-researchers'],
});

describe('login sync of access from IdP groups', () => {
  it('applies the mapping and moves the version, as an administrator change would', async () => {
    await linkedUser('sync-plain');
    const user = await signIn(provider, researcherProfile('sync-plain'), loginDeps(stores.users));
    expect(user).toMatchObject({ level: 'researcher', teamIds: ['vision'], authzVersion: 2 });
    expect(await directory.currentUser('sync-plain')).toMatchObject({ level: 'researcher', teamIds: ['vision'], authzVersion: 2 });
  });

  it('never writes back over a disable that landed between its read and its write', async () => {
    await linkedUser('sync-race');
    // The real repository, with an administrator disabling the user right after the login's first read.
    let interleaved = false;
    const racing: UserRepository = {
      get: async (id) => {
        const read = await stores.users.get(id);
        if (!interleaved && read) {
          interleaved = true;
          expect(
            await directory.save({ ...read, status: 'disabled', authzVersion: (read.authzVersion ?? 0) + 1 }, read.authzVersion ?? 0),
          ).toBe(true);
        }
        return read;
      },
      create: (user) => stores.users.create(user),
      save: (next, expectedVersion) => stores.users.save(next, expectedVersion),
    };

    await expect(signIn(provider, researcherProfile('sync-race'), loginDeps(racing))).rejects.toMatchObject({ reason: 'user_disabled' });
    expect(interleaved).toBe(true);
    // The administrator's record stands: still disabled, still the level they left.
    expect(await directory.currentUser('sync-race')).toMatchObject({ status: 'disabled', level: 'viewer', authzVersion: 2 });
  });

  it('refuses a stale write directly: the version it expects is gone', async () => {
    const user = await linkedUser('sync-stale');
    expect(await directory.save({ ...user, displayName: 'Renamed by admin', authzVersion: 2 }, 1)).toBe(true);
    expect(await stores.users.save({ ...user, level: 'admin', authzVersion: 2 }, 1)).toBe(false);
    expect(await directory.currentUser('sync-stale')).toMatchObject({ level: 'viewer', displayName: 'Renamed by admin' });
  });

  it('keeps a refused sign-in a LoginFailure, not an error of the store', async () => {
    await expect(
      signIn(provider, { ...researcherProfile('nobody'), subject: 'unlinked', groups: [] }, loginDeps(stores.users)),
    ).rejects.toBeInstanceOf(LoginFailure);
  });
});

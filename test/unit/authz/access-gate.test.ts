import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildHttpApiV2Event } from '#scripts/local/http-server';
import { createLogger } from '#adapters/logging/logger';
import { createAccessGate } from '#domain/identity/access-gate';
import type { LevelCatalog } from '#domain/authz/authz.port';
import type { CustomLevel } from '#domain/authz/level.schema';
import type { Principal } from '#domain/authz/principal';
import type { AuditEntryInput } from '#domain/audit/audit-entry.schema';
import type { User } from '#domain/users/user.schema';
import { createApiHandler } from '#http/api-handler';
import { toAuthorizerContext } from '#http/principal-context';
import type { RouteDeclaration } from '#http/route';

const user = (overrides: Partial<User> = {}): User => ({
  schemaVersion: 1,
  id: 'rae',
  email: 'rae@acme.test',
  displayName: 'Rae',
  orgId: 'acme',
  level: 'researcher',
  platformAdmin: false,
  teamIds: ['vision'],
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});
const stale: Principal = {
  userId: 'rae',
  orgId: 'acme',
  level: 'lead',
  platformAdmin: false,
  teamIds: ['vision', 'nlp'],
  authMethod: 'oidc',
};
const ops: CustomLevel = {
  schemaVersion: 1,
  orgId: 'acme',
  name: 'ops',
  description: '',
  priority: 40,
  permissions: ['job.view.own', 'org.create'],
  createdAt: '',
  updatedAt: '',
  version: 1,
};
const levels: LevelCatalog = {
  get: async (orgId, name) => (orgId === 'acme' && name === 'ops' ? ops : undefined),
  list: async () => [],
  save: async () => true,
  remove: async () => undefined,
};

describe('access gate', () => {
  it('rebuilds the principal from the user record: level, teams, overrides, custom levels (never platform-only)', async () => {
    const gate = createAccessGate({
      users: {
        currentUser: async () =>
          user({ level: 'ops', teamIds: ['vision'], overrides: [{ permission: 'job.submit', effect: 'grant' }], authzVersion: 7 }),
      },
      levels,
    });
    const outcome = await gate(stale);
    expect(outcome).toMatchObject({
      ok: true,
      principal: { level: 'ops', teamIds: ['vision'], levelPriority: 40, permissionsVersion: 7, authMethod: 'oidc' },
    });
    if (outcome.ok) expect(outcome.principal.permissions).toEqual(['job.submit', 'job.view.own']);
  });

  it('keeps only the teams that are not disabled', async () => {
    const orgs = { isActive: async () => true, disabledTeams: async () => new Set(['nlp']) };
    const outcome = await createAccessGate({ users: { currentUser: async () => user({ teamIds: ['nlp', 'vision'] }) }, levels, orgs })(
      stale,
    );
    expect(outcome).toMatchObject({ ok: true, principal: { teamIds: ['vision'] } });
  });

  it('refuses unknown users, users of another org than claimed, disabled users and disabled orgs', async () => {
    const users = (found: User | undefined) => ({ currentUser: async () => found });
    expect(await createAccessGate({ users: users(undefined), levels })(stale)).toEqual({ ok: false, reason: 'unknown' });
    expect(await createAccessGate({ users: users(user({ orgId: 'globex' })), levels })(stale)).toEqual({ ok: false, reason: 'unknown' });
    expect(await createAccessGate({ users: users(user({ status: 'disabled' })), levels })(stale)).toEqual({
      ok: false,
      reason: 'disabled',
    });
    expect(
      await createAccessGate({
        users: users(user()),
        levels,
        orgs: { isActive: async () => false, disabledTeams: async () => new Set<string>() },
      })(stale),
    ).toEqual({ ok: false, reason: 'disabled' });
  });
});

describe('the bundle with a gate and an audit log', () => {
  const routes = [
    {
      method: 'POST',
      path: '/v1/things',
      operationId: 'makeThing',
      summary: 's',
      access: 'team.view',
      tags: [],
      responses: { 201: { description: 'ok' } },
    },
  ] as const satisfies readonly RouteDeclaration[];
  const appended: AuditEntryInput[] = [];
  const audit = { append: async (entry: AuditEntryInput) => void appended.push(entry) };
  const call = async (found: User | undefined) => {
    const handler = createApiHandler(
      routes,
      { makeThing: async ({ principal }) => ({ status: 201, body: { level: principal.level }, audit: { target: 'thing/1' } }) },
      {
        logger: createLogger({ logLevel: 'SILENT' }),
        principalGate: createAccessGate({ users: { currentUser: async () => found }, levels }),
        audit,
      },
    );
    const event = buildHttpApiV2Event({ method: 'POST', rawPath: '/v1/things', routeKey: 'POST /v1/things', sourceIp: '10.9.9.9' });
    event.requestContext.authorizer = { lambda: toAuthorizerContext(stale) };
    return handler(event, {} as Context);
  };

  it('decides on the current record, not the cached principal, and audits the outcome either way', async () => {
    appended.length = 0;
    expect((await call(user({ level: 'lead' }))).statusCode).toBe(201);
    expect((await call(user({ level: 'researcher' }))).statusCode).toBe(403); // demoted since the token was cached
    expect((await call(user({ level: 'lead', status: 'disabled' }))).statusCode).toBe(403);
    expect((await call(undefined)).statusCode).toBe(401);
    expect(appended.map((e) => [e.action, e.outcome, e.target])).toEqual([
      ['makeThing', 'success', 'thing/1'],
      ['request.denied', 'denied', 'POST /v1/things'],
      ['request.denied', 'denied', 'POST /v1/things'],
      ['request.denied', 'denied', 'POST /v1/things'],
    ]);
    expect(appended.every((e) => e.sourceIp === '10.9.9.9' && e.actor === 'rae' && e.orgId === 'acme')).toBe(true);
    expect(appended[1]?.details).toMatchObject({ access: 'team.view', error: { code: 'forbidden', permission: 'team.view' } });
  });
});

import { toResourceRuleView } from '#contracts/resource-rules.contract';
import { toUserView } from '#contracts/users.contract';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { LevelCatalog, ResourceRuleRepository } from '#domain/authz/authz.port';
import { deleteLevel, listLevels, putLevel, toLevelView } from '#domain/authz-admin/levels.service';
import { createRule, deleteRule, getRule, listRules, replaceRule } from '#domain/authz-admin/resource-rules.service';
import type { AuditLog } from '#domain/audit/audit.port';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import type { UserDirectory } from '#domain/users/users.port';
import {
  createUser,
  getUser,
  listUsers,
  setUserLevel,
  setUserOverrides,
  setUserStatus,
  setUserTeams,
  updateUserProfile,
  userAccess,
} from '#domain/users/users-admin.service';
import { createApiHandler } from '#http/api-handler';
import { adminRoutes } from './admin.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoResourceRuleRepository } from '#adapters/dynamodb/dynamo-resource-rule.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { DynamoUserDirectory } from '#adapters/dynamodb/dynamo-user-directory.repository';
import type { AdminEnv } from './admin.env';

export interface AdminDeps {
  users: UserDirectory;
  levels: LevelCatalog;
  tenancy: TenancyRepository;
  rules: ResourceRuleRepository;
  clock: Clock;
  ids: IdSource;
  principalGate?: PrincipalGate;
  audit?: AuditLog;
}

const userNote = (id: string, orgId: string, details: Record<string, unknown> = {}) => ({ target: `user/${id}`, orgId, details });

/** Users, custom levels and resource rules: thin routes over the administration use cases. */
export function createAdminHandler(deps: AdminDeps) {
  return createApiHandler(
    adminRoutes,
    {
      listUsers: async ({ principal, params, query }) => {
        const { limit, cursor, ...filters } = query;
        const page = await listUsers(principal, params.orgId, filters, { limit, cursor }, deps);
        return { status: 200, body: { items: page.items.map(toUserView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
      },
      createUser: async ({ principal, params, body }) => {
        const user = await createUser(principal, params.orgId, body, deps);
        return {
          status: 201,
          body: toUserView(user),
          headers: { location: `/v1/users/${user.id}` },
          audit: userNote(user.id, user.orgId, { level: user.level }),
        };
      },
      getUser: async ({ principal, params }) => ({ status: 200, body: toUserView(await getUser(principal, params.userId, deps)) }),
      updateUser: async ({ principal, params, body }) => {
        const user = await updateUserProfile(principal, params.userId, body, deps);
        return { status: 200, body: toUserView(user), audit: userNote(user.id, user.orgId, { fields: Object.keys(body) }) };
      },
      setUserLevel: async ({ principal, params, body }) => {
        const { user, previous } = await setUserLevel(principal, params.userId, body, deps);
        const details = {
          from: previous.level,
          to: user.level,
          ...(previous.platformAdmin !== user.platformAdmin ? { platformAdmin: user.platformAdmin } : {}),
        };
        return { status: 200, body: toUserView(user), audit: userNote(user.id, user.orgId, details) };
      },
      setUserStatus: async ({ principal, params, body }) => {
        const user = await setUserStatus(principal, params.userId, body.status, deps);
        return { status: 200, body: toUserView(user), audit: userNote(user.id, user.orgId, { status: user.status }) };
      },
      setUserOverrides: async ({ principal, params, body }) => {
        const user = await setUserOverrides(principal, params.userId, body.overrides, deps);
        return { status: 200, body: toUserView(user), audit: userNote(user.id, user.orgId, { overrides: user.overrides }) };
      },
      setUserTeams: async ({ principal, params, body }) => {
        const user = await setUserTeams(principal, params.userId, body.teams, deps);
        return { status: 200, body: toUserView(user), audit: userNote(user.id, user.orgId, { teams: body.teams }) };
      },
      getUserAccess: async ({ principal, params }) => {
        const { user, access } = await userAccess(principal, params.userId, deps);
        const body = {
          userId: user.id,
          level: user.level,
          levelPriority: access.levelPriority,
          platformAdmin: user.platformAdmin,
          overrides: user.overrides ?? [],
          permissions: access.permissions,
        };
        return { status: 200, body };
      },
      listLevels: async ({ principal }) => ({ status: 200, body: { items: await listLevels(principal, deps) } }),
      putLevel: async ({ principal, params, body }) => {
        const { level, created } = await putLevel(principal, params.name, body, deps);
        return {
          status: created ? 201 : 200,
          body: toLevelView(level),
          audit: { target: `level/${level.name}`, details: { priority: level.priority, permissions: level.permissions } },
        };
      },
      deleteLevel: async ({ principal, params }) => {
        await deleteLevel(principal, params.name, deps);
        return { status: 204, audit: { target: `level/${params.name}` } };
      },
      listResourceRules: async ({ principal }) => ({
        status: 200,
        body: { items: (await listRules(principal, deps)).map(toResourceRuleView) },
      }),
      createResourceRule: async ({ principal, body }) => {
        const rule = await createRule(principal, body, deps);
        return {
          status: 201,
          body: toResourceRuleView(rule),
          headers: { location: `/v1/resource-rules/${rule.id}` },
          audit: { target: `rule/${rule.id}`, details: { rule: toResourceRuleView(rule) } },
        };
      },
      getResourceRule: async ({ principal, params }) => ({
        status: 200,
        body: toResourceRuleView(await getRule(principal, params.ruleId, deps)),
      }),
      replaceResourceRule: async ({ principal, params, body }) => {
        const { rule, previous } = await replaceRule(principal, params.ruleId, body, deps);
        return {
          status: 200,
          body: toResourceRuleView(rule),
          audit: { target: `rule/${rule.id}`, details: { from: toResourceRuleView(previous), to: toResourceRuleView(rule) } },
        };
      },
      deleteResourceRule: async ({ principal, params }) => {
        const rule = await deleteRule(principal, params.ruleId, deps);
        return { status: 204, audit: { target: `rule/${rule.id}`, details: { rule: toResourceRuleView(rule) } } };
      },
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/** The admin function, as Lambda, the local stack and the tests build it. */
export function composeAdmin(env: AdminEnv, runtime: ApiRuntime) {
  const { access, options, clock, ids } = composeApiAccess(env, runtime);
  const table = env.QM_TABLE_NAME;
  return createAdminHandler({
    levels: access.levels,
    tenancy: new DynamoTenancyRepository(runtime.doc, table, access.orgStatus),
    users: new DynamoUserDirectory(runtime.doc, table),
    rules: new DynamoResourceRuleRepository(runtime.doc, table, runtime.configCacheMs),
    clock,
    ids,
    ...options,
  });
}

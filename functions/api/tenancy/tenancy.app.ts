import { toMemberView, toOrgView, toTeamView } from '#contracts/tenancy.contract';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { AuditLog } from '#domain/audit/audit.port';
import type { Clock } from '#domain/runtime/runtime.port';
import { createOrg, listOrgs, reachableOrg, updateOrg } from '#domain/tenancy/orgs.service';
import { listTeams, reachableTeam, updateTeam } from '#domain/tenancy/teams.service';
import { createTeam, listMembers, putMember, removeMember } from '#domain/users/team-membership.service';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import type { UserDirectory } from '#domain/users/users.port';
import { createApiHandler } from '#http/api-handler';
import { tenancyRoutes } from './tenancy.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { DynamoUserDirectory } from '#adapters/dynamodb/dynamo-user-directory.repository';
import type { TenancyEnv } from './tenancy.env';

export interface TenancyDeps {
  tenancy: TenancyRepository;
  users: UserDirectory;
  clock: Clock;
  principalGate?: PrincipalGate;
  audit?: AuditLog;
}

const page = <T, V>(result: { items: T[]; nextCursor?: string }, view: (item: T) => V) => ({
  items: result.items.map(view),
  ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
});

/** Orgs, teams and memberships. Every org and team id in a path is checked against the caller's reach. */
export function createTenancyHandler(deps: TenancyDeps) {
  return createApiHandler(
    tenancyRoutes,
    {
      listOrgs: async ({ principal, query }) => ({ status: 200, body: page(await listOrgs(principal, query, deps), toOrgView) }),
      createOrg: async ({ principal, body }) => {
        const org = await createOrg(principal, body, deps);
        return {
          status: 201,
          body: toOrgView(org),
          headers: { location: `/v1/orgs/${org.id}` },
          audit: { target: `org/${org.id}`, orgId: org.id, details: { name: org.name } },
        };
      },
      getOrg: async ({ principal, params }) => ({ status: 200, body: toOrgView(await reachableOrg(principal, params.orgId, deps)) }),
      updateOrg: async ({ principal, params, body }) => {
        const { org, previous } = await updateOrg(principal, params.orgId, body, deps);
        return {
          status: 200,
          body: toOrgView(org),
          audit: { target: `org/${org.id}`, orgId: org.id, details: { from: { name: previous.name, status: previous.status }, to: body } },
        };
      },
      deleteOrg: async ({ principal, params }) => {
        const { org } = await updateOrg(principal, params.orgId, { status: 'disabled' }, deps);
        return { status: 200, body: toOrgView(org), audit: { target: `org/${org.id}`, orgId: org.id, details: { status: 'disabled' } } };
      },
      listTeams: async ({ principal, params, query }) => ({
        status: 200,
        body: page(await listTeams(principal, params.orgId, query, deps), toTeamView),
      }),
      createTeam: async ({ principal, params, body }) => {
        const team = await createTeam(principal, params.orgId, body, deps);
        const location = `/v1/orgs/${team.orgId}/teams/${team.id}`;
        return {
          status: 201,
          body: toTeamView(team),
          headers: { location },
          audit: { target: `team/${team.orgId}/${team.id}`, orgId: team.orgId, details: { name: team.name } },
        };
      },
      getTeam: async ({ principal, params }) => ({
        status: 200,
        body: toTeamView(await reachableTeam(principal, params.orgId, params.teamId, deps)),
      }),
      updateTeam: async ({ principal, params, body }) => {
        const { team, previous } = await updateTeam(principal, params.orgId, params.teamId, body, deps);
        const details = { from: { name: previous.name, status: previous.status }, to: body };
        return { status: 200, body: toTeamView(team), audit: { target: `team/${team.orgId}/${team.id}`, orgId: team.orgId, details } };
      },
      deleteTeam: async ({ principal, params }) => {
        const { team } = await updateTeam(principal, params.orgId, params.teamId, { status: 'disabled' }, deps);
        return {
          status: 200,
          body: toTeamView(team),
          audit: { target: `team/${team.orgId}/${team.id}`, orgId: team.orgId, details: { status: 'disabled' } },
        };
      },
      listTeamMembers: async ({ principal, params, query }) => {
        const members = await listMembers(principal, params.orgId, params.teamId, query, deps);
        return { status: 200, body: page(members, (user) => toMemberView(user, params.teamId)) };
      },
      putTeamMember: async ({ principal, params, body }) => {
        const user = await putMember(principal, params.orgId, params.teamId, params.userId, body.role, deps);
        const audit = {
          target: `team/${params.orgId}/${params.teamId}/member/${user.id}`,
          orgId: params.orgId,
          details: { role: body.role },
        };
        return { status: 200, body: toMemberView(user, params.teamId), audit };
      },
      removeTeamMember: async ({ principal, params }) => {
        const user = await removeMember(principal, params.orgId, params.teamId, params.userId, deps);
        return { status: 204, audit: { target: `team/${params.orgId}/${params.teamId}/member/${user.id}`, orgId: params.orgId } };
      },
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/** The tenancy function, as Lambda, the local stack and the tests build it. */
export function composeTenancy(env: TenancyEnv, runtime: ApiRuntime) {
  const { access, options, clock } = composeApiAccess(env, runtime);
  return createTenancyHandler({
    // Built on the gate's org status, so an org change applies at once to this instance's gate too.
    tenancy: new DynamoTenancyRepository(runtime.doc, env.QM_TABLE_NAME, access.orgStatus),
    users: new DynamoUserDirectory(runtime.doc, env.QM_TABLE_NAME),
    clock,
    ...options,
  });
}

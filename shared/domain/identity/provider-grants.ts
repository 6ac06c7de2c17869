import type { LevelCatalog } from '#domain/authz/authz.port';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden } from '#domain/errors/app-error';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import { assertAssignableLevel } from '#domain/users/user-admin.rules';
import type { IdentityProvider } from './identity-provider.schema';
import { mappingField } from './provider-scope';

export interface ProviderGrantDeps {
  tenancy: Pick<TenancyRepository, 'getOrg' | 'getTeam'>;
  levels: LevelCatalog;
  /** Registered clusters: a mapping may grant only clusters its org may use. */
  clusters: ClusterOrgs;
}

/**
 * Which orgs may use a registered cluster: the clusters repository satisfies it (declared here, not imported,
 * so identity does not depend on the clusters folder, which depends on authz and so on identity).
 */
export interface ClusterOrgs {
  get(id: string): Promise<{ orgs: readonly { orgId: string }[] } | undefined>;
}

/** A missing or foreign org or team: the same answer either way, so nothing leaks about other orgs. */
const notFoundAt = (what: string, field: string): AppError => new AppError('not_found', `${what} not found`, { field });

/**
 * The override rule applied to a provider's mapping: the caller may grant only what they hold. Org admins
 * keep the provider in their org (`scope` org, their org as default and in every mapping, no platform
 * flag); every level ranks no higher than the caller's own and carries no permission they lack; every org
 * and team exists (teams in the org the mapping targets). Refusals are 403/404 naming the field.
 */
export async function assertGrantable(principal: Principal, provider: IdentityProvider, deps: ProviderGrantDeps): Promise<void> {
  const platform = principal.platformAdmin;
  if (!platform && provider.scope === 'deployment')
    throw forbidden('Only a platform admin manages a deployment-wide identity provider', { field: 'body.scope' });
  const orgTargets = [
    { orgId: provider.defaultOrgId, field: 'body.defaultOrgId' },
    ...provider.groupMappings.flatMap((mapping, index) =>
      mapping.orgId === undefined ? [] : [{ orgId: mapping.orgId, field: mappingField(index, 'orgId') }],
    ),
  ];
  for (const { orgId, field } of orgTargets) {
    if ((!platform && orgId !== principal.orgId) || !(await deps.tenancy.getOrg(orgId))) throw notFoundAt('Org', field);
  }
  if (provider.defaultLevel)
    await assertAssignableLevel(principal, provider.defaultOrgId, provider.defaultLevel, deps.levels, 'body.defaultLevel');
  for (const [index, mapping] of provider.groupMappings.entries()) {
    if (mapping.platformAdmin && !platform)
      throw forbidden('Only a platform admin can map users to platform admins', { field: mappingField(index, 'platformAdmin') });
    const orgId = mapping.orgId ?? provider.defaultOrgId;
    if (mapping.level) await assertAssignableLevel(principal, orgId, mapping.level, deps.levels, mappingField(index, 'level'));
    for (const [position, teamId] of mapping.teamIds.entries()) {
      if (!(await deps.tenancy.getTeam(orgId, teamId))) throw notFoundAt('Team', `${mappingField(index, 'teamIds')}.${position}`);
    }
    // Tenant isolation: a cluster the mapping's org may not use does not exist for it (404, like a missing one).
    for (const [position, { cluster: clusterId }] of (mapping.clusterAccess ?? []).entries()) {
      const cluster = await deps.clusters.get(clusterId);
      if (!cluster || !cluster.orgs.some((entry) => entry.orgId === orgId))
        throw notFoundAt('Cluster', `${mappingField(index, 'clusterAccess')}.${position}.cluster`);
    }
  }
}

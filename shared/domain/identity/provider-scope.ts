import type { LevelCatalog } from '#domain/authz/levels';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden, type FieldIssue } from '#domain/errors/app-error';
import type { TenancyRepository } from '#domain/tenancy/tenancy.schema';
import { assertAssignableLevel } from '#domain/users/user-admin.rules';
import type { MappedAccess } from './group-mapping';
import type { IdentityProvider } from './identity-provider.schema';

/**
 * Who may manage an identity provider, and how far its mapping may reach (DESIGN §4.3). A provider that can
 * place users in more than one org or grant `platformAdmin` is deployment-wide: platform admins only. An org
 * admin manages the providers of their own org, whose default org and every mapping target that org; they
 * never see the others (404). Nobody maps users into more than they hold themselves (the override rule).
 */

/** The org whose admins manage the provider; `undefined` for a deployment-wide provider. */
export const owningOrg = (provider: IdentityProvider): string | undefined =>
  provider.scope === 'deployment' ? undefined : provider.defaultOrgId;

/** Whether the caller may see (and so manage) the provider: platform admins every one, org admins their org's. */
export function providerVisibleTo(principal: Principal, provider: IdentityProvider): boolean {
  return principal.platformAdmin || owningOrg(provider) === principal.orgId;
}

const mappingField = (index: number, key: string): string => `body.groupMappings.${index}.${key}`;

/**
 * An org-scoped provider is consistent when every mapping targets its own org and none grants the platform
 * flag: checked when saved (400 naming the field) and again by `withinProviderScope` at every login.
 */
export function scopeIssues(provider: IdentityProvider): FieldIssue[] {
  const owner = owningOrg(provider);
  if (owner === undefined) return [];
  return provider.groupMappings.flatMap((mapping, index) => [
    ...(mapping.orgId !== undefined && mapping.orgId !== owner
      ? [{ field: mappingField(index, 'orgId'), message: 'an org-scoped provider maps into its own org only (use scope "deployment")' }]
      : []),
    ...(mapping.platformAdmin
      ? [
          {
            field: mappingField(index, 'platformAdmin'),
            message: 'only a deployment-wide provider (scope "deployment") grants platformAdmin',
          },
        ]
      : []),
  ]);
}

/**
 * Login-time guard, whatever the stored provider says: the access a mapping produced stays within what the
 * provider may grant (its own org and no platform flag, unless it is deployment-wide).
 */
export function withinProviderScope(provider: IdentityProvider, access: MappedAccess): boolean {
  const owner = owningOrg(provider);
  return owner === undefined || (access.orgId === owner && !access.platformAdmin);
}

export interface ProviderGrantDeps {
  tenancy: Pick<TenancyRepository, 'getOrg' | 'getTeam'>;
  levels: LevelCatalog;
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
  }
}

import { reachOf, reachesOrg } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, notFound } from '#domain/errors/app-error';
import type { Clock } from '#domain/runtime/runtime.port';
import { orgSchema, type Org } from './tenancy.schema';
import type { TenancyRepository } from './tenancy.port';
import type { ListOptions, Page } from '#domain/page';

export interface OrgsDeps {
  tenancy: TenancyRepository;
  clock: Clock;
}

/** Orgs the caller may see (`org.view`): every org for a platform admin, their own for everyone else. */
export async function listOrgs(principal: Principal, page: ListOptions, deps: OrgsDeps): Promise<Page<Org>> {
  if (reachOf(principal, 'org.view') === 'platform') return deps.tenancy.listOrgs(page);
  const own = await deps.tenancy.getOrg(principal.orgId);
  return { items: own && !page.cursor ? [own] : [] };
}

/** An org within `permission`'s reach, else "not found" (another org's id leaks nothing). */
export async function reachableOrg(
  principal: Principal,
  id: string,
  deps: OrgsDeps,
  permission: 'org.view' | 'org.manage' = 'org.view',
): Promise<Org> {
  if (!reachesOrg(principal, permission, id)) throw notFound('Org');
  const org = await deps.tenancy.getOrg(id);
  if (!org) throw notFound('Org');
  return org;
}

/** Creates an org (`org.create`: platform admins). The id is the slug: unique, and fixed for good. */
export async function createOrg(principal: Principal, input: { slug: string; name: string }, deps: OrgsDeps): Promise<Org> {
  void principal; // the route's `org.create` check is the whole authorization: only platform admins hold it
  const org = orgSchema.parse({
    id: input.slug,
    slug: input.slug,
    name: input.name,
    status: 'active',
    createdAt: deps.clock.now().toISOString(),
  });
  if (!(await deps.tenancy.createOrg(org))) throw new AppError('conflict', `An org "${input.slug}" already exists`, { field: 'body.slug' });
  return org;
}

/** Renames, disables (soft delete) or re-enables an org (`org.manage`). The caller's own org cannot be disabled. */
export async function updateOrg(
  principal: Principal,
  id: string,
  patch: { name?: string | undefined; status?: Org['status'] | undefined },
  deps: OrgsDeps,
): Promise<{ org: Org; previous: Org }> {
  const previous = await reachableOrg(principal, id, deps, 'org.manage');
  if (patch.status === 'disabled' && id === principal.orgId) throw new AppError('invalid_state', 'You cannot disable your own org');
  const org = await deps.tenancy.updateOrg(id, patch, deps.clock.now().toISOString());
  if (!org) throw notFound('Org');
  return { org, previous };
}

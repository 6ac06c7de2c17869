import type { ListOptions, Page } from '#domain/page';
import type { Org, Team } from './tenancy.schema';

/** Orgs and teams in the table. Creates are conditional on the id being free; updates on the item existing. */
export interface TenancyRepository {
  getOrg(id: string): Promise<Org | undefined>;
  listOrgs(options: ListOptions): Promise<Page<Org>>;
  createOrg(org: Org): Promise<boolean>;
  updateOrg(id: string, patch: { name?: string; status?: Org['status'] }, at: string): Promise<Org | undefined>;
  getTeam(orgId: string, teamId: string): Promise<Team | undefined>;
  listTeams(orgId: string, options: ListOptions): Promise<Page<Team>>;
  createTeam(team: Team): Promise<boolean>;
  updateTeam(orgId: string, teamId: string, patch: { name?: string; status?: Team['status'] }, at: string): Promise<Team | undefined>;
}

/** What the access gate reads of an org at every request. */
export interface OrgStatusSource {
  /** Whether the org exists and is active (possibly cached ≤ 60 s). */
  isActive(orgId: string): Promise<boolean>;
  /** Ids of the org's disabled teams (possibly cached ≤ 60 s). */
  disabledTeams(orgId: string): Promise<ReadonlySet<string>>;
}

import type { ApiKeyStatus } from '#domain/identity/api-key-status';
import type { User } from '#domain/identity/user.schema';
import type { ResourceRule } from './resource-rule.schema';
import type { CustomLevel } from './level.schema';

export interface LevelCatalog {
  /** The custom level `name` of `orgId` (possibly from a cache of at most 60 s). */
  get(orgId: string, name: string): Promise<CustomLevel | undefined>;
  list(orgId: string): Promise<CustomLevel[]>;
  /** Creates (`expectedVersion` 0) or replaces the level at `expectedVersion`; false when that lost a race. */
  save(level: CustomLevel, expectedVersion: number): Promise<boolean>;
  remove(orgId: string, name: string): Promise<void>;
}

export interface ResourceRuleSource {
  /** Every rule of the org (possibly from a short cache, see the adapter). */
  forOrg(orgId: string): Promise<ResourceRule[]>;
}
export interface ResourceRuleRepository extends ResourceRuleSource {
  get(orgId: string, id: string): Promise<ResourceRule | undefined>;
  /** Creates (`expectedVersion` 0) or replaces the rule at `expectedVersion`; false when that lost a race. */
  save(rule: ResourceRule, expectedVersion: number): Promise<boolean>;
  remove(orgId: string, id: string): Promise<boolean>;
}

export interface CurrentUserSource {
  /** The user record as stored now. */
  currentUser(id: string): Promise<User | undefined>;
}
export interface OrgStatusSource {
  /** Whether the org exists and is active (possibly cached ≤ 60 s). */
  isActive(orgId: string): Promise<boolean>;
  /** Ids of the org's disabled teams (possibly cached ≤ 60 s). */
  disabledTeams(orgId: string): Promise<ReadonlySet<string>>;
}
/** The API key a principal authenticated with, read as stored now (strongly consistent). */
export interface ApiKeyStatusSource {
  statusOf(keyHash: string): Promise<ApiKeyStatus | undefined>;
}

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

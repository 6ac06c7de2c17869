import { AppError, notFound } from '#domain/errors/app-error';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { levelOfOrg, teamOfOrg } from '#domain/tenancy/org-references';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import type { LevelCatalog, ResourceRuleRepository } from '#domain/authz/authz.port';
import type { Principal } from '#domain/authz/principal';
import { resourceRuleSchema, type ResourceRule, type ResourceType } from '#domain/authz/resource-rule.schema';

export interface ResourceRulesDeps {
  rules: ResourceRuleRepository;
  levels: LevelCatalog;
  tenancy: TenancyRepository;
  clock: Clock;
  ids: IdSource;
}

export interface ResourceRuleInput {
  type: ResourceType;
  pattern: string;
  action: 'allow' | 'deny';
  level?: string | undefined;
  teamId?: string | undefined;
  description?: string | undefined;
}

/** Rules are the caller's org's (`admin.config`); the route's permission check already ran. */
export function listRules(principal: Principal, deps: ResourceRulesDeps): Promise<ResourceRule[]> {
  return deps.rules.forOrg(principal.orgId);
}

export async function getRule(principal: Principal, id: string, deps: ResourceRulesDeps): Promise<ResourceRule> {
  const rule = await deps.rules.get(principal.orgId, id);
  if (!rule) throw notFound('Resource rule');
  return rule;
}

/** The subject must exist in the org: a rule for a misspelt level or team would silently apply to nobody. */
async function assertSubject(orgId: string, input: ResourceRuleInput, deps: ResourceRulesDeps): Promise<void> {
  // Another org's team or custom level is unknown here: 404 naming the field, like a missing one.
  if (input.level !== undefined) await levelOfOrg(deps.levels, orgId, input.level, 'body.level');
  if (input.teamId !== undefined) await teamOfOrg(deps.tenancy, orgId, input.teamId, 'body.teamId');
}

export async function createRule(principal: Principal, input: ResourceRuleInput, deps: ResourceRulesDeps): Promise<ResourceRule> {
  await assertSubject(principal.orgId, input, deps);
  const now = deps.clock.now().toISOString();
  const rule = resourceRuleSchema.parse({
    ...input,
    id: deps.ids.next().toLowerCase(),
    orgId: principal.orgId,
    createdBy: principal.userId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  if (!(await deps.rules.save(rule, 0))) throw new AppError('conflict', 'A rule with this id already exists');
  return rule;
}

export async function replaceRule(
  principal: Principal,
  id: string,
  input: ResourceRuleInput,
  deps: ResourceRulesDeps,
): Promise<{ rule: ResourceRule; previous: ResourceRule }> {
  const previous = await getRule(principal, id, deps);
  await assertSubject(principal.orgId, input, deps);
  const rule = resourceRuleSchema.parse({
    ...input,
    id,
    orgId: previous.orgId,
    createdBy: previous.createdBy,
    createdAt: previous.createdAt,
    updatedAt: deps.clock.now().toISOString(),
    version: previous.version + 1,
  });
  if (!(await deps.rules.save(rule, previous.version)))
    throw new AppError('conflict', 'The rule was changed meanwhile; read it again and retry');
  return { rule, previous };
}

export async function deleteRule(principal: Principal, id: string, deps: ResourceRulesDeps): Promise<ResourceRule> {
  const rule = await getRule(principal, id, deps);
  if (!(await deps.rules.remove(principal.orgId, id))) throw notFound('Resource rule');
  return rule;
}

import type { LevelCatalog } from '#domain/authz/authz.port';
import { levelOfOrg } from '#domain/tenancy/org-references';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden, notFound } from '#domain/errors/app-error';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import {
  approvalRuleSchema,
  DEFAULT_ESCALATE_AFTER_MINUTES,
  DEFAULT_EXPIRE_AFTER_MINUTES,
  type ApprovalRule,
} from './approval-rule.schema';
import type { ApprovalRuleRepository } from './approvals.port';
import { byEvaluationOrder } from './approval-rules';

export interface ApprovalRulesDeps {
  approvalRules: ApprovalRuleRepository;
  levels: LevelCatalog;
  clock: Clock;
  ids: IdSource;
}

/** A rule as the API accepts it (already shape-checked by the contract; defaults applied here). */
export type ApprovalRuleInput = Pick<ApprovalRule, 'name' | 'condition'> &
  Partial<
    Pick<
      ApprovalRule,
      | 'description'
      | 'threshold'
      | 'pattern'
      | 'priority'
      | 'enabled'
      | 'required_approver_level'
      | 'exempt_levels'
      | 'applies_to_provider'
      | 'applies_to_level'
      | 'escalate_after_minutes'
      | 'expire_after_minutes'
      | 'scope'
    >
  >;

/** Rules that apply in the caller's org (its own and the platform's), in evaluation order. */
export async function listApprovalRules(principal: Principal, deps: ApprovalRulesDeps): Promise<ApprovalRule[]> {
  return [...(await deps.approvalRules.forOrg(principal.orgId))].sort(byEvaluationOrder);
}

export async function getApprovalRule(principal: Principal, id: string, deps: ApprovalRulesDeps): Promise<ApprovalRule> {
  const rule = await deps.approvalRules.get(principal.orgId, id);
  if (!rule) throw notFound('Approval rule');
  return rule;
}

/** Platform rules apply in every org: only a platform admin writes them (docs/permissions.md#tenancy, deployment-wide objects). */
function assertMayWrite(principal: Principal, scope: ApprovalRule['scope']): void {
  if (scope === 'platform' && !principal.platformAdmin) {
    throw forbidden('Only a platform admin may write platform approval rules (they apply in every org)', { field: 'body.scope' });
  }
}

const unprocessable = (field: string, message: string, why: string) =>
  new AppError('unprocessable', message, { fields: [{ field, message: why }] });

/** Every level a rule names must exist in the org, and its approver level must be able to approve at all. */
async function assertLevels(orgId: string, input: ApprovalRuleInput, deps: ApprovalRulesDeps): Promise<void> {
  // Another org's custom level is unknown here: 404 naming the field, like a missing one.
  const approver = input.required_approver_level ?? 'lead';
  const approverLevel = await levelOfOrg(deps.levels, orgId, approver, 'body.required_approver_level');
  if (!approverLevel.permissions.has('admin.approve') && !approverLevel.permissions.has('queue.approve')) {
    throw unprocessable(
      'body.required_approver_level',
      `Level "${approver}" holds neither admin.approve nor queue.approve: nobody at it could approve`,
      'must hold admin.approve or queue.approve',
    );
  }
  const named: [string, string | undefined][] = [
    ...(input.exempt_levels ?? []).map((level, index): [string, string] => [`body.exempt_levels.${index}`, level]),
    ['body.applies_to_level', input.applies_to_level],
  ];
  for (const [field, level] of named) {
    if (level !== undefined) await levelOfOrg(deps.levels, orgId, level, field);
  }
}

function build(input: ApprovalRuleInput, fixed: Pick<ApprovalRule, 'id' | 'orgId' | 'createdBy' | 'createdAt' | 'version'>, at: string) {
  return approvalRuleSchema.parse({
    ...fixed,
    scope: input.scope ?? 'org',
    name: input.name,
    description: input.description ?? '',
    condition: input.condition,
    ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
    ...(input.pattern !== undefined ? { pattern: input.pattern } : {}),
    priority: input.priority ?? 0,
    enabled: input.enabled ?? true,
    required_approver_level: input.required_approver_level ?? 'lead',
    exempt_levels: input.exempt_levels ?? [],
    ...(input.applies_to_provider !== undefined ? { applies_to_provider: input.applies_to_provider } : {}),
    ...(input.applies_to_level !== undefined ? { applies_to_level: input.applies_to_level } : {}),
    escalate_after_minutes: input.escalate_after_minutes ?? DEFAULT_ESCALATE_AFTER_MINUTES,
    expire_after_minutes: input.expire_after_minutes ?? DEFAULT_EXPIRE_AFTER_MINUTES,
    updatedAt: at,
  });
}

export async function createApprovalRule(principal: Principal, input: ApprovalRuleInput, deps: ApprovalRulesDeps): Promise<ApprovalRule> {
  assertMayWrite(principal, input.scope ?? 'org');
  await assertLevels(principal.orgId, input, deps);
  const at = deps.clock.now().toISOString();
  const rule = build(
    input,
    { id: deps.ids.next().toLowerCase(), orgId: principal.orgId, createdBy: principal.userId, createdAt: at, version: 1 },
    at,
  );
  if (!(await deps.approvalRules.save(rule, 0))) throw new AppError('conflict', 'A rule with this id already exists');
  return rule;
}

export async function replaceApprovalRule(
  principal: Principal,
  id: string,
  input: ApprovalRuleInput,
  deps: ApprovalRulesDeps,
): Promise<{ rule: ApprovalRule; previous: ApprovalRule }> {
  const previous = await getApprovalRule(principal, id, deps);
  assertMayWrite(principal, previous.scope);
  if ((input.scope ?? previous.scope) !== previous.scope) {
    throw new AppError('validation_failed', 'A rule keeps its scope: delete it and create another', {
      fields: [{ field: 'body.scope', message: `must stay "${previous.scope}"` }],
    });
  }
  await assertLevels(principal.orgId, input, deps);
  const rule = build(
    { ...input, scope: previous.scope },
    { id, orgId: previous.orgId, createdBy: previous.createdBy, createdAt: previous.createdAt, version: previous.version + 1 },
    deps.clock.now().toISOString(),
  );
  if (!(await deps.approvalRules.save(rule, previous.version))) {
    throw new AppError('conflict', 'The rule was changed meanwhile; read it again and retry');
  }
  return { rule, previous };
}

export async function deleteApprovalRule(principal: Principal, id: string, deps: ApprovalRulesDeps): Promise<ApprovalRule> {
  const rule = await getApprovalRule(principal, id, deps);
  assertMayWrite(principal, rule.scope);
  if (!(await deps.approvalRules.remove(rule))) throw notFound('Approval rule');
  return rule;
}

import type { ResourceRuleSource } from './authz.port';
import type { ResourceType, ResourceRule } from './resource-rule.schema';
import { compareStrings } from '#domain/compare';
import { forbidden } from '#domain/errors/app-error';
import { globMatch } from './glob';
import type { Principal } from './principal';

/** Who is asking, as far as rules care. */
export interface RuleSubject {
  level: string;
  teamIds: readonly string[];
}

export function appliesTo(rule: Pick<ResourceRule, 'level' | 'teamId'>, subject: RuleSubject): boolean {
  if (rule.level !== undefined && rule.level !== subject.level) return false;
  if (rule.teamId !== undefined && !subject.teamIds.includes(rule.teamId)) return false;
  return true;
}

export type RuleDecision =
  | { allowed: true; by?: ResourceRule }
  /** `deny`: a deny rule matched and no allow rule did; `unlisted`: allow rules apply and none matched. */
  | { allowed: false; reason: 'deny'; by: ResourceRule }
  | { allowed: false; reason: 'unlisted'; allowRules: ResourceRule[] };

/** More specific patterns first (longer, fewer wildcards), then id: the rule a denial names is stable. */
const specificity = (a: ResourceRule, b: ResourceRule): number =>
  b.pattern.replace(/[*?]/g, '').length - a.pattern.replace(/[*?]/g, '').length || compareStrings(a.id, b.id);

/**
 * "Most permissive wins": among the rules of `type` that apply to the subject, any matching `allow` allows;
 * matching `deny` rules alone deny. When rules apply but none matches, the subject has an allow-list
 * (any applicable `allow` rule) that does not name the value, which denies; a deny-list that does not
 * name it allows. No applicable rule of the type: allowed.
 */
export function evaluateRules(rules: readonly ResourceRule[], type: ResourceType, value: string, subject: RuleSubject): RuleDecision {
  const applicable = rules.filter((rule) => rule.type === type && appliesTo(rule, subject)).sort(specificity);
  if (applicable.length === 0) return { allowed: true };
  const matching = applicable.filter((rule) => globMatch(rule.pattern, value));
  const allow = matching.find((rule) => rule.action === 'allow');
  if (allow) return { allowed: true, by: allow };
  const deny = matching.find((rule) => rule.action === 'deny');
  if (deny) return { allowed: false, reason: 'deny', by: deny };
  const allowRules = applicable.filter((rule) => rule.action === 'allow');
  return allowRules.length > 0 ? { allowed: false, reason: 'unlisted', allowRules } : { allowed: true };
}

/** What a job asks to use. `config` only when it is submitted from a template. */
export interface ResourceRequest {
  config?: string | undefined;
  hardware: string;
  provider: string;
}

const FIELD: Record<ResourceType, string> = {
  config: 'body.template',
  hardware: 'body.hardwareType',
  provider: 'body.backend',
  cluster: 'body.cluster',
  namespace: 'body.namespace',
};
const LABEL: Record<ResourceType, string> = {
  config: 'job template',
  hardware: 'hardware type',
  provider: 'backend',
  cluster: 'cluster',
  namespace: 'namespace',
};

function describeRule(rule: ResourceRule): string {
  const who = [rule.level ? `level ${rule.level}` : '', rule.teamId ? `team ${rule.teamId}` : ''].filter(Boolean).join(', ') || 'everyone';
  return `${rule.id} (${rule.type} "${rule.pattern}" ${rule.action} for ${who})`;
}

/** The first denial among the request's resources, or undefined when everything is allowed. */
export function firstDenial(
  rules: readonly ResourceRule[],
  request: ResourceRequest,
  subject: RuleSubject,
): { type: ResourceType; value: string; decision: Exclude<RuleDecision, { allowed: true }> } | undefined {
  const checks: Array<[ResourceType, string | undefined]> = [
    ['config', request.config],
    ['hardware', request.hardware],
    ['provider', request.provider],
  ];
  for (const [type, value] of checks) {
    if (value === undefined) continue;
    const decision = evaluateRules(rules, type, value, subject);
    if (!decision.allowed) return { type, value, decision };
  }
  return undefined;
}

/**
 * Enforced at job submission: a denied resource is a 403 that names the rule (or, for an allow-list that
 * does not cover the value, the allow rules), and the field at fault.
 */
export async function enforceResourceRules(principal: Principal, request: ResourceRequest, rules: ResourceRuleSource): Promise<void> {
  const orgRules = await rules.forOrg(principal.orgId);
  if (orgRules.length === 0) return;
  const denial = firstDenial(orgRules, request, { level: principal.level, teamIds: principal.teamIds });
  if (!denial) return;
  const { type, value, decision } = denial;
  const what = `${LABEL[type]} "${value}"`;
  if (decision.reason === 'deny') {
    throw forbidden(`Resource rule ${describeRule(decision.by)} forbids ${what}`, {
      field: FIELD[type],
      rule: { id: decision.by.id, type, pattern: decision.by.pattern, action: decision.by.action },
    });
  }
  throw forbidden(`No resource rule allows ${what}; allowed by ${decision.allowRules.map(describeRule).join(', ')}`, {
    field: FIELD[type],
    rules: decision.allowRules.map((rule) => ({ id: rule.id, type, pattern: rule.pattern, action: rule.action })),
  });
}

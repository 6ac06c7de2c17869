import type { RequesterFacts } from './approvals.port';
import { compareStrings } from '#domain/compare';
import { globMatch } from '#domain/authz/glob';
import type { ApprovalRule } from './approval-rule.schema';

/** What a submission looks like to the approval rules. */
export interface ApprovalSubject {
  level: string;
  /** The requester holds `job.bypass.approval`: no rule applies. */
  bypass: boolean;
  costUsd: number;
  hardwareType: string;
  /** Template name, when submitted from one. */
  template?: string | undefined;
  backend: string;
}

/** Evaluation order: higher priority first, then the older rule, then id (stable). */
export const byEvaluationOrder = (a: ApprovalRule, b: ApprovalRule): number =>
  b.priority - a.priority || compareStrings(a.createdAt, b.createdAt) || compareStrings(a.id, b.id);

/** Whether the rule concerns this requester and backend at all (enabled, scoped to them, not exempt). */
export function ruleApplies(rule: ApprovalRule, subject: ApprovalSubject): boolean {
  if (!rule.enabled) return false;
  if (rule.exempt_levels.includes(subject.level)) return false;
  if (rule.applies_to_level !== undefined && rule.applies_to_level !== subject.level) return false;
  if (rule.applies_to_provider !== undefined && rule.applies_to_provider !== subject.backend) return false;
  return true;
}

/** Whether the rule's condition holds for the submission. */
export async function conditionHolds(rule: ApprovalRule, subject: ApprovalSubject, facts: RequesterFacts): Promise<boolean> {
  switch (rule.condition) {
    case 'cost_exceeds':
      return subject.costUsd > (rule.threshold ?? 0);
    case 'hardware_type':
      return globMatch(rule.pattern ?? '*', subject.hardwareType);
    case 'config_pattern':
      return subject.template !== undefined && globMatch(rule.pattern ?? '*', subject.template);
    case 'provider':
      return globMatch(rule.pattern ?? '*', subject.backend);
    case 'daily_jobs_exceed':
      // This submission would be job number (today's count + 1).
      return (await facts.jobsToday()) + 1 > (rule.threshold ?? 0);
    case 'first_job':
      return !(await facts.hasSubmittedBefore());
  }
}

/**
 * The rule that requires approval for this submission (docs/approvals.md): rules in priority order, the first
 * that applies and whose condition holds wins. Exempt levels and scoping skip a rule (the next one may still
 * match); `job.bypass.approval` skips them all. Undefined: no approval needed.
 */
export async function matchingRule(
  rules: readonly ApprovalRule[],
  subject: ApprovalSubject,
  facts: RequesterFacts,
): Promise<ApprovalRule | undefined> {
  if (subject.bypass) return undefined;
  for (const rule of [...rules].sort(byEvaluationOrder)) {
    if (ruleApplies(rule, subject) && (await conditionHolds(rule, subject, facts))) return rule;
  }
  return undefined;
}

/** Why the rule matched, in words the requester and the approver read. */
export function describeMatch(rule: ApprovalRule, subject: ApprovalSubject): string {
  switch (rule.condition) {
    case 'cost_exceeds':
      return `estimated cost $${subject.costUsd.toFixed(2)} exceeds $${(rule.threshold ?? 0).toFixed(2)}`;
    case 'hardware_type':
      return `hardware type ${subject.hardwareType} matches "${rule.pattern}"`;
    case 'config_pattern':
      return `job template ${subject.template} matches "${rule.pattern}"`;
    case 'provider':
      return `backend ${subject.backend} matches "${rule.pattern}"`;
    case 'daily_jobs_exceed':
      return `more than ${rule.threshold} jobs today`;
    case 'first_job':
      return "the requester's first job";
  }
}

/** Facts that are memoized, so a fact several rules need is read once. */
export function memoFacts(facts: RequesterFacts): RequesterFacts {
  let today: Promise<number> | undefined;
  let before: Promise<boolean> | undefined;
  return { jobsToday: () => (today ??= facts.jobsToday()), hasSubmittedBefore: () => (before ??= facts.hasSubmittedBefore()) };
}

import { describeLevel } from '#domain/authz/levels';
import type { LevelCatalog } from '#domain/authz/authz.port';
import { hasPermission, levelPriority, reaches } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { LEVELS } from '#domain/authz/permissions';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';

/** The two permissions that carry the right to approve (docs/permissions.md): either will do. */
export const APPROVE_PERMISSIONS = ['admin.approve', 'queue.approve'] as const;

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

/** Whether the principal's approval right reaches the request's requester (a lead: their teams; an admin: the org). */
export function approvalReaches(principal: Principal, request: Pick<ApprovalRequest, 'orgId' | 'teamId'>): boolean {
  return APPROVE_PERMISSIONS.some((permission) => reaches(principal, permission, { orgId: request.orgId, teamIds: [request.teamId] }));
}

/** Priority of a level name in the request's org (custom levels carry their own); unknown = out of reach. */
export async function priorityOfLevel(orgId: string, level: string, levels: LevelCatalog): Promise<number> {
  return (await describeLevel(orgId, level, levels))?.priority ?? Number.POSITIVE_INFINITY;
}

/**
 * Who may decide a request (docs/approvals.md): holds `admin.approve` or `queue.approve`, at or above the rule's
 * approver level, with the requester in scope, and is not the requester. Checked at every decision, so a
 * demotion or a team change applies at once, to email links too.
 */
export async function eligibility(principal: Principal, request: ApprovalRequest, levels: LevelCatalog): Promise<Eligibility> {
  if (!APPROVE_PERMISSIONS.some((permission) => hasPermission(principal, permission))) {
    return { eligible: false, reason: 'Deciding an approval needs admin.approve or queue.approve' };
  }
  if (principal.userId === request.requesterId) return { eligible: false, reason: 'Nobody approves their own job' };
  if (!approvalReaches(principal, request)) {
    return { eligible: false, reason: "The requester is outside your approval scope (a lead's teams, an admin's org)" };
  }
  if (!principal.platformAdmin && levelPriority(principal) < (await priorityOfLevel(request.orgId, request.requiredLevel, levels))) {
    return { eligible: false, reason: `The rule "${request.ruleName}" needs an approver at level ${request.requiredLevel} or above` };
  }
  return { eligible: true };
}

/** The level notified at escalation: the next built-in level above `priority`, or admin at the top. */
export function nextLevelUp(priority: number): string {
  const above = Object.entries(LEVELS)
    .filter(([, value]) => value > priority)
    .sort(([, a], [, b]) => a - b)[0];
  return above ? above[0] : 'admin';
}

/** Who can approve, in words (the explain endpoint and the job's waiting reason say it). */
export function describeApprovers(requiredLevel: string, teamId: string | undefined): string {
  const scope = teamId ? `a lead of team ${teamId}, or an admin of the org` : 'an admin of the org';
  return `someone at level ${requiredLevel} or above holding admin.approve or queue.approve (${scope}), other than the requester`;
}

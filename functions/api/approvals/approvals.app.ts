import { toApprovalRuleView, toApprovalView } from '#contracts/approvals.contract';
import type { AuditLog } from '#domain/audit/audit.port';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { ApprovalRuleRepository } from '#domain/approvals/approvals.port';
import {
  createApprovalRule,
  deleteApprovalRule,
  getApprovalRule,
  listApprovalRules,
  replaceApprovalRule,
} from '#domain/approvals/approval-rules.service';
import { decideApproval, getApproval, listApprovals, type ApprovalsDeps } from '#domain/approvals/approvals.service';
import { createApiHandler } from '#http/api-handler';
import { DynamoApprovalRuleRepository } from '#adapters/dynamodb/dynamo-approval-rule.repository';
import type { EventPublisher } from '#domain/events/events.port';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { approvalDecisionDeps } from '#functions/api/approval-decision';
import type { ApprovalsEnv } from './approvals.env';
import { approvalsRoutes } from './approvals.routes';

export interface ApprovalsAppDeps extends ApprovalsDeps {
  approvalRules: ApprovalRuleRepository;
  principalGate?: PrincipalGate;
  audit?: AuditLog;
}

/** Approval rules and approval requests: thin routes over the approvals use cases; every decision is audited. */
export function createApprovalsHandler(deps: ApprovalsAppDeps) {
  const view = (request: Parameters<typeof toApprovalView>[0]) => toApprovalView(request, deps.clock.now());
  return createApiHandler(
    approvalsRoutes,
    {
      listApprovalRules: async ({ principal }) => ({
        status: 200,
        body: { items: (await listApprovalRules(principal, deps)).map(toApprovalRuleView) },
      }),
      createApprovalRule: async ({ principal, body }) => {
        const rule = await createApprovalRule(principal, body, deps);
        return {
          status: 201,
          body: toApprovalRuleView(rule),
          headers: { location: `/v1/approval-rules/${rule.id}` },
          audit: { target: `approval-rule/${rule.id}`, details: { rule: toApprovalRuleView(rule) } },
        };
      },
      getApprovalRule: async ({ principal, params }) => ({
        status: 200,
        body: toApprovalRuleView(await getApprovalRule(principal, params.ruleId, deps)),
      }),
      replaceApprovalRule: async ({ principal, params, body }) => {
        const { rule, previous } = await replaceApprovalRule(principal, params.ruleId, body, deps);
        return {
          status: 200,
          body: toApprovalRuleView(rule),
          audit: { target: `approval-rule/${rule.id}`, details: { from: toApprovalRuleView(previous), to: toApprovalRuleView(rule) } },
        };
      },
      deleteApprovalRule: async ({ principal, params }) => {
        const rule = await deleteApprovalRule(principal, params.ruleId, deps);
        return { status: 204, audit: { target: `approval-rule/${rule.id}`, details: { rule: toApprovalRuleView(rule) } } };
      },
      listApprovals: async ({ principal, query }) => {
        const page = await listApprovals(principal, query, deps);
        return { status: 200, body: { items: page.items.map(view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
      },
      getApproval: async ({ principal, params }) => ({ status: 200, body: view(await getApproval(principal, params.id, deps)) }),
      approveApproval: async ({ principal, params, body }) => {
        const request = await decideApproval(principal, params.id, { outcome: 'approved', comment: body.comment }, deps);
        return { status: 200, body: view(request), audit: decisionAudit(request) };
      },
      rejectApproval: async ({ principal, params, body }) => {
        const request = await decideApproval(principal, params.id, { outcome: 'rejected', comment: body.comment }, deps);
        return { status: 200, body: view(request), audit: decisionAudit(request) };
      },
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/** A decision's audit entry names the request, its job and rule, the outcome and the comment: never a token. */
function decisionAudit(request: Parameters<typeof toApprovalView>[0]) {
  return {
    target: `approval/${request.id}`,
    details: {
      jobId: request.jobId,
      ruleId: request.ruleId,
      outcome: request.decision?.outcome,
      comment: request.decision?.comment,
      via: request.decision?.via,
    },
  };
}

/** The one composition of the approvals function (Lambda, the local stack and the tests call it). */
export function composeApprovals(env: ApprovalsEnv, runtime: ApiRuntime & { events: EventPublisher }) {
  const composed = composeApiAccess(env, runtime);
  return createApprovalsHandler({
    ...approvalDecisionDeps(env, runtime, composed),
    approvalRules: new DynamoApprovalRuleRepository(runtime.doc, env.QM_TABLE_NAME, runtime.configCacheMs),
    ...composed.options,
  });
}

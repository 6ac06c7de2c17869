import {
  approvalIdParamsSchema,
  approvalListSchema,
  approvalRuleBodySchema,
  approvalRuleIdParamsSchema,
  approvalRuleListSchema,
  approvalRuleViewSchema,
  approvalViewSchema,
  decisionBodySchema,
  listApprovalsQuerySchema,
} from '#contracts/approvals.contract';
import { conflictResponse, notFoundResponse, standardErrors, unprocessableResponse } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const ruleNotFound = notFoundResponse('approval rule');
const requestNotFound = notFoundResponse('approval request');
const decided = conflictResponse('Already decided, expired, or its job was cancelled');
const badLevel = {
  ...notFoundResponse('level (a level the rule names is not a built-in level or a custom level of the org)'),
  ...unprocessableResponse('The approver level holds neither admin.approve nor queue.approve'),
};

/**
 * Approval rules (`admin.config`) and approval requests (docs/approvals.md). Reading and deciding requests is
 * declared at `job.view.own`, the floor every signed-in user holds: which requests a caller sees (their own,
 * and those their approval right reaches) and whether they may decide (admin.approve or queue.approve, level,
 * scope, not their own) is the approvals domain's decision, made per request and audited when refused.
 */
export const approvalsRoutes = [
  {
    method: 'GET',
    path: '/v1/approval-rules',
    operationId: 'listApprovalRules',
    summary: "Approval rules that apply in the caller's org (its own and the platform's), in evaluation order",
    access: 'admin.config',
    tags: ['approvals'],
    responses: { 200: { description: 'Every rule', schema: approvalRuleListSchema }, ...standardErrors },
  },
  {
    method: 'POST',
    path: '/v1/approval-rules',
    operationId: 'createApprovalRule',
    summary: 'Create an approval rule (scope platform: platform admins only)',
    access: 'admin.config',
    tags: ['approvals'],
    request: { body: approvalRuleBodySchema },
    responses: { 201: { description: 'The rule', schema: approvalRuleViewSchema }, ...standardErrors, ...badLevel },
  },
  {
    method: 'GET',
    path: '/v1/approval-rules/{ruleId}',
    operationId: 'getApprovalRule',
    summary: 'Get an approval rule',
    access: 'admin.config',
    tags: ['approvals'],
    request: { params: approvalRuleIdParamsSchema },
    responses: { 200: { description: 'The rule', schema: approvalRuleViewSchema }, ...standardErrors, ...ruleNotFound },
  },
  {
    method: 'PUT',
    path: '/v1/approval-rules/{ruleId}',
    operationId: 'replaceApprovalRule',
    summary: 'Replace an approval rule',
    access: 'admin.config',
    tags: ['approvals'],
    request: { params: approvalRuleIdParamsSchema, body: approvalRuleBodySchema },
    responses: {
      200: { description: 'The rule', schema: approvalRuleViewSchema },
      ...standardErrors,
      ...ruleNotFound,
      ...conflictResponse('The rule was changed meanwhile'),
      ...badLevel,
    },
  },
  {
    method: 'DELETE',
    path: '/v1/approval-rules/{ruleId}',
    operationId: 'deleteApprovalRule',
    summary: 'Delete an approval rule (requests it already made stay)',
    access: 'admin.config',
    tags: ['approvals'],
    request: { params: approvalRuleIdParamsSchema },
    responses: { 204: { description: 'Deleted' }, ...standardErrors, ...ruleNotFound },
  },
  {
    method: 'GET',
    path: '/v1/approvals',
    operationId: 'listApprovals',
    summary: 'Approval requests in your scope (default: pending): job, requester, cost, rule, age, escalation and expiry',
    access: 'job.view.own',
    tags: ['approvals'],
    request: { query: listApprovalsQuerySchema },
    responses: { 200: { description: 'A page of requests', schema: approvalListSchema }, ...standardErrors },
  },
  {
    method: 'GET',
    path: '/v1/approvals/{id}',
    operationId: 'getApproval',
    summary: 'Get an approval request (yours, or one your approval right reaches)',
    access: 'job.view.own',
    tags: ['approvals'],
    request: { params: approvalIdParamsSchema },
    responses: { 200: { description: 'The request', schema: approvalViewSchema }, ...standardErrors, ...requestNotFound },
  },
  {
    method: 'POST',
    path: '/v1/approvals/{id}/approve',
    operationId: 'approveApproval',
    summary: 'Approve: the job is queued (admin.approve or queue.approve, level ≥ the rule’s, requester in scope, not your own job)',
    access: 'job.view.own',
    tags: ['approvals'],
    request: { params: approvalIdParamsSchema, body: decisionBodySchema },
    responses: {
      200: { description: 'The approved request', schema: approvalViewSchema },
      ...standardErrors,
      ...requestNotFound,
      ...decided,
    },
  },
  {
    method: 'POST',
    path: '/v1/approvals/{id}/reject',
    operationId: 'rejectApproval',
    summary: 'Reject: the job ends as rejected (the same approvers as approve)',
    access: 'job.view.own',
    tags: ['approvals'],
    request: { params: approvalIdParamsSchema, body: decisionBodySchema },
    responses: {
      200: { description: 'The rejected request', schema: approvalViewSchema },
      ...standardErrors,
      ...requestNotFound,
      ...decided,
    },
  },
] as const satisfies readonly RouteDeclaration[];

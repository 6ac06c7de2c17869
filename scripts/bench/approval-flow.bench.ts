import { ulid } from 'ulid';
import type { ApprovalRepository, StampOutcome, TaskTokens } from '#domain/approvals/approvals.port';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';
import type { Job } from '#domain/jobs/job.schema';
import { createApprovalSteps } from '#functions/workflows/approval/approval-steps.app';
import { APPROVAL_FLOW_STATES as S } from '#lib/constructs/approval-flow';
import { LocalApprovalFlows, type LocalTransition } from '#scripts/local/approval-flow/local-approval-flows';
import { synthesizedApprovalFlowDefinition } from '#scripts/local/approval-flow/synthesized-definition';

/**
 * State transitions per path of the approval flow (Standard workflows bill per state transition), counted
 * from the execution history of the definition CDK synthesizes, run locally with the real step function
 * over in-memory stores (the state machine is what is measured here, not DynamoDB). The logical minimum of
 * each path: record + wait (approve, reject); + escalate + wait (escalate then approve); + expire (expire).
 */
const LOGICAL_MINIMUM = { approve: 2, reject: 2, escalateThenApprove: 4, expire: 5 } as const;
type Path = keyof typeof LOGICAL_MINIMUM;

/** The ports the steps use, in memory, with the same conditions as the DynamoDB adapter. */
function memoryStores() {
  const requests = new Map<string, ApprovalRequest>();
  const jobs = new Map<string, Job>();
  const approvals: ApprovalRepository = {
    get: async (_org, id) => requests.get(id),
    list: async () => ({ items: [...requests.values()] }),
    settle: async (request, job) => {
      const stored = requests.get(request.id);
      if (stored?.state !== 'pending' || stored.version !== request.version - 1 || jobs.get(job.id)?.state !== 'pending_approval')
        return 'state';
      requests.set(request.id, request);
      jobs.set(job.id, job);
      return 'ok';
    },
    storeToken: async (_org, id, token) => {
      const stored = requests.get(id);
      if (stored?.state !== 'pending') return false;
      requests.set(id, { ...stored, taskToken: token, version: stored.version + 1 });
      return true;
    },
    stamp: async (_org, id, attribute, at): Promise<StampOutcome> => {
      const stored = requests.get(id);
      if (stored?.state !== 'pending') return 'closed';
      if (stored[attribute]) return 'repeat';
      requests.set(id, { ...stored, [attribute]: at, version: stored.version + 1 });
      return 'first';
    },
    releaseToken: async (_org, id, token) => {
      const stored = requests.get(id);
      if (stored && stored.state !== 'pending' && stored.taskToken === token) requests.set(id, { ...stored, taskToken: undefined });
    },
  };
  return { requests, jobs, approvals };
}

export async function run(): Promise<Record<string, unknown>> {
  const stores = memoryStores();
  const transitions: LocalTransition[] = [];
  const clock = { now: () => new Date() };
  const steps = createApprovalSteps({
    approvals: stores.approvals,
    jobs: { get: async (id) => stores.jobs.get(id) },
    events: { publish: async () => undefined },
    clock,
    ids: { next: ulid },
    retentionDays: 0,
  });
  const flows = new LocalApprovalFlows(synthesizedApprovalFlowDefinition(), steps, { onTransition: (t) => transitions.push(t) });
  // What the approval bridge does with a closed request's token (the bridge itself is not what is measured).
  const decide: TaskTokens = flows;

  const hold = (escalateInMs: number, expireInMs: number): ApprovalRequest => {
    const now = Date.now();
    const iso = (ms: number) => new Date(now + ms).toISOString();
    const id = ulid();
    const jobId = ulid();
    const approval = {
      id,
      ruleId: 'bench',
      ruleName: 'bench',
      reason: 'bench',
      requiredLevel: 'lead',
      escalationLevel: 'admin',
      escalateAt: iso(escalateInMs),
      expireAt: iso(expireInMs),
    };
    stores.jobs.set(jobId, { id: jobId, orgId: 'bench', state: 'pending_approval', history: [], version: 1, approval } as unknown as Job);
    const request: ApprovalRequest = {
      schemaVersion: 1,
      ...approval,
      orgId: 'bench',
      jobId,
      jobName: 'bench',
      requesterId: 'bench',
      requesterLevel: 'researcher',
      costUsd: 1,
      hardwareType: 'bench',
      state: 'pending',
      createdAt: iso(0),
      version: 1,
    };
    stores.requests.set(id, request);
    return request;
  };
  const waitForToken = async (id: string, after?: string) => {
    while (
      stores.requests.get(id)?.taskToken === undefined ||
      (after && !transitions.some((t) => t.approvalId === id && t.state === after))
    )
      await new Promise((resolve) => setTimeout(resolve, 10));
    return stores.requests.get(id)!.taskToken!;
  };
  const paths: Record<Path, () => Promise<string>> = {
    approve: async () => {
      const request = hold(60_000, 120_000);
      await flows.start(request);
      await decide.succeed(await waitForToken(request.id), { outcome: 'approved' });
      return request.id;
    },
    reject: async () => {
      const request = hold(60_000, 120_000);
      await flows.start(request);
      await decide.succeed(await waitForToken(request.id), { outcome: 'rejected' });
      return request.id;
    },
    escalateThenApprove: async () => {
      const request = hold(1_000, 120_000);
      await flows.start(request);
      await decide.succeed(await waitForToken(request.id, S.awaitEscalated), { outcome: 'approved' });
      return request.id;
    },
    expire: async () => {
      const request = hold(1_000, 2_000);
      await flows.start(request);
      return request.id;
    },
  };
  const result: Record<string, { transitions: number; logicalMinimum: number; states: string[]; withinBudget: boolean }> = {};
  for (const [path, drive] of Object.entries(paths) as [Path, () => Promise<string>][]) {
    const id = await drive();
    await flows.settled(id);
    const states = transitions.filter((t) => t.approvalId === id).map((t) => t.state);
    result[path] = {
      transitions: states.length,
      logicalMinimum: LOGICAL_MINIMUM[path],
      states,
      withinBudget: states.length <= LOGICAL_MINIMUM[path],
    };
  }
  await flows.stop();
  return { ...result, withinBudget: Object.values(result).every((r) => r.withinBudget) };
}

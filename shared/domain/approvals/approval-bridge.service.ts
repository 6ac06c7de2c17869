import type { ApprovalFlowSignal } from './approval-flow-signal';
import type { ApprovalFlows, ApprovalRepository, TaskTokens } from './approvals.port';

export interface ApprovalBridgeDeps {
  approvals: Pick<ApprovalRepository, 'get' | 'releaseToken'>;
  flows: ApprovalFlows;
  tokens: TaskTokens;
}

export type BridgeOutcome = 'started' | 'resumed' | 'nothing';

/**
 * Carries out one approval flow signal (docs/approvals.md, "Starting and resuming flows") from the request as
 * stored now, so a redelivered or late signal is harmless:
 *
 * - `start`: the flow of a request that still waits is started (named after the request: a second start while
 *   it runs is the same execution). A request already closed needs no flow.
 * - `resume`: the wait of a closed request is ended with the token it kept, then the token is dropped. A stale
 *   token (the wait timed out, its execution ended) ends nothing, and is dropped all the same; without a token
 *   there is no wait to end.
 *
 * A Step Functions failure is thrown: the signal is delivered again (EventBridge retries the invocation).
 */
export async function deliverFlowSignal(signal: ApprovalFlowSignal & { orgId: string }, deps: ApprovalBridgeDeps): Promise<BridgeOutcome> {
  const request = await deps.approvals.get(signal.orgId, signal.approvalId);
  if (!request) return 'nothing';
  if (signal.action === 'start') {
    if (request.state !== 'pending') return 'nothing';
    await deps.flows.start(request);
    return 'started';
  }
  if (request.state === 'pending' || request.taskToken === undefined) return 'nothing';
  const ended = await deps.tokens.succeed(request.taskToken, { outcome: request.state });
  await deps.approvals.releaseToken(request.orgId, request.id, request.taskToken);
  return ended ? 'resumed' : 'nothing';
}

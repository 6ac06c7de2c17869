import * as z from 'zod/mini';
import { approvalFlowSignalSchema, APPROVAL_FLOW_SIGNAL_EVENT } from '#domain/approvals/approval-flow-signal';
import { deliverFlowSignal, type ApprovalBridgeDeps, type BridgeOutcome } from '#domain/approvals/approval-bridge.service';

/** What the rule delivers: an EventBridge event whose `detail` is the envelope of one flow signal. */
const bridgeEventSchema = z.object({
  detail: z.object({
    type: z.literal(APPROVAL_FLOW_SIGNAL_EVENT),
    orgId: z.string().check(z.minLength(1)),
    data: approvalFlowSignalSchema,
  }),
});

export interface ApprovalBridgeAppDeps extends ApprovalBridgeDeps {
  logger: { info(message: string, details: Record<string, unknown>): void };
}

/**
 * The approval bridge (docs/approvals.md, "Starting and resuming flows"): the one function besides the re-drive
 * that talks to Step Functions, fed by the bus with the flow signals the request path records in its outbox.
 * Deployed, an EventBridge rule invokes it (retries, then its DLQ); locally the in-process bus calls the same
 * composition with `{ detail: event }`. A failure is thrown, so the signal is delivered again.
 */
export function createApprovalBridge(deps: ApprovalBridgeAppDeps) {
  return async (event: unknown): Promise<{ outcome: BridgeOutcome }> => {
    const { detail } = bridgeEventSchema.parse(event);
    const outcome = await deliverFlowSignal({ ...detail.data, orgId: detail.orgId }, deps);
    // Ids only: the token read from the request never reaches a log.
    deps.logger.info('approval flow signal', { action: detail.data.action, approvalId: detail.data.approvalId, outcome });
    return { outcome };
  };
}

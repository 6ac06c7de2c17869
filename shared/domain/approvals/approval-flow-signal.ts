import * as z from 'zod/mini';
import { envelope, type DomainEvent } from '#domain/events/event-envelope';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';

/**
 * What the request path asks of the approval flow (docs/approvals.md, "Starting and resuming flows"). The
 * API functions hold no Step Functions client: they record this internal event in the outbox, in the
 * transaction that stores or closes the request, and the approval bridge (an EventBridge rule → the
 * `approval-bridge` function; locally the same composition on the in-process bus) starts the execution or
 * ends its wait. `start`: a held job's request was stored. `resume`: a request closed while a wait held a
 * task token; the bridge reads the token from the request item (it never travels in an event).
 */
export const APPROVAL_FLOW_SIGNAL_EVENT = 'approval.flow_signal';

export const approvalFlowSignalSchema = z.object({
  action: z.enum(['start', 'resume']),
  approvalId: z.string().check(z.minLength(1)),
});
export type ApprovalFlowSignal = z.infer<typeof approvalFlowSignalSchema>;

/** The signal for `request` (ids only: the envelope names the org, the data the request). */
export function approvalFlowSignal(
  action: ApprovalFlowSignal['action'],
  request: Pick<ApprovalRequest, 'id' | 'orgId'>,
  id: string,
  time: string,
): DomainEvent {
  return envelope(
    APPROVAL_FLOW_SIGNAL_EVENT,
    approvalFlowSignalSchema,
    { id, time, orgId: request.orgId, subject: `approval/${request.id}` },
    { action, approvalId: request.id },
  );
}

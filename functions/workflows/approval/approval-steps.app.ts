import * as z from 'zod/mini';
import { awaitStep, escalateStep, expireStep, recordStep, type FlowDeps } from '#domain/approvals/approval-flow.service';

/** What the state machine passes to the step function: the step and the request's ids (the token for `await`). */
export const stepPayloadSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('record'), approvalId: z.string(), orgId: z.string() }),
  z.object({ step: z.literal('await'), approvalId: z.string(), orgId: z.string(), taskToken: z.string().check(z.minLength(1)) }),
  z.object({ step: z.literal('escalate'), approvalId: z.string(), orgId: z.string() }),
  z.object({ step: z.literal('expire'), approvalId: z.string(), orgId: z.string() }),
]);
export type StepPayload = z.infer<typeof stepPayloadSchema>;

/**
 * The approval flow's task handler: one function, the step named in the payload (see
 * `lib/constructs/approval-flow.ts` for the states). The deployed Lambda and the local runner call the same
 * function. It never logs its payload: the `await` step's payload carries the task token.
 */
export function createApprovalSteps(deps: FlowDeps) {
  return async (event: unknown): Promise<Record<string, unknown>> => {
    const payload = stepPayloadSchema.parse(event);
    switch (payload.step) {
      case 'record':
        return recordStep(payload, deps);
      case 'await':
        await awaitStep(payload, deps);
        return {};
      case 'escalate':
        return escalateStep(payload, deps);
      case 'expire':
        await expireStep(payload, deps);
        return {};
    }
  };
}

import type { ApprovalFlows, RunningFlows } from '#domain/approvals/approvals.port';
import { redriveApprovalFlows } from '#domain/approvals/approval-redrive.service';
import type { JobRepository } from '#domain/jobs/jobs.port';

export interface ApprovalRedriveDeps {
  jobs: Pick<JobRepository, 'listByState'>;
  flows: ApprovalFlows & RunningFlows;
  logger: { info(message: string, details: Record<string, unknown>): void };
}

/**
 * The deployed re-drive (docs/approvals.md, "Re-drive"): on its schedule, starts the flow of every job that
 * waits for approval with no execution running (its start failed after the job was stored, or the execution
 * failed). The local stack runs the same `redriveApprovalFlows` at start.
 */
export function createApprovalRedrive(deps: ApprovalRedriveDeps) {
  return async (): Promise<{ started: number }> => {
    const started = await redriveApprovalFlows(deps.jobs, deps.flows);
    // Ids only; a healthy deployment logs 0 here on every run.
    deps.logger.info('approval flows re-driven', { started });
    return { started };
  };
}

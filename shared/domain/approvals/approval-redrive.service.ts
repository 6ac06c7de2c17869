import type { JobRepository } from '#domain/jobs/jobs.port';
import type { ApprovalFlows } from './approvals.port';

/**
 * Starts the flow of every job that waits for approval (the table is the truth, not the flows): after a
 * restart of the local stack, whose executions live in memory, and for a flow whose start failed after
 * its job was stored. Starting is idempotent per request, and the steps continue where the request is:
 * nothing is announced twice, and a request whose time has passed escalates or expires at once.
 */
export async function redriveApprovalFlows(jobs: Pick<JobRepository, 'listByState'>, flows: ApprovalFlows): Promise<number> {
  let started = 0;
  let cursor: string | undefined;
  do {
    const page = await jobs.listByState('pending_approval', { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const job of page.items) {
      if (!job.approval) continue;
      await flows.start({ id: job.approval.id, orgId: job.orgId });
      started += 1;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return started;
}

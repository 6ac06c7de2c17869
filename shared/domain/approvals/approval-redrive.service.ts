import type { JobRepository } from '#domain/jobs/jobs.port';
import type { ApprovalFlows, RunningFlows } from './approvals.port';

/**
 * Starts the flow of every job that waits for approval but has none running (the table is the truth, not the
 * flows): after a restart of the local stack, whose executions live in memory, and in the deployment on a
 * schedule (`functions/workflows/approval/approval-redrive.handler.ts`), for a flow whose start failed after
 * its job was stored or whose execution ended without ending its request. The steps continue where the
 * request is: nothing is announced twice, and a request whose time has passed escalates or expires at once.
 * Returns the number of flows started.
 */
export async function redriveApprovalFlows(jobs: Pick<JobRepository, 'listByState'>, flows: ApprovalFlows & RunningFlows): Promise<number> {
  const running = await flows.runningApprovalIds();
  let started = 0;
  let cursor: string | undefined;
  do {
    const page = await jobs.listByState('pending_approval', { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const job of page.items) {
      if (!job.approval || running.has(job.approval.id)) continue;
      await flows.start({ id: job.approval.id, orgId: job.orgId });
      started += 1;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return started;
}

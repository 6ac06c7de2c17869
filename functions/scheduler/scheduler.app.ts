import type { SchedulerDeps, SchedulerPassResult } from '#domain/job-flow/scheduler.service';
import { runSchedulerPass } from '#domain/job-flow/scheduler.service';

/**
 * The scheduler function: runs one pass per invocation, whether woken by the 1-minute schedule or by a
 * job event. Reserved concurrency 1 in the deployed stack keeps passes from overlapping (they would be
 * safe anyway: every write is conditional).
 */
export function createScheduler(deps: SchedulerDeps) {
  return async (): Promise<SchedulerPassResult> => runSchedulerPass(deps);
}

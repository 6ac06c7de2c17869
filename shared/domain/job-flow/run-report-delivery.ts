import type { JobEndingDeps } from './job-ending';
import type { Job } from '#domain/jobs/job.schema';
import { applyRunReport, type RunReport } from './run-status.service';

/**
 * Delivers a backend's report about a run until it is stored (the issue: a job that finished while the
 * database was unreachable stayed `running` for up to 14 days and then timed out although it had
 * succeeded). A failure that `isTransient` calls a dependency outage is retried with exponential backoff
 * (`initialDelayMs`, doubling, at most `maxDelayMs`) for as long as `keepTrying()` allows; any other error
 * is not retried (it would fail the same way again). Duplicates are harmless: `applyRunReport` writes
 * conditionally.
 */
export interface ReportDeliveryDeps extends JobEndingDeps {
  isTransient: (error: unknown) => boolean;
  sleep: (ms: number) => Promise<void>;
  /** False once the process is stopping: the report is then left to the reconciler at the next start. */
  keepTrying?: () => boolean;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export async function deliverRunReport(report: RunReport, deps: ReportDeliveryDeps): Promise<Job | undefined> {
  let delay = deps.initialDelayMs ?? 1_000;
  for (;;) {
    try {
      return await applyRunReport(report, deps);
    } catch (error) {
      if (!deps.isTransient(error) || !(deps.keepTrying?.() ?? true)) throw error;
      await deps.sleep(delay);
      delay = Math.min(delay * 2, deps.maxDelayMs ?? 30_000);
    }
  }
}

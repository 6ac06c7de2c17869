import type { RunObserver } from '#domain/jobs/jobs.port';
import type { JobEndingDeps } from './job-ending';
import type { Job } from '#domain/jobs/job.schema';
import { reportFor } from './run-poller.service';
import { applyRunReport } from './run-status.service';

/**
 * The reconciler (issue 17 item 2): a job whose completion report never arrived — lost in a database outage
 * that outlasted its retries, an ECS event EventBridge never delivered, a process that stopped — would stay
 * `running` until its max runtime and then end `timed_out`, holding concurrency all along. Each pass compares
 * every job the table calls active with what its backend says now and applies the backend's truth as a run
 * report: `ended` with its exit code (succeeded or failed; a Spot reclaim requeues once, as the event would),
 * a lost `running`, or, for a `running` job whose run is gone, `failed` with that reason. Reports go through
 * `applyRunReport`, the normal completion path's conditional writes, so a report that arrives after the
 * reconciler (or with it) releases concurrency and settles usage once, never twice.
 */
export interface RunReconcilerDeps extends JobEndingDeps {
  /** The observer of each backend this deployment can read; jobs of the others are left alone. */
  observers: (backend: Job['backend']) => RunObserver | undefined;
  /** One job's read failing is logged and the pass goes on with the others. */
  onError?: (message: string, details: Record<string, unknown>) => void;
}

export interface ReconcileSummary {
  /** Active jobs with a run (a `runRef`) whose backend could be read. */
  checked: number;
  /** Jobs whose record the backend's truth changed (ended, requeued, or seen running). */
  repaired: string[];
  /** Active jobs of a backend this deployment cannot read. */
  unobserved: number;
}

const PAGE = 100;

/** Jobs that hold a run: `starting` ones with a run reference, and every `running` one. */
async function jobsWithRuns(deps: RunReconcilerDeps): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const state of ['starting', 'running'] as const) {
    let cursor: string | undefined;
    do {
      const page = await deps.jobs.listByState(state, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      jobs.push(...page.items.filter((job) => job.runRef !== undefined));
      cursor = page.nextCursor;
    } while (cursor);
  }
  return jobs;
}

/** One pass over every job with a run; safe to overlap with itself and with the normal report paths. */
export async function reconcileRuns(deps: RunReconcilerDeps): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { checked: 0, repaired: [], unobserved: 0 };
  for (const job of await jobsWithRuns(deps)) {
    const observer = deps.observers(job.backend);
    if (!observer) {
      summary.unobserved += 1;
      continue;
    }
    try {
      const report = reportFor(job, await observer.observe(job));
      summary.checked += 1;
      // Waiting reasons and "still running" are the poller's and the events' business: only outcomes repair.
      if (!report || report.status === 'waiting' || (report.status === 'running' && job.state === 'running')) continue;
      // Undefined: the normal path got there first (or the job moved on): nothing to repair.
      if (await applyRunReport(report, deps)) summary.repaired.push(job.id);
    } catch (error) {
      deps.onError?.('Reconciler could not read or repair a job; it is checked again at the next pass', {
        jobId: job.id,
        backend: job.backend,
        error: error instanceof Error ? error.message : 'unknown',
      });
    }
  }
  return summary;
}

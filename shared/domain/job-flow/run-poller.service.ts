import type { NamespaceRunObserver, RunObservation } from '#domain/jobs/jobs.port';
import type { JobEndingDeps } from './job-ending';
import type { Job } from '#domain/jobs/job.schema';
import { applyRunReport, type RunReport } from './run-status.service';

export interface RunPollerDeps extends JobEndingDeps {
  observer: NamespaceRunObserver;
  /** Failures of one namespace are logged and the pass goes on with the others. */
  onError?: (message: string, details: Record<string, unknown>) => void;
}

export interface PollSummary {
  /** Active Kubernetes jobs seen in the table. */
  jobs: number;
  /** Cluster namespaces read (each costs the backend's list calls, whatever its number of jobs). */
  namespaces: number;
  /** Reports applied (most change nothing: a repeated observation is not written). */
  reports: number;
}

const PAGE = 100;

async function activeKubernetesJobs(deps: RunPollerDeps): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const state of ['starting', 'running'] as const) {
    let cursor: string | undefined;
    do {
      const page = await deps.jobs.listByState(state, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      jobs.push(...page.items.filter((job) => job.backend === 'kubernetes' && job.placement));
      cursor = page.nextCursor;
    } while (cursor);
  }
  return jobs;
}

/** Why a running job whose run is gone failed: the backend's own words for "gone". */
const missingRunReason = (job: Job): string =>
  job.backend === 'kubernetes'
    ? 'The Kubernetes Job no longer exists (deleted outside Quartermaster, or removed by its TTL)'
    : job.backend === 'local'
      ? 'The run ended without an exit record (the local stack stopped while it ran)'
      : 'The ECS task no longer exists and its outcome was never reported';

/**
 * The report an observation makes, or none (a `starting` job whose run is not created yet is not missing).
 * The poller and the reconciler (`run-reconciler.service.ts`) read backends the same way.
 */
export function reportFor(job: Job, observation: RunObservation): RunReport | undefined {
  const runRef = job.runRef;
  if (!runRef) return undefined;
  switch (observation.status) {
    case 'running':
      return { jobId: job.id, runRef, status: 'running' };
    case 'waiting':
      return { jobId: job.id, runRef, status: 'waiting', waiting: observation.waiting };
    case 'ended':
      return {
        jobId: job.id,
        runRef,
        status: 'ended',
        ...(observation.exitCode !== undefined ? { exitCode: observation.exitCode } : {}),
        ...(observation.reason ? { reason: observation.reason } : {}),
        ...(observation.timedOut ? { timedOut: true } : {}),
        ...(observation.capacityReclaimed ? { capacityReclaimed: true } : {}),
      };
    case 'missing':
      return job.state === 'running'
        ? {
            jobId: job.id,
            runRef,
            status: 'ended',
            reason: missingRunReason(job),
          }
        : undefined;
  }
}

/**
 * One pass of the Kubernetes status poller (DESIGN §2, §4.8): the active Kubernetes jobs, grouped by cluster
 * and namespace, each group read with one observation of the namespace (two list calls by label, however
 * many jobs), then every job's report applied through the same conditional writes as ECS events. Reports
 * are idempotent, so a pass that overlaps another or repeats itself changes nothing twice.
 */
export async function pollKubernetesRuns(deps: RunPollerDeps): Promise<PollSummary> {
  const jobs = await activeKubernetesJobs(deps);
  const groups = new Map<string, Job[]>();
  for (const job of jobs) {
    const key = `${job.placement!.cluster}/${job.placement!.namespace}`;
    groups.set(key, [...(groups.get(key) ?? []), job]);
  }
  let reports = 0;
  for (const [key, members] of groups) {
    const [cluster, namespace] = key.split('/') as [string, string];
    let observed: Map<string, RunObservation> | undefined;
    try {
      observed = await deps.observer.observeNamespace(cluster, namespace);
    } catch (error) {
      deps.onError?.('Kubernetes poll failed for a namespace; its jobs keep their state until the next pass', {
        cluster,
        namespace,
        error: error instanceof Error ? error.message : 'unknown',
      });
      continue;
    }
    if (!observed) continue; // cluster deleted: its jobs are left to the reconciler
    for (const job of members) {
      const report = reportFor(job, observed.get(job.id) ?? { status: 'missing' });
      if (!report) continue;
      await applyRunReport(report, deps);
      reports += 1;
    }
  }
  return { jobs: jobs.length, namespaces: groups.size, reports };
}

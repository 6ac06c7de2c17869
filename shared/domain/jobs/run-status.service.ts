import { endJob, type JobEndingDeps } from './job-ending';
import { transition } from './job-lifecycle';
import type { Job } from './job.schema';

/** A backend's report about a run (ECS task state change, Kubernetes poll, local process exit). */
export type RunReport =
  | { jobId: string; runRef: string; status: 'running' }
  | { jobId: string; runRef: string; status: 'ended'; exitCode?: number; reason?: string };

/**
 * Applies a backend report. Reports arrive late, out of order and more than once; each effect is a
 * conditional write, so a duplicate `ended` releases nothing twice and emits no second event.
 */
export async function applyRunReport(report: RunReport, deps: JobEndingDeps): Promise<Job | undefined> {
  const job = await deps.jobs.get(report.jobId);
  if (!job) return undefined;
  if (job.runRef && job.runRef !== report.runRef) return undefined; // a report about another run

  if (report.status === 'running') {
    if (job.state !== 'starting') return undefined;
    const at = deps.clock.now().toISOString();
    const outcome = await deps.jobs.save(transition(job, 'running', at, { runRef: report.runRef, startedAt: at }), 'starting');
    return outcome.ok ? outcome.job : undefined;
  }

  if (job.state !== 'starting' && job.state !== 'running') return undefined;
  const succeeded = report.exitCode === 0;
  return endJob(
    job,
    succeeded ? 'succeeded' : 'failed',
    {
      runRef: report.runRef,
      ...(report.exitCode !== undefined ? { exitCode: report.exitCode } : {}),
      ...(succeeded ? {} : { stateReason: report.reason ?? `Exited with code ${report.exitCode ?? 'unknown'}` }),
    },
    deps,
  );
}

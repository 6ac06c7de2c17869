import { endJob, type JobEndingDeps } from './job-ending';
import { transition } from './job-lifecycle';
import type { Job } from './job.schema';

/** A backend's report about a run (ECS task state change, Kubernetes poll, local process exit). */
export type RunReport =
  | { jobId: string; runRef: string; status: 'running' }
  | { jobId: string; runRef: string; status: 'ended'; exitCode?: number; reason?: string; stopCode?: string };

/**
 * Applies a backend report. Reports arrive late, out of order and more than once; each effect is a
 * conditional write, so a duplicate `ended` releases nothing twice and emits no second event. A write
 * that loses a race (the dispatcher moved the job `starting → running` meanwhile) is retried on the
 * fresh job, so a run that ends quickly is never left looking alive.
 */
export async function applyRunReport(report: RunReport, deps: JobEndingDeps): Promise<Job | undefined> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const job = await deps.jobs.get(report.jobId);
    if (!job) return undefined;
    if (job.runRef && job.runRef !== report.runRef) return undefined; // a report about another run
    if (job.state !== 'starting' && (report.status === 'running' || job.state !== 'running')) return undefined;

    if (report.status === 'running') {
      const at = deps.clock.now().toISOString();
      const outcome = await deps.jobs.save(transition(job, 'running', at, { runRef: report.runRef, startedAt: at }), 'starting');
      if (outcome.ok) return outcome.job;
      continue;
    }

    const succeeded = report.exitCode === 0;
    const ended = await endJob(
      job,
      succeeded ? 'succeeded' : 'failed',
      {
        runRef: report.runRef,
        ...(report.exitCode !== undefined ? { exitCode: report.exitCode } : {}),
        ...(succeeded ? {} : { stateReason: report.reason ?? `Exited with code ${report.exitCode ?? 'unknown'}` }),
      },
      deps,
    );
    if (ended) return ended;
  }
  return undefined;
}

import { jobEvent } from '#domain/jobs/job.events';
import { endJob, type JobEndingDeps } from './job-ending';
import { transition } from '#domain/jobs/job-lifecycle';
import { requeueAfterInterruption } from './job-requeue';
import type { Job, WaitingReason } from '#domain/jobs/job.schema';

/** A backend's report about a run (ECS task state change, Kubernetes poll, local process exit). */
export type RunReport =
  | { jobId: string; runRef: string; status: 'running' }
  /** Not running yet, with the backend's reason (Unschedulable, image pull, Kueue): shown as the waiting reason. */
  | { jobId: string; runRef: string; status: 'waiting'; waiting: WaitingReason }
  | {
      jobId: string;
      runRef: string;
      status: 'ended';
      exitCode?: number;
      reason?: string;
      stopCode?: string;
      /** The instance was taken away (a Spot reclaim): not the job's fault, so it is queued again once. */
      capacityReclaimed?: boolean;
      /** The backend stopped the run at its max runtime (the job becomes `timed_out`). */
      timedOut?: boolean;
    };

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
    if (job.interruptedRunRef === report.runRef) return undefined; // the run the job was requeued from
    if (job.state !== 'starting' && job.state !== 'running') return undefined;
    if (report.status === 'waiting' || (report.status === 'running' && job.state === 'running')) {
      // Polled backends repeat what they see: only a change of reason is written.
      const waiting = report.status === 'waiting' ? report.waiting : { code: 'running' as const, message: 'Running' };
      if (job.waiting?.code !== waiting.code || job.waiting.message !== waiting.message)
        await deps.jobs.setWaiting(job, job.state, waiting);
      return job;
    }

    if (report.status === 'running') {
      const at = deps.clock.now().toISOString();
      const running = transition(job, 'running', at, { runRef: report.runRef, startedAt: at });
      delete running.launchDeadline; // it found capacity
      // `job.started` commits with the transition (the outbox), as the dispatcher's direct start records it.
      const outcome = await deps.jobs.save(running, 'starting', [], [jobEvent('job.started', running, deps.ids.next(), at)]);
      if (outcome.ok) return outcome.job;
      continue;
    }

    const succeeded = report.exitCode === 0 && !report.timedOut;
    let interruptedAgain = false;
    if (report.capacityReclaimed && !succeeded) {
      const outcome = await requeueAfterInterruption(job, report.reason ?? 'capacity reclaimed', deps);
      if ('requeued' in outcome) return outcome.requeued;
      if ('lostRace' in outcome) continue;
      interruptedAgain = true;
    }
    const failure = report.reason ?? `Exited with code ${report.exitCode ?? 'unknown'}`;
    const ended = await endJob(
      job,
      report.timedOut ? 'timed_out' : succeeded ? 'succeeded' : 'failed',
      {
        runRef: report.runRef,
        ...(report.exitCode !== undefined ? { exitCode: report.exitCode } : {}),
        ...(succeeded
          ? {}
          : { stateReason: interruptedAgain ? `Lost its instance again after one requeue (not requeued twice): ${failure}` : failure }),
      },
      deps,
    );
    if (ended) return ended;
  }
  return undefined;
}

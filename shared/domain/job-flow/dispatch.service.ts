import type { HardwareRequirements, JobBackend, LaunchResult } from '#domain/jobs/jobs.port';
import { BackendCapacityError, BackendLaunchError } from '#domain/jobs/backend-errors';
import type { HardwareCatalog } from '#domain/catalog/catalog.port';
import { jobEvent } from '#domain/jobs/job.events';
import type { DispatchMessage } from '#domain/jobs/dispatch-message.schema';
import { endJob, type JobEndingDeps } from './job-ending';
import { transition } from '#domain/jobs/job-lifecycle';
import type { Job } from '#domain/jobs/job.schema';

export interface DispatchDeps extends JobEndingDeps {
  backends: (kind: Job['backend']) => JobBackend;
  hardware: HardwareCatalog;
}

export type DispatchOutcome = 'launched' | 'waiting_for_capacity' | 'duplicate' | 'stopped' | 'gone' | 'cancelled_after_launch' | 'failed';

/**
 * Handles one dispatch message. Delivery is at-least-once; the effect is exactly-once because
 * (1) only the writer that moves `admitted → starting` proceeds past a fresh admission, (2) the backend
 * launch is idempotent per job id (a redelivery in `starting` finds the same run), and (3) the final
 * `starting → running` write is conditional. Capacity and transient errors are thrown so SQS retries the
 * message later; only a `BackendLaunchError` fails the job.
 */
export async function handleDispatch(message: DispatchMessage, deps: DispatchDeps): Promise<DispatchOutcome> {
  const job = await deps.jobs.get(message.jobId);
  if (!job) return 'gone';
  if (message.action === 'stop') {
    // A message may name the run: a launch the job was queued again from, which must not take the new one along.
    const runRef = message.runRef ?? job.runRef;
    if (runRef) await deps.backends(job.backend).stop({ ...job, runRef }, message.reason);
    return 'stopped';
  }

  let starting = job;
  if (job.state === 'admitted') {
    const next = transition(job, 'starting', deps.clock.now().toISOString());
    const outcome = await deps.jobs.save(next, 'admitted');
    if (!outcome.ok) return 'duplicate';
    starting = outcome.job;
  } else if (job.state !== 'starting') {
    return 'duplicate'; // running or ended: an earlier delivery did the work
  } else if (job.launchDeadline) {
    return 'duplicate'; // launched and waiting for capacity: the backend's running report moves it on
  }

  const hardware = await requirementsFor(starting, deps);
  if (!hardware) {
    await endJob(starting, 'failed', { stateReason: `Hardware type ${starting.spec.hardwareType} no longer exists` }, deps);
    return 'failed';
  }
  const backend = deps.backends(starting.backend);
  let launched: LaunchResult;
  try {
    launched = await backend.launch(starting, hardware);
  } catch (error) {
    if (error instanceof BackendCapacityError) {
      await deps.jobs.setWaiting(starting, 'starting', { code: 'backend_capacity', message: error.message });
      throw error; // retried by SQS after the visibility timeout
    }
    // Only a launch that can never succeed fails the job; throttling and 5xx go back to SQS, and the
    // idempotent launch makes the retry safe.
    if (!(error instanceof BackendLaunchError)) throw error;
    await endJob(starting, 'failed', { stateReason: `Launch failed: ${error.message}` }, deps);
    return 'failed';
  }
  const { runRef } = launched;
  if (launched.waitingForCapacity) return waitForCapacity(starting, launched, deps);

  const at = deps.clock.now().toISOString();
  const running = transition(starting, 'running', at, {
    runRef,
    startedAt: at,
    ...(launched.ecsPlacement ? { ecsPlacement: launched.ecsPlacement } : {}),
  });
  delete running.launchDeadline;
  // `job.started` commits with the transition (the outbox): a job cancelled meanwhile never announces a start.
  const saved = await deps.jobs.save(running, 'starting', [], [jobEvent('job.started', running, deps.ids.next(), at)]);
  if (!saved.ok) {
    // Cancelled (or ended) while we launched: make sure the run does not outlive its job.
    const current = await deps.jobs.get(starting.id);
    if (current && current.state !== 'running') await backend.stop({ ...starting, runRef }, 'Job ended before launch completed');
    return 'cancelled_after_launch';
  }
  return 'launched';
}

/**
 * The run exists but has no instance yet (a fleet scaling from zero, Spot capacity short): the job stays
 * `starting`, says which fleet it waits for, and carries the deadline after which the scheduler gives up.
 * The backend's "running" report moves it on; the run reference is recorded now so that report matches.
 */
async function waitForCapacity(job: Job, launched: LaunchResult, deps: DispatchDeps): Promise<DispatchOutcome> {
  const wait = launched.waitingForCapacity!;
  const now = deps.clock.now();
  const waiting: Job = {
    ...job,
    runRef: launched.runRef,
    ...(launched.ecsPlacement ? { ecsPlacement: launched.ecsPlacement } : {}),
    launchDeadline: new Date(now.getTime() + wait.timeoutMinutes * 60_000).toISOString(),
    waiting: { code: 'backend_capacity', message: wait.message },
    updatedAt: now.toISOString(),
    version: job.version + 1,
  };
  const saved = await deps.jobs.save(waiting, 'starting');
  if (saved.ok) return 'waiting_for_capacity';
  // Cancelled meanwhile (or a run report got there first): stop the run unless the job now runs it.
  const current = await deps.jobs.get(job.id);
  if (current && current.state !== 'running' && current.state !== 'starting') {
    await deps.backends(job.backend).stop({ ...job, runRef: launched.runRef }, 'Job ended before launch completed');
    return 'cancelled_after_launch';
  }
  return 'duplicate';
}

async function requirementsFor(job: Job, deps: DispatchDeps): Promise<HardwareRequirements | undefined> {
  const hardware = await deps.hardware.get(job.spec.hardwareType);
  if (!hardware) return undefined;
  return {
    hardwareType: hardware.id,
    gpuCount: hardware.gpuCount,
    vcpu: hardware.vcpu,
    memoryMiB: hardware.memoryMiB,
    ...(hardware.ecs ? { ecs: { ...hardware.ecs } } : {}),
  };
}

import { queueDepth } from '#domain/quotas/counters';
import { GLOBAL_SHARD_COUNTERS, GlobalShardRoom } from '#domain/quotas/global-shards';
import type { FairShareSource, SchedulingSettingsSource } from '#domain/scheduling/scheduling.port';
import { snapshotQueue } from '#domain/scheduling/queue-snapshot';
import { estimateStarts, ExpectedRuntimes, type Estimate, type WaitingOnLimit } from '#domain/scheduling/eta';
import {
  admissionEvents,
  prepareAdmission,
  waitingFor,
  writeOnGlobalShard,
  type AdmissionDeps,
  type PreparedAdmission,
  type QueuePlace,
} from '#domain/jobs/admission.service';
import { AdmissionBatch, type AdmissionCandidate } from './admission-batch';
import type { DispatchQueue } from '#domain/jobs/jobs.port';
import { endJob } from './job-ending';
import { requeueAfterInterruption } from './job-requeue';
import { transition } from '#domain/jobs/job-lifecycle';
import type { Job, WaitingReason } from '#domain/jobs/job.schema';

export interface SchedulerDeps extends AdmissionDeps {
  dispatch: DispatchQueue;
  fairShare: FairShareSource;
  scheduling: SchedulingSettingsSource;
  retentionDays: number;
  /** An admitted job not launched after this long gets its dispatch message again. */
  redispatchAfterMs?: number;
  /** Upper bound of queued jobs read per pass (the rest, last in priority and submission order, wait). */
  maxJobsPerPass?: number;
}

export interface SchedulerPassResult {
  admitted: string[];
  waiting: number;
  redispatched: string[];
  timedOut: string[];
  /** Launches that found no capacity before their deadline: queued again on On-Demand, or failed. */
  launchTimeouts: string[];
}

/**
 * One scheduler pass (docs/scheduling.md): ranks every queued job (bypass, moved to front, effective priority with
 * aging, fair share, queue time) and admits them in that order, every admission conditional on all its
 * counters and their ceilings; consecutive admissions share a transaction when they can (admission-batch.ts:
 * all or nothing, else one by one in order). A job that a limit holds back holds back every later job on
 * that same limit (no overtaking within a limit, so a large job is not starved by small ones), while jobs
 * on other limits go ahead. Every waiting job is told why and where it stands, with an estimated start
 * when a limit holds it (shared/domain/scheduling/eta.ts). Then lost dispatches are re-sent and jobs past
 * their max runtime stopped. Safe to run concurrently with itself and with submissions (every write is
 * conditional), though deployments run one pass at a time.
 */
export async function runSchedulerPass(deps: SchedulerDeps): Promise<SchedulerPassResult> {
  const result: SchedulerPassResult = { admitted: [], waiting: 0, redispatched: [], timedOut: [], launchTimeouts: [] };
  const now = deps.clock.now();
  const snapshot = await snapshotQueue(deps, now, deps.maxJobsPerPass ?? 1_000);
  const room = await globalShardRoom(deps);
  const positions = new Map<string, number>();
  const heldOn = new Map<string, WaitingOnLimit[]>();
  const waits: { job: Job; reason: WaitingReason }[] = [];
  const wait = (job: Job, reason: (place: QueuePlace) => WaitingReason, hold?: { counter: string; prepared: PreparedAdmission }) => {
    const position = (positions.get(job.orgId) ?? 0) + 1;
    positions.set(job.orgId, position);
    let limitPosition: number | undefined;
    if (hold) {
      const line = heldOn.get(hold.counter) ?? [];
      line.push({ job, prepared: hold.prepared });
      heldOn.set(hold.counter, line);
      limitPosition = line.length;
    }
    waits.push({ job, reason: reason({ position, ...(limitPosition ? { limitPosition } : {}) }) });
  };

  const at = now.toISOString();
  // An admission's launch request and quota crossings are in its transaction (the outbox): nothing to send after.
  const admitted = ({ job }: AdmissionCandidate) => void result.admitted.push(job.id);
  /** The single path: one transaction, and on failure the limit that held the job. */
  const admitOne = async (candidate: AdmissionCandidate) => {
    const { job, prepared, events } = candidate;
    const held = prepared.plan.effects.find((effect) => effect.limit !== undefined && heldOn.has(effect.counter));
    if (held) {
      wait(job, (place) => waitingFor(held.counter, job, prepared, place), { counter: held.counter, prepared });
      return;
    }
    const outcome = await writeOnGlobalShard(
      job,
      prepared,
      deps.jobs,
      ({ effects, holds }) => {
        const warnings = prepared.warnings.length > 0 ? { quotaWarnings: prepared.warnings } : {};
        const next = transition(job, 'admitted', at, { holds, ...warnings });
        return deps.jobs.save(next, 'queued', [{ counter: queueDepth(job.orgId), amount: -1 }, ...effects], events);
      },
      room,
    );
    if (outcome.ok) return admitted(candidate);
    if (outcome.reason === 'state') return; // cancelled meanwhile
    if (outcome.reason === 'conflict') {
      wait(job, (place) => ({ ...(job.waiting ?? { code: 'queue_position', message: 'Queued' }), ...place })); // contention: next pass
      return;
    }
    const counter = outcome.counter;
    wait(job, (place) => waitingFor(counter, job, prepared, place), { counter, prepared });
  };
  const batch = new AdmissionBatch(room, at);
  const flush = async () => {
    const { admitted: done, oneByOne } = await batch.flush(deps.jobs);
    done.forEach(admitted);
    for (const candidate of oneByOne) await admitOne(candidate);
  };

  for (const { job } of snapshot.ranked) {
    const settings = snapshot.settingsOf(job.orgId);
    if (settings.paused || settings.pausedBackends.includes(job.backend)) {
      await flush(); // positions follow the order: what is before this job is settled first
      wait(job, (place) => pausedReason(job, settings.paused, place));
      continue;
    }
    const prepared = await prepareAdmission(job, deps, now);
    const candidate = { job, prepared, events: admissionEvents(prepared, job, deps.ids, at) };
    const held = candidate.prepared.plan.effects.some((effect) => effect.limit !== undefined && heldOn.has(effect.counter));
    if (!held) {
      if (!batch.fits(candidate)) await flush();
      if (batch.add(candidate)) continue;
    }
    await flush();
    await admitOne(candidate);
  }
  await flush();

  result.waiting = waits.length;
  const estimates = heldOn.size > 0 ? await estimate(heldOn, deps, now) : new Map<string, Estimate>();
  for (const { job, reason } of waits) {
    const estimatedStart = estimates.get(job.id);
    await explain(job, estimatedStart ? { ...reason, estimatedStart } : reason, deps);
  }
  result.redispatched = await redispatchStale(deps);
  result.timedOut = await stopOverdue(deps);
  result.launchTimeouts = await expireStuckLaunches(deps);
  return result;
}

/** The global limit's shards as they are now: one read per pass, then the pass charges them as it admits. */
async function globalShardRoom(deps: SchedulerDeps): Promise<GlobalShardRoom> {
  const [limits, values] = await Promise.all([deps.limits.current(), deps.jobs.readCounters(GLOBAL_SHARD_COUNTERS)]);
  const room = new GlobalShardRoom(limits.maxConcurrent);
  room.update(values);
  return room;
}

/** Estimated starts of the jobs held by limits: one read of the active jobs and of those counters. */
async function estimate(heldOn: Map<string, WaitingOnLimit[]>, deps: SchedulerDeps, now: Date): Promise<Map<string, Estimate>> {
  const [pages, used] = await Promise.all([
    Promise.all((['admitted', 'starting', 'running'] as const).map((state) => deps.jobs.listByState(state, { limit: 1_000 }))),
    deps.jobs.readCounters([...heldOn.keys()]),
  ]);
  const active = pages.flatMap((page) => page.items);
  const waiting = [...heldOn.values()].flatMap((line) => line.map(({ job }) => job));
  // Run history of every job whose run time enters an estimate: one BatchGet per 100 records.
  const history = await deps.fairShare.read(ExpectedRuntimes.records([...active, ...waiting]));
  return estimateStarts(heldOn, active, used, now, new ExpectedRuntimes(history, now));
}

function pausedReason(job: Job, orgPaused: boolean, place: QueuePlace): WaitingReason {
  const what = orgPaused ? 'your organization' : `the ${job.backend} backend`;
  return {
    code: 'queue_paused',
    message: `Admission is paused for ${what} by an administrator (position ${place.position} in your org's queue)`,
    position: place.position,
  };
}

/** Records why a job waits, writing only when the reason changed (no write churn every minute). */
async function explain(job: Job, waiting: WaitingReason, deps: SchedulerDeps): Promise<void> {
  const current = job.waiting;
  if (
    current?.code === waiting.code &&
    current.position === waiting.position &&
    current.limitPosition === waiting.limitPosition &&
    current.message === waiting.message &&
    current.estimatedStart?.at === waiting.estimatedStart?.at &&
    current.estimatedStart?.basis === waiting.estimatedStart?.basis
  ) {
    return;
  }
  await deps.jobs.setWaiting(job, 'queued', waiting);
}

/**
 * At-least-once underneath: an admitted job whose dispatch message was lost is dispatched again. The re-sent
 * request changes no state, so it has no transaction to share: it is recorded in the outbox on its own.
 */
async function redispatchStale(deps: SchedulerDeps): Promise<string[]> {
  const cutoff = deps.clock.now().getTime() - (deps.redispatchAfterMs ?? 120_000);
  const admitted = await deps.jobs.listByState('admitted', { limit: 100 });
  const stale = admitted.items.filter((job) => Date.parse(job.updatedAt) < cutoff);
  for (const job of stale) await deps.dispatch.send({ action: 'launch', jobId: job.id });
  return stale.map((job) => job.id);
}

/** Running jobs past their max runtime end as `timed_out`; the dispatcher stops the run. */
async function stopOverdue(deps: SchedulerDeps): Promise<string[]> {
  const now = deps.clock.now().getTime();
  const running = await deps.jobs.listByState('running', { limit: 500 });
  const stopped: string[] = [];
  for (const job of running.items) {
    const startedAt = Date.parse(job.startedAt ?? job.updatedAt);
    if (now - startedAt <= job.spec.maxRuntimeMinutes * 60_000) continue;
    const reason = `Exceeded max runtime of ${job.spec.maxRuntimeMinutes} minutes`;
    // The stop request commits with the end (the outbox): the dispatcher stops the run.
    const ended = await endJob(job, 'timed_out', { stateReason: reason }, deps, { reason: 'Max runtime exceeded' });
    if (ended) stopped.push(job.id);
  }
  return stopped;
}

/**
 * Launches waiting for capacity past their deadline (docs/scheduling.md: nothing waits forever). A Spot attempt on
 * a fleet with On-Demand fallback is queued again (its next launch buys On-Demand); anything else fails
 * with the fleet named. Either way the waiting run is stopped, so a late instance does not start it.
 */
async function expireStuckLaunches(deps: SchedulerDeps): Promise<string[]> {
  const now = deps.clock.now().getTime();
  const starting = await deps.jobs.listByState('starting', { limit: 500 });
  const expired: string[] = [];
  for (const job of starting.items) {
    if (!job.launchDeadline || Date.parse(job.launchDeadline) > now) continue;
    const fleet = job.ecsPlacement ? `fleet "${job.ecsPlacement.fleet}"` : 'its fleet';
    const kind = job.ecsPlacement?.purchase === 'spot' ? 'Spot' : 'On-Demand';
    const waited = Math.round((now - Date.parse(job.updatedAt)) / 60_000);
    const reason = `No ${kind} capacity on ${fleet} within the launch timeout (waited ${waited} minutes)`;
    // Either change records the waiting run's stop request in its own transaction (the outbox).
    const stopRun = { reason: 'Launch timed out waiting for capacity', ...(job.runRef ? { runRef: job.runRef } : {}) };
    let handled = false;
    if (job.ecsPlacement?.purchase === 'spot' && job.ecsPlacement.onDemandFallback) {
      const outcome = await requeueAfterInterruption(job, reason, deps, stopRun);
      handled = 'requeued' in outcome;
    }
    if (!handled) {
      const stateReason = `${reason}: the job never started and was not charged`;
      handled = (await endJob(job, 'failed', { stateReason }, deps, stopRun)) !== undefined;
    }
    if (handled) expired.push(job.id);
  }
  return expired;
}

import { roundTo } from '#domain/amounts';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';
import { dispatchRequest } from '#domain/jobs/dispatch-message.schema';
import { quotaEvent, quotaEventType } from '#domain/quotas/quota.events';
import { planAdmission, type AdmissionPlan } from '#domain/jobs/admission-plan';
import { type AppliedQuota, describeQuota } from '#domain/quotas/quota.schema';
import { type CounterEffect, GLOBAL_CONCURRENCY, type Hold, isQueueDepth, userConcurrency } from '#domain/quotas/counters';
import { GLOBAL_SHARD_COUNTERS, GlobalShardRoom, homeShard, isGlobalShard, onGlobalShard } from '#domain/quotas/global-shards';
import type { LimitsSource, QuotaSource } from '#domain/quotas/quotas.port';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { ConcurrencyLimits } from '#domain/quotas/concurrency';
import type { JobRepository } from './jobs.port';
import type { Job, WaitingReason } from './job.schema';

export interface AdmissionDeps {
  jobs: JobRepository;
  quotas: QuotaSource;
  limits: LimitsSource;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
}

/** What an admission will write, plus the `warn` quotas it goes over (read only when such quotas apply). */
export interface PreparedAdmission {
  plan: AdmissionPlan;
  limits: ConcurrencyLimits;
  warnings: string[];
  /** Usage after this job, per warn/notify counter, for the events sent once the admission holds. */
  signals: { applied: AppliedQuota; usage: number }[];
}

/** What an admission reads: quotas, limits and (for warn/notify quotas) current counters. */
export type AdmissionReads = Pick<AdmissionDeps, 'jobs' | 'quotas' | 'limits'>;

export async function prepareAdmission(job: Job, deps: AdmissionReads, at: Date): Promise<PreparedAdmission> {
  const [quotas, limits] = await Promise.all([deps.quotas.forOrg(job.orgId), deps.limits.current()]);
  const plan = planAdmission(job, quotas, limits, at, job.bypassQueue ?? false);
  const soft = plan.applied.filter(({ quota }) => quota.action !== 'block');
  if (soft.length === 0) return { plan, limits, warnings: [], signals: [] };
  // Warn/notify quotas cost one read, and only when the org has some: the pure-block path stays lean.
  const current = await deps.jobs.readCounters(soft.map((a) => a.counter));
  const signals = soft.map((applied) => ({ applied, usage: (current[applied.counter] ?? 0) + applied.amount }));
  const warnings = signals
    .filter(({ applied, usage }) => applied.quota.action === 'warn' && usage > applied.quota.limit)
    .map(({ applied, usage }) => `Over ${describeQuota(applied.quota)}: ${round(usage)} with this job`);
  return { plan, limits, warnings, signals };
}

/**
 * What an admission records in the outbox, in its own transaction: the job's launch request, and the quota/cost
 * warning and exceeded events of the limits it crosses. They exist exactly when the admission does: an admission
 * refused by a full counter (or a job cancelled meanwhile) requests no launch and announces no crossing.
 */
export function admissionEvents(prepared: PreparedAdmission, job: Job, ids: IdSource, at: string): DomainEvent[] {
  const crossings = prepared.signals.flatMap(({ applied, usage }) => {
    const type = quotaEventType(applied, usage);
    return type ? [quotaEvent(type, applied, round(usage), job.id, ids.next(), at)] : [];
  });
  return [dispatchRequest({ action: 'launch', jobId: job.id }, ids.next(), at), ...crossings];
}

/** How often an admission moves to another global-concurrency shard when the one it tried filled meanwhile. */
const SHARD_ATTEMPTS = 4;

type WriteOutcome = { ok: true } | { ok: false; reason: string; counter?: string };

/**
 * Writes an admission with its global-concurrency effect on a shard (global-shards.ts): the shard `room`
 * picks, and when that shard turns out full, a shard with room after reading them all. Fails on
 * `GLOBAL_CONCURRENCY` (the limit, not a shard) only when no shard had room; any other failure is returned
 * as the write reported it. `write` performs the one transaction with the job's holds naming the shard.
 */
export async function writeOnGlobalShard<T extends WriteOutcome>(
  job: Job,
  prepared: PreparedAdmission,
  jobs: Pick<JobRepository, 'readCounters'>,
  write: (admission: { effects: CounterEffect[]; holds: Hold[] }) => Promise<T>,
  room = new GlobalShardRoom(prepared.limits.maxConcurrent),
): Promise<T> {
  const full = (outcome: T): T => ({ ...outcome, counter: GLOBAL_CONCURRENCY });
  const bypass = !prepared.plan.effects.some((effect) => effect.counter === GLOBAL_CONCURRENCY && effect.limit !== undefined);
  if (bypass) return write(onGlobalShard(prepared.plan, homeShard(job.id), prepared.limits.maxConcurrent)); // counted, never held
  let shard = room.pick(job.id);
  for (let attempt = 1; ; attempt += 1) {
    if (shard === undefined) return full({ ok: false, reason: 'counter' } as T);
    const outcome = await write(onGlobalShard(prepared.plan, shard, prepared.limits.maxConcurrent));
    if (outcome.ok) {
      room.charge(shard, 1);
      return outcome;
    }
    if (outcome.reason !== 'counter' || !outcome.counter || !isGlobalShard(outcome.counter)) return outcome;
    if (attempt >= SHARD_ATTEMPTS) return full(outcome);
    room.update(await jobs.readCounters(GLOBAL_SHARD_COUNTERS));
    shard = room.pick(job.id);
  }
}

/** Where a waiting job stands: among its org's waiting jobs, and among those held by the same limit. */
export interface QueuePlace {
  position: number;
  limitPosition?: number;
}

/** Why a job whose admission failed on `counter` waits: the global limit, the user's limit, or a quota. */
export function waitingFor(counter: string, job: Job, prepared: PreparedAdmission, place?: QueuePlace): WaitingReason {
  const at = place ? { position: place.position, ...(place.limitPosition ? { limitPosition: place.limitPosition } : {}) } : {};
  const suffix = place
    ? ` (position ${place.position} in your org's queue${place.limitPosition ? `, ${place.limitPosition} for this limit` : ''})`
    : '';
  if (isQueueDepth(counter)) {
    return {
      code: 'queue_position',
      message: `Other jobs are waiting: admitted in order (priority, fair share, then submission time)${suffix}`,
      ...at,
    };
  }
  if (counter === GLOBAL_CONCURRENCY) {
    return {
      code: 'global_concurrency',
      message: `Waiting for a free slot: ${prepared.limits.maxConcurrent} jobs already run${suffix}`,
      ...at,
    };
  }
  const blocking = prepared.plan.applied
    .filter((a) => a.counter === counter && a.quota.action === 'block')
    .sort((a, b) => a.quota.limit - b.quota.limit)[0];
  if (counter === userConcurrency(job.orgId, job.ownerId) && (!blocking || blocking.quota.limit >= prepared.limits.userMaxConcurrent)) {
    return {
      code: 'user_concurrency',
      message: `You already run ${prepared.limits.userMaxConcurrent} jobs, your limit; this one starts when one of them ends${suffix}`,
      ...at,
    };
  }
  if (blocking) {
    return {
      code: 'quota_full',
      message: `Waiting for quota ${describeQuota(blocking.quota)} to have room${suffix}`,
      quotaId: blocking.quota.id,
      ...at,
    };
  }
  return { code: 'quota_full', message: `Waiting for room on ${counter}${suffix}`, ...at };
}

const round = (value: number): number => roundTo(value, 3);

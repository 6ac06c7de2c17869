import { GLOBAL_CONCURRENCY, queueDepth } from '#domain/quotas/counters';
import { homeShard, onGlobalShard, type GlobalShardRoom } from '#domain/quotas/global-shards';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { PreparedAdmission } from '#domain/jobs/admission.service';
import { transition } from '#domain/jobs/job-lifecycle';
import { MAX_TRANSACTION_ITEMS, type JobRepository } from '#domain/jobs/jobs.port';
import type { CounterEffect } from '#domain/quotas/counters';
import type { Job } from '#domain/jobs/job.schema';

/** Jobs per transaction at most, and at first: the size doubles after each batch that went through. */
const MAX_JOBS = 24;
const FIRST_SIZE = 4;

/** A queued job the pass may admit now, with what its admission writes. */
export interface AdmissionCandidate {
  job: Job;
  prepared: PreparedAdmission;
  /** What the admission records in the outbox with it (`admissionEvents`): its launch request, quota crossings. */
  events: DomainEvent[];
}

export interface BatchMember extends AdmissionCandidate {
  /** The job as admitted: its holds name the global-concurrency shard charged. */
  admitted: Job;
  shard: number;
  effects: CounterEffect[];
}

/**
 * Consecutive admissions of a scheduler pass written in one transaction (docs/scheduling.md, "One pass"):
 * the jobs' writes plus every counter they take, merged per counter (the sum against the tightest limit), plus
 * each admission's outbox items (its launch request and quota crossings), which count against the transaction's
 * 100 items like the rest.
 * All or nothing, so a batch that goes through admits exactly what admitting its jobs one by one, in the
 * same order, would have admitted. When any condition fails (a limit that fills inside the batch, a job
 * cancelled meanwhile), nothing is written and the pass admits the same jobs one by one, in order, which
 * tells which one is held and why; the next batch is then smaller. Near full limits batches stay small and
 * cost one extra transaction at most per failure; with room they cut the transactions of a pass by up to
 * MAX_JOBS.
 */
export class AdmissionBatch {
  private members: BatchMember[] = [];
  private counters = new Set<string>();
  /** Outbox items of the members (one launch request each, plus their quota crossings). */
  private outboxItems = 0;
  private size = FIRST_SIZE;

  constructor(
    private readonly room: GlobalShardRoom,
    private readonly at: string,
  ) {}

  /** Whether `candidate` fits this batch (jobs and transaction items); when not, flush first. */
  fits({ prepared, events }: AdmissionCandidate): boolean {
    if (this.members.length >= this.size) return false;
    // Shards and the queue depth count once each; a new shard or org adds at most one item.
    const added = prepared.plan.effects.filter((e) => e.counter !== GLOBAL_CONCURRENCY && !this.counters.has(e.counter)).length + 2;
    const jobs = this.members.length + 1;
    return jobs + this.outboxItems + events.length + this.counters.size + added <= MAX_TRANSACTION_ITEMS;
  }

  /** Adds the admission on a global shard with room; false when no shard has room (it goes alone, and waits). */
  add(candidate: AdmissionCandidate): boolean {
    const { job, prepared } = candidate;
    const bypass = !prepared.plan.effects.some((e) => e.counter === GLOBAL_CONCURRENCY && e.limit !== undefined);
    const shard = bypass ? homeShard(job.id) : this.room.pick(job.id);
    if (shard === undefined) return false;
    this.room.charge(shard, 1);
    const { effects, holds } = onGlobalShard(prepared.plan, shard, prepared.limits.maxConcurrent);
    const warnings = prepared.warnings.length > 0 ? { quotaWarnings: prepared.warnings } : {};
    const admitted = transition(job, 'admitted', this.at, { holds, ...warnings });
    const all = [{ counter: queueDepth(job.orgId), amount: -1 }, ...effects];
    for (const effect of all) this.counters.add(effect.counter);
    this.outboxItems += candidate.events.length;
    this.members.push({ ...candidate, admitted, shard, effects: all });
    return true;
  }

  /**
   * Writes the batch. Returns the members admitted, or the candidates to admit one by one (a batch of
   * one always goes that way: the single path reports which limit held it).
   */
  async flush(jobs: Pick<JobRepository, 'saveAll'>): Promise<{ admitted: BatchMember[]; oneByOne: AdmissionCandidate[] }> {
    const members = this.members;
    this.members = [];
    this.counters = new Set();
    this.outboxItems = 0;
    if (members.length > 1) {
      const ok = await jobs.saveAll(
        members.map((m) => m.admitted),
        'queued',
        members.flatMap((m) => m.effects),
        members.flatMap((m) => m.events),
      );
      if (ok) {
        this.size = Math.min(MAX_JOBS, this.size * 2);
        return { admitted: members, oneByOne: [] };
      }
    }
    for (const member of members) this.room.charge(member.shard, -1);
    this.size = members.length > 1 ? Math.max(1, Math.floor(members.length / 4)) : Math.min(MAX_JOBS, this.size * 2);
    return { admitted: [], oneByOne: members.map(({ job, prepared, events }) => ({ job, prepared, events })) };
  }
}

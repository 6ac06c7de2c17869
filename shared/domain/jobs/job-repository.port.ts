import type { Job, JobState, WaitingReason } from './job.schema';

/** A change to a shared counter (concurrency, quotas) made in the same transaction as a job write. */
export interface CounterEffect {
  /** Domain counter id, e.g. `concurrency:global`, `concurrency:user:<id>`. */
  counter: string;
  amount: number;
  /** Present on increments: the write fails unless the counter stays ≤ limit. */
  limit?: number;
}

export type SaveOutcome =
  | { ok: true; job: Job }
  /** `state`: the job was no longer in the expected state (a lost race); `counter`: that limit was full. */
  | { ok: false; reason: 'state' } | { ok: false; reason: 'counter'; counter: string };

export interface IdempotencyRecord {
  key: string;
  /** Hash of the normalized spec: the same key with another spec is a conflict, not a replay. */
  fingerprint: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface JobRepository {
  /**
   * Stores a new job. With an idempotency record the write is conditional on the key being unused by the
   * owner; a reused key returns the earlier job (`created: false`) or throws `idempotency_conflict`.
   */
  create(job: Job, idempotency?: IdempotencyRecord): Promise<{ job: Job; created: boolean }>;
  get(id: string): Promise<Job | undefined>;
  listByOwner(ownerId: string, options: { state?: JobState; limit: number; cursor?: string }): Promise<Page<Job>>;
  /** Jobs in `state`, in scheduling order (priority class, then submission time). */
  listByState(state: JobState, options: { limit: number; cursor?: string }): Promise<Page<Job>>;
  /**
   * Persists `next` if the stored job is still in `expectedState`, applying every counter effect in the same
   * transaction: all or nothing.
   */
  save(next: Job, expectedState: JobState, effects?: readonly CounterEffect[]): Promise<SaveOutcome>;
  /** Updates only the waiting reason, if the job is still in `expectedState`. */
  setWaiting(job: Job, expectedState: JobState, waiting: WaitingReason): Promise<void>;
  /** Current value of counters (0 when never written). */
  readCounters(counters: readonly string[]): Promise<Record<string, number>>;
}

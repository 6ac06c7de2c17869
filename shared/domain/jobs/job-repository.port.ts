import type { ApprovalRequest } from '#domain/approvals/approval-request.schema';
import type { Job, JobState, WaitingReason } from './job.schema';

/** A change to a shared counter (concurrency, quotas) made in the same transaction as a job write. */
/** DynamoDB's limit on the items of one transaction (jobs plus distinct counters in `saveAll`). */
export const MAX_TRANSACTION_ITEMS = 100;

export interface CounterEffect {
  /** Domain counter id, e.g. `concurrency:global`, `concurrent_jobs:ORG#<org>#USER#<id>`. */
  counter: string;
  amount: number;
  /** Present on increments: the write fails unless the counter stays ≤ limit. */
  limit?: number;
  /** Attribute of the counter item to add to (default `value`, the one limits apply to). */
  field?: string;
  /** Epoch seconds after which the counter item may be deleted (period counters). */
  expiresAt?: number;
}

export type SaveOutcome =
  | { ok: true; job: Job }
  /** `state`: the job was no longer in the expected state (a lost race); `counter`: that limit was full. */
  | { ok: false; reason: 'state' }
  | { ok: false; reason: 'counter'; counter: string }
  /** Contention outlasted the retries (DynamoDB TransactionConflict): try again later. */
  | { ok: false; reason: 'conflict' };

export interface IdempotencyRecord {
  key: string;
  /** Hash of the normalized spec: the same key with another spec is a conflict, not a replay. */
  fingerprint: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export type CreateOutcome =
  { ok: true; job: Job; created: boolean } | { ok: false; reason: 'counter'; counter: string } | { ok: false; reason: 'conflict' };

export interface JobRepository {
  /**
   * Stores a new job, with its counter effects (an admission at submit) in the same transaction. With an
   * idempotency record the write is also conditional on the key being unused by the owner: a reused key
   * returns the earlier job (`created: false`) or throws `idempotency_conflict` for a different spec. A job
   * held for approval is created together with its approval request.
   */
  create(job: Job, idempotency?: IdempotencyRecord, effects?: readonly CounterEffect[], approval?: ApprovalRequest): Promise<CreateOutcome>;
  get(id: string): Promise<Job | undefined>;
  /** The owner's jobs in their org, newest first (the owner index is keyed by org and user). */
  listByOwner(orgId: string, ownerId: string, options: { state?: JobState; limit: number; cursor?: string }): Promise<Page<Job>>;
  /** Jobs in `state`, in scheduling order (priority class, then submission time). */
  listByState(state: JobState, options: { limit: number; cursor?: string }): Promise<Page<Job>>;
  /**
   * Persists `next` if the stored job is still in `expectedState`, applying every counter effect in the same
   * transaction: all or nothing.
   */
  save(next: Job, expectedState: JobState, effects?: readonly CounterEffect[]): Promise<SaveOutcome>;
  /**
   * Persists every job of `nexts` if each is still in `expectedState`, with every counter effect (merged per
   * counter: the sum against the tightest limit), in one transaction: all or nothing. False when any
   * condition failed or contention outlasted the retries; the caller then goes job by job. At most
   * MAX_TRANSACTION_ITEMS jobs plus distinct counters.
   */
  saveAll(nexts: readonly Job[], expectedState: JobState, effects: readonly CounterEffect[]): Promise<boolean>;
  /** Updates only the waiting reason, if the job is still in `expectedState`. */
  setWaiting(job: Job, expectedState: JobState, waiting: WaitingReason): Promise<void>;
  /** Current value of counters (0 when never written); `GLOBAL_CONCURRENCY` reads as the sum of its shards. */
  readCounters(counters: readonly string[]): Promise<Record<string, number>>;
}

import type { DomainEvent } from '#domain/events/event-envelope';
import type { Job, JobState, WaitingReason } from './job.schema';
import type { DispatchMessage } from './dispatch-message.schema';
import type { CounterEffect } from '#domain/quotas/counters';
import type { ApprovalRequest } from './approval-request.schema';

/** DynamoDB's limit on the items of one transaction (jobs plus distinct counters in `saveAll`). */
export const MAX_TRANSACTION_ITEMS = 100;

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
   * held for approval is created together with its approval request. `events` are recorded in the outbox in
   * the same transaction: they exist (and are relayed) exactly when the job does, never for a replay or a
   * refused admission.
   */
  create(
    job: Job,
    idempotency?: IdempotencyRecord,
    effects?: readonly CounterEffect[],
    approval?: ApprovalRequest,
    events?: readonly DomainEvent[],
  ): Promise<CreateOutcome>;
  get(id: string): Promise<Job | undefined>;
  /** The owner's jobs in their org, newest first (the owner index is keyed by org and user). */
  listByOwner(orgId: string, ownerId: string, options: { state?: JobState; limit: number; cursor?: string }): Promise<Page<Job>>;
  /** Jobs in `state`, in scheduling order (priority class, then submission time). */
  listByState(state: JobState, options: { limit: number; cursor?: string }): Promise<Page<Job>>;
  /**
   * Persists `next` if the stored job is still in `expectedState`, applying every counter effect in the same
   * transaction: all or nothing. `events` (the transition's) are recorded in the outbox by that transaction too,
   * so a lost race or a full counter announces nothing.
   */
  save(next: Job, expectedState: JobState, effects?: readonly CounterEffect[], events?: readonly DomainEvent[]): Promise<SaveOutcome>;
  /**
   * Persists every job of `nexts` if each is still in `expectedState`, with every counter effect (merged per
   * counter: the sum against the tightest limit), in one transaction: all or nothing. False when any
   * condition failed or contention outlasted the retries; the caller then goes job by job. `events` (the
   * admissions' launch requests and quota crossings) are recorded in the outbox by that transaction. At most
   * MAX_TRANSACTION_ITEMS jobs plus distinct counters plus events.
   */
  saveAll(
    nexts: readonly Job[],
    expectedState: JobState,
    effects: readonly CounterEffect[],
    events?: readonly DomainEvent[],
  ): Promise<boolean>;
  /** Updates only the waiting reason, if the job is still in `expectedState`. */
  setWaiting(job: Job, expectedState: JobState, waiting: WaitingReason): Promise<void>;
  /** Current value of counters (0 when never written); `GLOBAL_CONCURRENCY` reads as the sum of its shards. */
  readCounters(counters: readonly string[]): Promise<Record<string, number>>;
}

export interface DispatchQueue {
  send(message: DispatchMessage): Promise<void>;
}

/** Where a job runs, as seen by the domain. Adapters: local (subprocess), ECS, Kubernetes. */
export interface LaunchResult {
  /** Backend-specific handle: ECS task ARN, Kubernetes Job name, local run id. */
  runRef: string;
  /** True when this call found the run already launched (a repeated dispatch). */
  alreadyLaunched: boolean;
  /** ECS: where the run was placed (fleet, purchase kind, pinned instance type). */
  ecsPlacement?: Job['ecsPlacement'];
  /**
   * The run exists but waits for an instance (an ECS fleet scaling from zero, or no Spot capacity): the job
   * stays `starting` with this message as its waiting reason, and fails if nothing starts it in time.
   */
  waitingForCapacity?: { message: string; timeoutMinutes: number };
}
/** What hardware the job asked for, resolved from the catalog at submission. */
export interface HardwareRequirements {
  hardwareType: string;
  gpuCount: number;
  vcpu: number;
  memoryMiB: number;
  /** The ECS fleet (stage config `fleets`) and pinned instance type, when the hardware runs on ECS. */
  ecs?: { fleet: string; instanceType?: string };
}
export interface JobBackend {
  readonly kind: Job['backend'];
  /**
   * Launches the job. Must be idempotent per job id: a second call for the same job returns the first
   * run (`alreadyLaunched: true`) and never starts a second one.
   */
  launch(job: Job, hardware: HardwareRequirements): Promise<LaunchResult>;
  /** Stops a run; stopping one that already ended is not an error. */
  stop(job: Job, reason: string): Promise<void>;
}
export interface LogLine {
  at: string;
  stream: 'stdout' | 'stderr';
  message: string;
}
/** Reads a job's output. `cursor` is opaque to callers. */
export interface JobLogReader {
  read(job: Job, options: { cursor?: string; limit: number }): Promise<{ lines: LogLine[]; nextCursor?: string }>;
}
/**
 * What a backend says about one run, in the terms of the job lifecycle: `waiting` with the reason users see
 * (never a silent wait), `running`, `ended` (exit code when the container ran, `timedOut` when the max
 * runtime stopped it, `capacityReclaimed` when the instance was taken away), or `missing` (no such run any more).
 */
export type RunObservation =
  | { status: 'waiting'; waiting: WaitingReason }
  | { status: 'running'; node?: string }
  | { status: 'ended'; exitCode?: number; reason?: string; timedOut?: boolean; capacityReclaimed?: boolean }
  | { status: 'missing' };
/**
 * Reads one run's status from its backend, on demand: the reconciler's check of a job the table still calls
 * active (the local backend's exit file, ECS DescribeTasks, the Kubernetes Job and its pod).
 */
export interface RunObserver {
  observe(job: Job): Promise<RunObservation>;
}
/** Reads every run of one cluster namespace at once, keyed by job id (the poller's unit of work). */
export interface NamespaceRunObserver {
  /** Undefined when the cluster is not registered any more. */
  observeNamespace(cluster: string, namespace: string): Promise<Map<string, RunObservation> | undefined>;
}

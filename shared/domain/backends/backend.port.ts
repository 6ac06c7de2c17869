import type { Job, WaitingReason } from '#domain/jobs/job.schema';

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
 * What a backend that is polled (Kubernetes) says about one run, in the terms of the job lifecycle:
 * `waiting` with the reason users see (never a silent wait), `running`, `ended` (exit code when the
 * container ran, `timedOut` when the max runtime stopped it), or `missing` (no such run any more).
 */
export type RunObservation =
  | { status: 'waiting'; waiting: WaitingReason }
  | { status: 'running'; node?: string }
  | { status: 'ended'; exitCode?: number; reason?: string; timedOut?: boolean }
  | { status: 'missing' };

/** Reads every run of one cluster namespace at once, keyed by job id (the poller's unit of work). */
export interface NamespaceRunObserver {
  /** Undefined when the cluster is not registered any more. */
  observeNamespace(cluster: string, namespace: string): Promise<Map<string, RunObservation> | undefined>;
}

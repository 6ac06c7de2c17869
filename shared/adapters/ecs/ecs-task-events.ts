import * as z from 'zod/mini';
import { BackendLaunchError } from '#domain/jobs/backend-errors';
import type { RunReport } from '#domain/job-flow/run-status.service';
import { JOB_CONTAINER_NAME } from './ecs-task-definition';

/** Every job task is started with `startedBy` = this prefix + job id; nothing else in the cluster is ours. */
export const STARTED_BY_PREFIX = 'qm-';
/** ECS `startedBy`: up to 36 letters (either case), digits, `-`, `/` and `_`. */
const STARTED_BY = /^[A-Za-z0-9_/-]{1,36}$/;
/** Stored job reasons stay short; ECS stop reasons are at most a few hundred characters anyway. */
const MAX_REASON_CHARS = 1024;

/**
 * `startedBy` carries the job id verbatim (no lower-casing, no truncation) so that the status handler can
 * recover the id from the event without a lookup. Job ids are 26-character ULIDs, so `qm-<ULID>` (29
 * characters) fits the 36-character limit; an id that does not fit is refused rather than mangled, since
 * a lossy marker would attribute status changes to the wrong job (or to none).
 */
export const startedByForJob = (jobId: string): string => {
  const startedBy = `${STARTED_BY_PREFIX}${jobId}`;
  if (!STARTED_BY.test(startedBy)) {
    throw new BackendLaunchError('ecs', 'Job id does not fit the ECS startedBy marker (36 characters)');
  }
  return startedBy;
};

/**
 * The part of an EventBridge "ECS Task State Change" `detail` that we read. Unknown fields are ignored:
 * ECS adds fields over time. `tags` is not part of the event today; it is accepted so that a DescribeTasks
 * result (which has it, with `include: ['TAGS']`) can go through the same mapper.
 */
export const ecsTaskStateChangeDetailSchema = z.object({
  taskArn: z.string().check(z.minLength(1)),
  clusterArn: z.optional(z.string()),
  lastStatus: z.string(),
  desiredStatus: z.optional(z.string()),
  startedBy: z.optional(z.string()),
  stoppedReason: z.optional(z.string()),
  stopCode: z.optional(z.string()),
  containers: z._default(
    z.array(
      z.object({
        name: z.string(),
        exitCode: z.optional(z.number().check(z.int())),
        reason: z.optional(z.string()),
      }),
    ),
    [],
  ),
  tags: z.optional(z.array(z.object({ key: z.string(), value: z.string() }))),
});
export type EcsTaskStateChangeDetail = z.input<typeof ecsTaskStateChangeDetailSchema>;

/**
 * A `RunReport` (what `applyRunReport` consumes) plus the ECS stop code, e.g. `EssentialContainerExited`,
 * `TaskFailedToStart`, `UserInitiated`, `SpotInterruption`, for logs and metrics. On `ended`, `exitCode`
 * is absent when the container never ran (e.g. the image could not be pulled), and `reason` joins the
 * task's stop reason with the container's own (e.g. OutOfMemoryError) when ECS gives one.
 */
export type EcsTaskStatusUpdate =
  Extract<RunReport, { status: 'running' }> | (Extract<RunReport, { status: 'ended' }> & { stopCode?: string });

/**
 * Stop codes that mean the instance was taken from the job, not that the job failed: `SpotInterruption`
 * (EC2 reclaimed the Spot instance; with Spot draining on, the agent stops the task on the two-minute
 * warning) and `TerminationNotice` (the instance is being terminated under the task). The job is queued
 * again once. Every other code ends the job: `EssentialContainerExited` (the job's own exit code decides),
 * `TaskFailedToStart` (image pull, secrets, ENI: the reason says which), `UserInitiated` (a StopTask, ours
 * on cancel or timeout, or an operator's), `ServiceSchedulerInitiated`, `InfrastructureHealth`.
 */
export const CAPACITY_RECLAIMED_STOP_CODES: ReadonlySet<string> = new Set(['SpotInterruption', 'TerminationNotice']);

/**
 * Maps an ECS task state change to a job status update, or `undefined` when the event is not about one of
 * our job tasks, is malformed, or is a state the job lifecycle does not need:
 * - RUNNING → `running`.
 * - STOPPED → `ended`, with the container's exit code and the stop reason.
 * - PROVISIONING / PENDING / ACTIVATING are covered by the job's `starting` state already, and
 *   DEACTIVATING / STOPPING / DEPROVISIONING are followed by STOPPED, which carries the exit code: all
 *   ignored. EventBridge may deliver events late, twice or out of order; the job's conditional state
 *   transitions absorb that, not this mapper.
 */
export const mapEcsTaskStateChange = (detail: unknown): EcsTaskStatusUpdate | undefined => {
  const parsed = ecsTaskStateChangeDetailSchema.safeParse(detail);
  if (!parsed.success) return undefined;
  const task = parsed.data;

  const jobId = jobIdOf(task);
  if (!jobId) return undefined;

  if (task.lastStatus === 'RUNNING') return { jobId, runRef: task.taskArn, status: 'running' };
  if (task.lastStatus !== 'STOPPED') return undefined;

  // The job container is called `job`; fall back to a lone container so renames do not lose exit codes.
  const container =
    task.containers.find((candidate) => candidate.name === JOB_CONTAINER_NAME) ??
    (task.containers.length === 1 ? task.containers[0] : undefined);
  const reasons = [task.stoppedReason, container?.reason].filter(
    (reason, index, all): reason is string => !!reason && all.indexOf(reason) === index,
  );
  return {
    jobId,
    runRef: task.taskArn,
    status: 'ended',
    ...(container?.exitCode !== undefined ? { exitCode: container.exitCode } : {}),
    ...(reasons.length > 0 ? { reason: reasons.join(': ').slice(0, MAX_REASON_CHARS) } : {}),
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    ...(task.stopCode && CAPACITY_RECLAIMED_STOP_CODES.has(task.stopCode) ? { capacityReclaimed: true } : {}),
  };
};

const jobIdOf = (task: z.infer<typeof ecsTaskStateChangeDetailSchema>): string | undefined => {
  // startedBy first: it is set by RunTask and immutable, whereas tags can be edited after launch.
  if (task.startedBy?.startsWith(STARTED_BY_PREFIX)) {
    const jobId = task.startedBy.slice(STARTED_BY_PREFIX.length);
    if (jobId.length > 0) return jobId;
  }
  return task.tags?.find((tag) => tag.key === 'qm:job-id')?.value || undefined;
};

/**
 * EventBridge pattern (default bus) for the task state changes this mapper handles, so the CDK rule and
 * the mapper cannot drift apart. Filtering on the `qm-` prefix keeps other workloads' tasks out.
 */
export const ecsTaskStateChangePattern = (clusterArn: string) => ({
  source: ['aws.ecs'],
  detailType: ['ECS Task State Change'],
  detail: {
    clusterArn: [clusterArn],
    startedBy: [{ prefix: STARTED_BY_PREFIX }],
    lastStatus: ['RUNNING', 'STOPPED'],
  },
});

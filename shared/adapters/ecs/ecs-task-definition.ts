import { compareStrings } from '#domain/compare';
import { createHash } from 'node:crypto';
import type { RegisterTaskDefinitionCommandInput, Secret } from '@aws-sdk/client-ecs';
import type { HardwareRequirements } from '#domain/jobs/jobs.port';
import type { Job } from '#domain/jobs/job.schema';

/** The single container of every job task; container overrides and the log stream name refer to it. */
export const JOB_CONTAINER_NAME = 'job';
/** awslogs names streams `<prefix>/<container>/<task id>`, so job logs live in `job/job/<task id>`. */
export const JOB_LOG_STREAM_PREFIX = 'job';

/**
 * Bump when the shape of the registered task definition changes in code: families are content-addressed,
 * so without the bump a deploy would keep reusing definitions registered by the previous shape.
 */
const TASK_DEFINITION_SHAPE_VERSION = 1;

export interface TaskDefinitionSettings {
  executionRoleArn: string;
  taskRoleArn: string;
  logGroup: string;
  region: string;
}

/**
 * Secrets are resolved by the ECS agent when the container starts, and `containerOverrides` cannot carry
 * them, so they belong to the task definition (and hence to its identity). Sorted so that the same set
 * in a different order maps to the same family.
 */
export const jobSecrets = (job: Job): Secret[] =>
  job.spec.env
    .flatMap((entry) => ('secretRef' in entry ? [{ name: entry.name, valueFrom: entry.secretRef }] : []))
    .sort((a, b) => compareStrings(a.name, b.name));

/**
 * Family name `qm-<16 hex>`: a deterministic digest of everything that goes into the definition, so
 * identical jobs share one definition (no registration per launch) and a changed input never reuses a
 * definition that does not match it. Secret references (ARNs, not values) are part of the digest.
 */
export const taskDefinitionFamily = (job: Job, hardware: HardwareRequirements, settings: TaskDefinitionSettings): string => {
  const identity = JSON.stringify([
    TASK_DEFINITION_SHAPE_VERSION,
    job.spec.image,
    hardware.gpuCount,
    hardware.vcpu,
    hardware.memoryMiB,
    settings.executionRoleArn,
    settings.taskRoleArn,
    settings.logGroup,
    settings.region,
    jobSecrets(job).map((secret) => [secret.name, secret.valueFrom]),
  ]);
  return `qm-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
};

/**
 * The task definition for one (image, hardware) pair. EC2 only: GPUs are not available on Fargate. Per-job
 * values (command, plain env) are not here but in the RunTask overrides, so they do not multiply families.
 */
export const buildTaskDefinitionInput = (
  family: string,
  job: Job,
  hardware: HardwareRequirements,
  settings: TaskDefinitionSettings,
): RegisterTaskDefinitionCommandInput => {
  const secrets = jobSecrets(job);
  return {
    family,
    requiresCompatibilities: ['EC2'],
    // awsvpc gives each job its own ENI and security group instead of sharing the host's network.
    networkMode: 'awsvpc',
    // Task-level size drives placement on the capacity provider's instances (1 vCPU = 1024 CPU units).
    cpu: String(Math.round(hardware.vcpu * 1024)),
    memory: String(hardware.memoryMiB),
    executionRoleArn: settings.executionRoleArn,
    taskRoleArn: settings.taskRoleArn,
    containerDefinitions: [
      {
        name: JOB_CONTAINER_NAME,
        image: job.spec.image,
        essential: true,
        ...(hardware.gpuCount > 0 ? { resourceRequirements: [{ type: 'GPU', value: String(hardware.gpuCount) }] } : {}),
        ...(secrets.length > 0 ? { secrets } : {}),
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': settings.logGroup,
            'awslogs-region': settings.region,
            'awslogs-stream-prefix': JOB_LOG_STREAM_PREFIX,
          },
        },
      },
    ],
    tags: [{ key: 'qm:managed-by', value: 'quartermaster' }],
  };
};

/** Task id = last path segment of the ARN (both `task/<id>` and `task/<cluster>/<id>` formats). */
export const taskIdFromArn = (taskArn: string): string => taskArn.slice(taskArn.lastIndexOf('/') + 1);

/** The awslogs stream of a job task, from its run reference (the task ARN). */
export const jobLogStreamName = (taskArn: string): string => `${JOB_LOG_STREAM_PREFIX}/${JOB_CONTAINER_NAME}/${taskIdFromArn(taskArn)}`;

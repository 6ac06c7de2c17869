import * as z from 'zod/mini';
import { jobApprovalSchema } from '#domain/jobs/approval-request.schema';
import {
  backendKindSchema,
  jobStateSchema,
  jobSpecSchema,
  stateTransitionSchema,
  waitingReasonSchema,
  type Job,
} from '#domain/jobs/job.schema';
import { paginationQuerySchema } from './common.contract';
import { lazySchema } from './lazy-schema';

export const submitJobBodySchema = jobSpecSchema.clone().register(z.globalRegistry, { id: 'JobSpec' });

export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .optional(z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')))
    .check(z.describe('Repeat a submission safely: the same key returns the same job for 24 hours')),
});

export const jobIdParamsSchema = z.object({
  id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a job id')),
});

export const listJobsQuerySchema = z.extend(paginationQuerySchema, {
  state: z.optional(jobStateSchema),
});

/** Response schemas below are lazy (`lazySchema`): only the OpenAPI document and tests build them. */
export const jobViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      state: jobStateSchema,
      waiting: z.optional(waitingReasonSchema).check(z.describe('Why a non-terminal job is waiting')),
      stateReason: z.optional(z.string()),
      approval: z
        .optional(jobApprovalSchema)
        .check(z.describe('The approval that holds (or held) the job: request id, rule, approver level, escalation and expiry')),
      ownerId: z.string(),
      orgId: z.string(),
      teamId: z.optional(z.string()),
      backend: backendKindSchema,
      placement: z
        .optional(z.object({ cluster: z.string(), namespace: z.string() }))
        .check(z.describe('Kubernetes: cluster and namespace')),
      hardwareType: z.string(),
      image: z.string(),
      command: z.array(z.string()),
      args: z.array(z.string()),
      env: z.array(z.object({ name: z.string(), value: z.optional(z.string()), secretRef: z.optional(z.string()) })),
      maxRuntimeMinutes: z.number(),
      priority: z.string(),
      estimatedCostUsd: z.number(),
      quotaWarnings: z.optional(z.array(z.string())).check(z.describe('`warn` quotas this job went over (it runs anyway)')),
      exitCode: z.optional(z.number()),
      createdAt: z.string(),
      updatedAt: z.string(),
      startedAt: z.optional(z.string()),
      endedAt: z.optional(z.string()),
      history: z.array(stateTransitionSchema),
    })
    .register(z.globalRegistry, { id: 'Job' }),
);
export type JobView = z.infer<ReturnType<typeof jobViewSchema>>;

export const jobListSchema = lazySchema(() =>
  z.object({ items: z.array(jobViewSchema()), nextCursor: z.optional(z.string()) }).register(z.globalRegistry, { id: 'JobList' }),
);

export const jobLogsQuerySchema = z.object({
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10000)), 1000),
});

export const jobLogsSchema = lazySchema(() =>
  z
    .object({
      jobId: z.string(),
      lines: z.array(z.object({ at: z.string(), stream: z.enum(['stdout', 'stderr']), message: z.string() })),
      nextCursor: z.optional(z.string()),
      complete: z.boolean().check(z.describe('True once the job has ended and every line has been returned')),
    })
    .register(z.globalRegistry, { id: 'JobLogs' }),
);

/** Response mapper: lists every field explicitly so that nothing stored leaks by accident. */
export function toJobView(job: Job): JobView {
  return {
    id: job.id,
    name: job.spec.name,
    state: job.state,
    ...(job.waiting ? { waiting: job.waiting } : {}),
    ...(job.stateReason ? { stateReason: job.stateReason } : {}),
    ...(job.approval
      ? {
          approval: {
            id: job.approval.id,
            ruleId: job.approval.ruleId,
            ruleName: job.approval.ruleName,
            reason: job.approval.reason,
            requiredLevel: job.approval.requiredLevel,
            escalationLevel: job.approval.escalationLevel,
            escalateAt: job.approval.escalateAt,
            expireAt: job.approval.expireAt,
          },
        }
      : {}),
    ownerId: job.ownerId,
    orgId: job.orgId,
    ...(job.teamId ? { teamId: job.teamId } : {}),
    backend: job.backend,
    ...(job.placement ? { placement: { cluster: job.placement.cluster, namespace: job.placement.namespace } } : {}),
    hardwareType: job.spec.hardwareType,
    image: job.spec.image,
    command: job.spec.command,
    args: job.spec.args,
    env: job.spec.env.map((entry) =>
      'value' in entry ? { name: entry.name, value: entry.value } : { name: entry.name, secretRef: entry.secretRef },
    ),
    maxRuntimeMinutes: job.spec.maxRuntimeMinutes,
    priority: job.spec.priority,
    estimatedCostUsd: job.estimatedCostUsd,
    ...(job.quotaWarnings?.length ? { quotaWarnings: job.quotaWarnings } : {}),
    ...(job.exitCode !== undefined ? { exitCode: job.exitCode } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.endedAt ? { endedAt: job.endedAt } : {}),
    history: job.history,
  };
}

import * as z from 'zod';
import {
  backendKindSchema,
  jobStateSchema,
  jobSpecSchema,
  stateTransitionSchema,
  waitingReasonSchema,
  type Job,
} from '../domain/jobs/job.schema';
import { paginationQuerySchema } from './common.contract';

export const submitJobBodySchema = jobSpecSchema.meta({ id: 'JobSpec' });

export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('Repeat a submission safely: the same key returns the same job for 24 hours'),
});

export const jobIdParamsSchema = z.object({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a job id'),
});

export const listJobsQuerySchema = paginationQuerySchema.extend({
  state: jobStateSchema.optional(),
});

export const jobViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    state: jobStateSchema,
    waiting: waitingReasonSchema.optional().describe('Why a non-terminal job is waiting'),
    stateReason: z.string().optional(),
    ownerId: z.string(),
    orgId: z.string(),
    teamId: z.string().optional(),
    backend: backendKindSchema,
    hardwareType: z.string(),
    image: z.string(),
    command: z.array(z.string()),
    args: z.array(z.string()),
    env: z.array(z.object({ name: z.string(), value: z.string().optional(), secretRef: z.string().optional() })),
    maxRuntimeMinutes: z.number(),
    priority: z.string(),
    estimatedCostUsd: z.number(),
    quotaWarnings: z.array(z.string()).optional().describe('`warn` quotas this job went over (it runs anyway)'),
    exitCode: z.number().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    startedAt: z.string().optional(),
    endedAt: z.string().optional(),
    history: z.array(stateTransitionSchema),
  })
  .meta({ id: 'Job' });
export type JobView = z.infer<typeof jobViewSchema>;

export const jobListSchema = z
  .object({ items: z.array(jobViewSchema), nextCursor: z.string().optional() })
  .meta({ id: 'JobList' });

export const jobLogsQuerySchema = z.object({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(10000).default(1000),
});

export const jobLogsSchema = z
  .object({
    jobId: z.string(),
    lines: z.array(z.object({ at: z.string(), stream: z.enum(['stdout', 'stderr']), message: z.string() })),
    nextCursor: z.string().optional(),
    complete: z.boolean().describe('True once the job has ended and every line has been returned'),
  })
  .meta({ id: 'JobLogs' });

/** Response mapper: lists every field explicitly so that nothing stored leaks by accident. */
export function toJobView(job: Job): JobView {
  return {
    id: job.id,
    name: job.spec.name,
    state: job.state,
    ...(job.waiting ? { waiting: job.waiting } : {}),
    ...(job.stateReason ? { stateReason: job.stateReason } : {}),
    ownerId: job.ownerId,
    orgId: job.orgId,
    ...(job.teamId ? { teamId: job.teamId } : {}),
    backend: job.backend,
    hardwareType: job.spec.hardwareType,
    image: job.spec.image,
    command: job.spec.command,
    args: job.spec.args,
    env: job.spec.env.map((entry) => ('value' in entry ? { name: entry.name, value: entry.value } : { name: entry.name, secretRef: entry.secretRef })),
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

import * as z from 'zod/mini';
import { jobIdParamsSchema } from './jobs.contract';
import { lazySchema } from './lazy-schema';
import { backendKindSchema, waitingReasonSchema } from '#domain/jobs/job.schema';
import { schedulingSettingsInputSchema } from '#domain/scheduling/scheduling-settings.schema';

export const queueQuerySchema = z.object({
  scope: z
    .optional(z.enum(['own', 'team', 'org']))
    .check(z.describe('Whose queued jobs: own (default below lead), a team (default for leads), the org (default for admins)')),
  teamId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))).check(z.describe('With scope=team; default: your first team')),
});

export { jobIdParamsSchema as queueJobParamsSchema };

/** Response schemas are lazy (`lazySchema`): only the OpenAPI document and tests build them. */
export const queueViewSchema = lazySchema(() =>
  z
    .object({
      scope: z.enum(['own', 'team', 'org']),
      teamId: z.optional(z.string()),
      paused: z.boolean().check(z.describe('Admission is paused for the whole org')),
      pausedBackends: z.array(z.string()),
      total: z.number().check(z.describe('Queued jobs in this scope')),
      items: z.array(
        z.object({
          rank: z.number().check(z.describe("Place in the org's admission order (1 = tried first)")),
          anonymized: z.boolean().check(z.describe("Another user's job you may not see: only its place and wait are shown")),
          id: z.optional(z.string()),
          name: z.optional(z.string()),
          ownerId: z.optional(z.string()),
          teamId: z.optional(z.string()),
          priority: z.optional(z.string()),
          priorityClass: z.number(),
          effectivePriority: z.number().check(z.describe('Priority class plus aging')),
          queuedAt: z.string(),
          waiting: z.optional(waitingReasonSchema),
        }),
      ),
    })
    .register(z.globalRegistry, { id: 'QueueView' }),
);

export const schedulingSettingsBodySchema = schedulingSettingsInputSchema
  .clone()
  .register(z.globalRegistry, { id: 'SchedulingSettingsInput' });

export const schedulingSettingsSchema = lazySchema(() =>
  z
    .object({
      halfLifeHours: z.number(),
      agingMinutes: z.number(),
      teamWeights: z.record(z.string(), z.number()),
      paused: z.boolean(),
      pausedBackends: z.array(z.string()),
      updatedAt: z.optional(z.string()),
      updatedBy: z.optional(z.string()),
    })
    .register(z.globalRegistry, { id: 'SchedulingSettings' }),
);

export const queuePauseBodySchema = z.strictObject({
  backend: z.optional(backendKindSchema).check(z.describe('Only this backend; omitted = the whole org')),
});

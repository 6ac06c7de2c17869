import * as z from 'zod/mini';
import { backendKindSchema } from '#domain/jobs/job.schema';

/** What `PUT /v1/queue/settings` accepts (`queue.manage`); omitted fields keep their current value. */
export const schedulingSettingsInputSchema = z.strictObject({
  halfLifeHours: z.optional(z.number().check(z.gte(1), z.lte(24 * 365))),
  agingMinutes: z.optional(z.number().check(z.int(), z.gte(1), z.lte(24 * 60))),
  /** Relative shares; a team without a weight has 1. */
  teamWeights: z.optional(z.record(z.string().check(z.minLength(1), z.maxLength(64)), z.number().check(z.gt(0), z.lte(1000)))),
  paused: z.optional(z.boolean()),
  pausedBackends: z.optional(z.array(backendKindSchema)),
});
export type SchedulingSettingsInput = z.infer<typeof schedulingSettingsInputSchema>;

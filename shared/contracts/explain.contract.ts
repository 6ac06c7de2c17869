import * as z from 'zod';

export const explanationSchema = z
  .object({
    verdict: z.enum(['admit', 'queue', 'deny']).describe('What a submission would do now'),
    reasons: z.array(z.string()),
    estimate: z
      .object({ costUsd: z.number(), gpuHours: z.number(), hardwareType: z.string(), pricePerHourUsd: z.number(), gpuCount: z.number() })
      .optional(),
    limits: z.array(
      z.object({
        counter: z.string(),
        name: z.string(),
        action: z.enum(['block', 'warn', 'notify']),
        limit: z.number(),
        used: z.number(),
        after: z.number(),
        fits: z.boolean(),
        quotaId: z.string().optional(),
      }),
    ),
    approval: z.object({ required: z.boolean(), rule: z.string().optional(), note: z.string() }),
    queue: z.object({ jobsWaiting: z.boolean() }),
  })
  .meta({ id: 'Explanation' });

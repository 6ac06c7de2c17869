import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';

export const explanationSchema = lazySchema(() =>
  z
    .object({
      verdict: z.enum(['admit', 'queue', 'deny']).check(z.describe('What a submission would do now')),
      reasons: z.array(z.string()),
      estimate: z.optional(
        z.object({
          costUsd: z.number(),
          gpuHours: z.number(),
          hardwareType: z.string(),
          pricePerHourUsd: z.number(),
          gpuCount: z.number(),
        }),
      ),
      limits: z.array(
        z.object({
          counter: z.string(),
          name: z.string(),
          action: z.enum(['block', 'warn', 'notify']),
          limit: z.number(),
          used: z.number(),
          after: z.number(),
          fits: z.boolean(),
          quotaId: z.optional(z.string()),
        }),
      ),
      approval: z.object({
        required: z.boolean(),
        rule: z.optional(z.string()).check(z.describe('Name of the approval rule that would hold the job')),
        ruleId: z.optional(z.string()),
        approverLevel: z.optional(z.string()),
        approvers: z.optional(z.string()).check(z.describe('Who could approve, in words')),
        note: z.string(),
      }),
      queue: z.object({ jobsWaiting: z.boolean() }),
      placement: z.optional(
        z
          .object({
            backend: z.enum(['ecs', 'kubernetes', 'local']),
            fleet: z.optional(z.string()),
            instanceType: z.optional(z.string()),
            purchase: z.optional(z.enum(['on-demand', 'spot', 'spot-with-on-demand-fallback'])),
            firstLaunch: z.optional(z.enum(['spot', 'on-demand'])),
            cluster: z.optional(z.string()),
            namespace: z.optional(z.string()),
            passedOver: z.optional(z.array(z.string()).check(z.describe('Kubernetes: why other clusters were not chosen'))),
            note: z.string(),
          })
          .check(z.describe('Which backend, and on ECS which GPU fleet and purchase option (on Kubernetes which cluster and namespace), the job would use')),
      ),
    })
    .register(z.globalRegistry, { id: 'Explanation' }),
);

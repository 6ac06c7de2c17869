import * as z from 'zod/mini';
import { errorEnvelopeSchema } from '#contracts/common.contract';
import type { RouteDeclaration } from '#http/route';

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'unhealthy']),
    checks: z.optional(
      z.record(
        z.string(),
        z.object({ status: z.enum(['ok', 'fail']), latencyMs: z.optional(z.number()), message: z.optional(z.string()) }),
      ),
    ),
  })
  .register(z.globalRegistry, { id: 'Health' });

export const healthRoutes = [
  {
    method: 'GET',
    path: '/health/live',
    operationId: 'healthLive',
    summary: 'Liveness: the process answers',
    access: 'public',
    tags: ['health'],
    responses: { 200: { description: 'Alive', schema: healthSchema } },
  },
  {
    method: 'GET',
    path: '/health/ready',
    operationId: 'healthReady',
    summary: 'Readiness: DynamoDB is reachable',
    access: 'public',
    tags: ['health'],
    responses: {
      200: { description: 'Ready', schema: healthSchema },
      503: { description: 'Not ready', schema: errorEnvelopeSchema },
    },
  },
] as const satisfies readonly RouteDeclaration[];

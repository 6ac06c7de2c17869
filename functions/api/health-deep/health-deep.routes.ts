import * as z from 'zod/mini';
import { standardErrors } from '#contracts/route-responses';
import { lazySchema } from '#contracts/lazy-schema';
import type { RouteDeclaration } from '#http/route';

export const deepHealthSchema = lazySchema(() =>
  z
    .object({
      status: z.enum(['ok', 'degraded', 'unhealthy']),
      checkedAt: z.string(),
      checks: z.object({ dynamodb: z.object({ status: z.enum(['ok', 'fail']), latencyMs: z.number() }) }),
      clusters: z.array(
        z.object({
          cluster: z.string(),
          status: z.enum(['healthy', 'degraded', 'unreachable']),
          message: z.optional(z.string()),
          version: z.optional(z.string()),
          latencyMs: z.number(),
        }),
      ),
    })
    .register(z.globalRegistry, { id: 'DeepHealth' }),
);

/**
 * The deep health check has its own function: it carries the Kubernetes client (cluster checks), which the
 * liveness and readiness probes must not load. Admins only: it lists the clusters the caller may see.
 */
export const healthDeepRoutes = [
  {
    method: 'GET',
    path: '/health',
    operationId: 'healthDeep',
    summary: 'Deep health: DynamoDB and each cluster the caller may see (healthy, degraded or unreachable)',
    access: 'admin.config',
    tags: ['health'],
    responses: { 200: { description: 'Checked (see status: ok, degraded or unhealthy)', schema: deepHealthSchema }, ...standardErrors },
  },
] as const satisfies readonly RouteDeclaration[];

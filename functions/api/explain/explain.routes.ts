import { explanationSchema } from '#contracts/explain.contract';
import { submitJobBodySchema } from '#contracts/jobs.contract';
import { standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

/**
 * The submission dry run has its own function: it reads what a submission reads (catalog, rules, quotas,
 * counters) and changes nothing (only a refusal is appended to the audit log), so it holds no event-bus
 * grant, and the submit function does not carry its code.
 */
export const explainRoutes = [
  {
    method: 'POST',
    path: '/v1/jobs/explain',
    operationId: 'explainJob',
    summary: 'Dry-run a submission: cost estimate, applicable limits with headroom, approval, verdict (writes nothing)',
    access: 'job.submit',
    tags: ['jobs'],
    request: { body: submitJobBodySchema },
    responses: { 200: { description: 'What a submission would do now', schema: explanationSchema }, ...standardErrors },
  },
] as const satisfies readonly RouteDeclaration[];

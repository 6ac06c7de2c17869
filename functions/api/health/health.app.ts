import { AppError } from '#domain/errors/app-error';
import { createApiHandler } from '#http/api-handler';
import { healthRoutes } from './health.routes';
import type { ApiRuntime } from '#functions/api/api-access';
import { dynamoReadinessProbe } from '#adapters/dynamodb/dynamo-readiness-probe';
import type { HealthEnv } from './health.env';

export interface HealthDeps {
  /** Resolves when DynamoDB answers; rejects otherwise. */
  checkDatabase: () => Promise<void>;
  /** Upper bound for the readiness probe, so a hung dependency reads as "not ready", not as a timeout. */
  timeoutMs?: number;
}

/** Liveness and readiness probes (docs/architecture.md#operations); public, so they never touch the caller's identity. */
export function createHealthHandler(deps: HealthDeps) {
  return createApiHandler(healthRoutes, {
    healthLive: async () => ({ status: 200, body: { status: 'ok' } }),
    healthReady: async ({ logger }) => {
      const started = Date.now();
      try {
        await withTimeout(deps.checkDatabase(), deps.timeoutMs ?? 2_000);
      } catch (error) {
        logger.warn('Readiness check failed', { check: 'dynamodb', error: error instanceof Error ? error.name : 'unknown' });
        throw new AppError('unavailable', 'DynamoDB is not reachable', { checks: { dynamodb: { status: 'fail' } } });
      }
      return { status: 200, body: { status: 'ok', checks: { dynamodb: { status: 'ok', latencyMs: Date.now() - started } } } };
    },
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The health function, as Lambda, the local stack and the tests build it (public routes: no gate, no audit). */
export function composeHealth(env: HealthEnv, runtime: ApiRuntime) {
  return createHealthHandler({ checkDatabase: dynamoReadinessProbe(runtime.doc, env.QM_TABLE_NAME) });
}

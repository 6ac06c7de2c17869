import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import type { BaseEnv } from '#config/env';
import type { RunObserver } from '#domain/jobs/jobs.port';
import type { EventPublisher } from '#domain/events/events.port';
import type { Job } from '#domain/jobs/job.schema';
import { reconcileRuns, type ReconcileSummary } from '#domain/job-flow/run-reconciler.service';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';

/** What the reconciler needs beyond its env: the table, the bus, and an observer per backend it can read. */
export interface ReconcilerRuntime {
  doc: DynamoDBDocumentClient;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
  /** Deployed: ECS (Kubernetes once clusters are dispatched there). Local stack: the local backend and dev-k8s. */
  observers: Partial<Record<Job['backend'], RunObserver>>;
  onError?: (message: string, details: Record<string, unknown>) => void;
}

/**
 * The reconciler function (`shared/domain/job-flow/run-reconciler.service.ts`), as Lambda and the local stack
 * build it: one pass per invocation, on a schedule (every 5 minutes deployed). Passes may overlap with each
 * other and with the report paths: every repair is the normal completion path's conditional write.
 */
export function composeReconciler(env: Pick<BaseEnv, 'QM_TABLE_NAME' | 'QM_JOB_RETENTION_DAYS'>, runtime: ReconcilerRuntime) {
  const deps = {
    jobs: new DynamoJobRepository(runtime.doc, env.QM_TABLE_NAME),
    events: runtime.events,
    clock: runtime.clock,
    ids: runtime.ids,
    retentionDays: env.QM_JOB_RETENTION_DAYS,
    observers: (backend: Job['backend']) => runtime.observers[backend],
    ...(runtime.onError ? { onError: runtime.onError } : {}),
  };
  return async (): Promise<ReconcileSummary> => reconcileRuns(deps);
}

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoClusterRepository } from '#adapters/dynamodb/dynamo-cluster.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { createKubeAdapters } from '#adapters/kubernetes/kube-adapters';
import type { KubeEdges } from '#adapters/kubernetes/kube-connector-factory';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import type { EventPublisher } from '#domain/events/events.port';
import { pollKubernetesRuns, type PollSummary } from '#domain/job-flow/run-poller.service';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { KubePollerEnv } from './kube-poller.env';

export interface KubePollerRuntime extends KubeEdges {
  doc: DynamoDBDocumentClient;
  events: EventPublisher;
  clock?: Clock;
  ids?: IdSource;
  /** Where a namespace that could not be read is reported (the pass goes on with the others). */
  log: (message: string, details: Record<string, unknown>) => void;
}

/**
 * The Kubernetes status poller (docs/kubernetes.md#status), as Lambda (an EventBridge schedule, every minute)
 * and the local stack build it: one pass reads every cluster namespace that has active Kubernetes jobs with
 * two list calls by label, and applies what it saw through the same conditional writes as ECS task events.
 * Passes are idempotent, so an overlapping or repeated one changes nothing twice. It exists only to talk to
 * clusters, so it imports the Kubernetes adapters statically: the client is in its cold start by design.
 */
export function composeKubePoller(env: KubePollerEnv, runtime: KubePollerRuntime): () => Promise<PollSummary> {
  const clock = runtime.clock ?? systemClock;
  const localStack = env.QM_LOCAL_STACK === 'true';
  const { backend } = createKubeAdapters(new DynamoClusterRepository(runtime.doc, env.QM_TABLE_NAME), runtime, { localStack, clock });
  const deps = {
    jobs: new DynamoJobRepository(runtime.doc, env.QM_TABLE_NAME),
    events: runtime.events,
    clock,
    ids: runtime.ids ?? ulidSource(),
    retentionDays: env.QM_JOB_RETENTION_DAYS,
    observer: backend,
    onError: runtime.log,
  };
  return () => pollKubernetesRuns(deps);
}

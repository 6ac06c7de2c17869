import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/runtime/runtime.port';
import { KubeClusterProbe } from './kube-cluster-probe.client';
import { createKubeConnector, type KubeEdges } from './kube-connector-factory';
import { KubePodLogReader } from './kube-pod-log.client';
import { KubernetesJobBackend } from './kubernetes-job-backend.client';

/** Everything a function needs to talk to registered clusters, over one connector (one connection per cluster). */
export interface KubeAdapters {
  backend: KubernetesJobBackend;
  logs: KubePodLogReader;
  probe: KubeClusterProbe;
}

export function createKubeAdapters(
  doc: DynamoDBDocumentClient,
  tableName: string,
  edges: KubeEdges,
  options: { localStack: boolean; clock: Clock },
): KubeAdapters {
  const connector = createKubeConnector(doc, tableName, edges, options.localStack);
  return {
    backend: new KubernetesJobBackend(connector),
    logs: new KubePodLogReader(connector),
    probe: new KubeClusterProbe(connector, options.clock),
  };
}

import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { isShownError, unwrap, type ShownError } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';

type Cluster = Schemas['ClusterList']['items'][number];

/** Registered Kubernetes clusters: deployment-wide (platform admins register them); health and GPU capacity per pool. */
export default function Clusters() {
  const { api, me } = useConsole();
  const clusters = useData(() => unwrap(api.GET('/v1/clusters')), [api]);
  const [health, setHealth] = useState<Record<string, Schemas['ClusterHealth'] | ShownError>>({});
  const [registering, setRegistering] = useState(false);
  const check = async (id: string): Promise<void> => {
    try {
      const result = await unwrap(api.GET('/v1/clusters/{id}/health', { params: { path: { id } } }));
      setHealth((current) => ({ ...current, [id]: result }));
    } catch (reason) {
      if (isShownError(reason)) setHealth((current) => ({ ...current, [id]: reason }));
    }
  };
  const idOf = (cluster: Cluster): string => (cluster as { id?: string }).id ?? '';
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={clusters.error} header="Clusters could not be loaded" />
      <Table<Cluster>
        header={
          <Header variant="h1" description="Kubernetes and EKS clusters jobs may run on; each org sees the ones it may use" actions={me.platformAdmin && <Button onClick={() => setRegistering(true)}>Register cluster</Button>}>
            Clusters
          </Header>
        }
        loading={clusters.loading && !clusters.data}
        items={clusters.data?.items ?? []}
        trackBy={idOf}
        columnDefinitions={[
          { id: 'id', header: 'Cluster', cell: (cluster) => `${idOf(cluster)}${cluster.displayName ? ` — ${cluster.displayName}` : ''}` },
          { id: 'kind', header: 'Kind', cell: (cluster) => cluster.kind },
          { id: 'endpoint', header: 'Endpoint', cell: (cluster) => cluster.endpoint },
          {
            id: 'health',
            header: 'Health',
            cell: (cluster) => {
              const result = health[idOf(cluster)];
              if (!result) return <Button variant="inline-link" ariaLabel={`Check ${idOf(cluster)}`} onClick={() => void check(idOf(cluster))}>Check</Button>;
              if ('code' in result) return <StatusIndicator type="error">{result.message}</StatusIndicator>;
              const gpus = (result.pools ?? []).map((pool) => `${pool.pool}: ${pool.requestedGpus}/${pool.allocatableGpus} GPUs`).join(', ');
              return (
                <StatusIndicator type={result.status === 'healthy' ? 'success' : result.status === 'degraded' ? 'warning' : 'error'}>
                  {result.status}
                  {gpus ? ` · ${gpus}` : ''}
                </StatusIndicator>
              );
            },
          },
        ]}
        empty={<Box textAlign="center">No clusters registered: jobs run on ECS.</Box>}
      />
      {registering && (
        <FormModal
          title="Register a cluster"
          fields={[{ key: 'cluster', label: 'Cluster (JSON)', type: 'json', description: 'id, kind (eks | generic), endpoint (https), caPem, orgs with their namespaces; credentials are set afterwards (write-only)' }]}
          initial={{ cluster: JSON.stringify({ id: 'gpu-east', kind: 'generic', endpoint: 'https://k8s.example.com', caPem: '-----BEGIN CERTIFICATE-----\n…', orgs: [{ orgId: me.orgId, namespaces: ['ml-jobs'] }] }, null, 2) }}
          submitLabel="Register"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/clusters', { body: body.cluster as Schemas['ClusterRegistration'] }));
            clusters.reload();
          }}
          onClose={() => setRegistering(false)}
        />
      )}
    </SpaceBetween>
  );
}

import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { isShownError, unwrap, type ShownError } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { ListingTable } from '../../components/ListingTable';

type Cluster = Schemas['ClusterList']['items'][number];
type Dialog = { kind: 'register' } | { kind: 'edit'; cluster: Cluster } | { kind: 'credentials'; cluster: Cluster };

/** What `PUT /v1/clusters/{id}` takes: the registration without the id and the server's bookkeeping. */
const EDITABLE: ReadonlyArray<keyof Schemas['ClusterInput']> = ['displayName', 'kind', 'endpoint', 'caPem', 'eks', 'orgs', 'gpuResource', 'hardware', 'kueueQueue', 'ttlSecondsAfterFinished', 'enabled'];
const editable = (cluster: Cluster): Record<string, unknown> => Object.fromEntries(EDITABLE.flatMap((key) => (cluster[key] === undefined ? [] : [[key, cluster[key]]])));

/** Registered Kubernetes clusters: deployment-wide (platform admins register them); health and GPU capacity per pool. */
export default function Clusters() {
  const { api, me } = useConsole();
  const clusters = useData(() => unwrap(api.GET('/v1/clusters')), [api]);
  const [health, setHealth] = useState<Record<string, Schemas['ClusterHealth'] | ShownError>>({});
  const [dialog, setDialog] = useState<Dialog | undefined>();
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
      <ListingTable<Cluster>
        title="Clusters"
        description="Kubernetes and EKS clusters jobs may run on; each org sees the ones it may use"
        actions={me.platformAdmin && <Button onClick={() => setDialog({ kind: 'register' })}>Register cluster</Button>}
        listing={clusters}
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
          { id: 'credentials', header: 'Credentials', cell: (cluster) => (cluster.kind === 'eks' ? 'IAM role (no secret)' : cluster.hasCredentials ? `${cluster.credentialsKind ?? 'set'}${cluster.credentialsUpdatedAt ? `, ${new Date(cluster.credentialsUpdatedAt).toLocaleDateString()}` : ''}` : 'not set') },
          ...(me.platformAdmin
            ? [
                {
                  id: 'actions',
                  header: '',
                  cell: (cluster: Cluster) => (
                    <SpaceBetween direction="horizontal" size="xs">
                      <Button variant="inline-link" ariaLabel={`Edit ${idOf(cluster)}`} onClick={() => setDialog({ kind: 'edit', cluster })}>
                        Edit
                      </Button>
                      {cluster.kind === 'generic' && (
                        <Button variant="inline-link" ariaLabel={`Set credentials of ${idOf(cluster)}`} onClick={() => setDialog({ kind: 'credentials', cluster })}>
                          Credentials
                        </Button>
                      )}
                      <Button
                        variant="inline-link"
                        ariaLabel={`Delete ${idOf(cluster)}`}
                        onClick={() => void unwrap(api.DELETE('/v1/clusters/{id}', { params: { path: { id: idOf(cluster) } } })).then(clusters.reload, clusters.reload)}
                      >
                        Delete
                      </Button>
                    </SpaceBetween>
                  ),
                },
              ]
            : []),
        ]}
        empty={<Box textAlign="center">No clusters registered: jobs run on ECS.</Box>}
      />
      {dialog?.kind === 'register' && (
        <FormModal
          title="Register a cluster"
          fields={[{ key: 'cluster', label: 'Cluster (JSON)', type: 'json', description: 'id, kind (eks | generic), endpoint (https), caPem, orgs with their namespaces; credentials are set afterwards (write-only)' }]}
          initial={{ cluster: JSON.stringify({ id: 'gpu-east', kind: 'generic', endpoint: 'https://k8s.example.com', caPem: '-----BEGIN CERTIFICATE-----\n…', orgs: [{ orgId: me.orgId, namespaces: ['ml-jobs'] }] }, null, 2) }}
          submitLabel="Register"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/clusters', { body: body.cluster as Schemas['ClusterRegistration'] }));
            clusters.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'edit' && (
        <FormModal
          title={`Edit cluster ${idOf(dialog.cluster)}`}
          fields={[{ key: 'cluster', label: 'Cluster (JSON)', type: 'json', description: 'Everything but the id; credentials are set on their own (write-only)' }]}
          initial={{ cluster: JSON.stringify(editable(dialog.cluster), null, 2) }}
          onSubmit={async (body) => {
            await unwrap(api.PUT('/v1/clusters/{id}', { params: { path: { id: idOf(dialog.cluster) } }, body: body.cluster as Schemas['ClusterInput'] }));
            clusters.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'credentials' && (
        <FormModal
          title={`Credentials of ${idOf(dialog.cluster)}`}
          fields={[
            { key: 'kind', label: 'Kind', type: 'select', options: [{ value: 'token', label: 'Service-account token' }, { value: 'kubeconfig', label: 'Kubeconfig (one context, no exec or file references)' }], default: 'token' },
            { key: 'secret', label: 'Token or kubeconfig', type: 'multiline', description: 'Stored in the secret store and never shown again; replaces the current credentials' },
          ]}
          onSubmit={async (body) => {
            const credentials = body.kind === 'kubeconfig' ? { kind: 'kubeconfig' as const, kubeconfig: String(body.secret) } : { kind: 'token' as const, token: String(body.secret) };
            await unwrap(api.POST('/v1/clusters/{id}/credentials', { params: { path: { id: idOf(dialog.cluster) } }, body: credentials }));
            clusters.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </SpaceBetween>
  );
}

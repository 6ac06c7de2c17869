import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { formatUsd } from '../../lib/format';
import { ListingTable } from '../../components/ListingTable';

/** The hardware catalog: deployment-wide, so only platform admins change it; everyone reads it. */
export default function Hardware() {
  const { api, me } = useConsole();
  const hardware = useData(() => unwrap(api.GET('/v1/hardware')), [api]);
  const [editing, setEditing] = useState<Schemas['HardwareType'] | 'new' | undefined>();
  const mayEdit = me.platformAdmin;
  const current = editing === 'new' ? undefined : editing;
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={hardware.error} header="The catalog could not be loaded" />
      <ListingTable<Schemas['HardwareType']>
        title="Hardware catalog"
        description={mayEdit ? 'Shared by every org of the deployment' : 'Shared by every org; platform admins change it'}
        actions={mayEdit && <Button onClick={() => setEditing('new')}>Add hardware type</Button>}
        listing={hardware}
        trackBy="id"
        columnDefinitions={[
          { id: 'id', header: 'Type', cell: (type) => type.id },
          { id: 'gpu', header: 'GPUs', cell: (type) => `${type.gpuCount}× ${type.gpuModel}` },
          { id: 'cpu', header: 'vCPU / memory', cell: (type) => `${type.vcpu} vCPU, ${Math.round(type.memoryMiB / 1024)} GiB` },
          { id: 'price', header: 'Price', cell: (type) => `${formatUsd(type.pricePerHourUsd)}/h` },
          { id: 'enabled', header: 'Status', cell: (type) => (type.enabled === false ? 'disabled' : 'enabled') },
          { id: 'where', header: 'Runs on', cell: (type) => [type.ecs && `ECS ${type.ecs.instanceType}`, type.kubernetes && 'Kubernetes'].filter(Boolean).join(', ') || 'local' },
          {
            id: 'edit',
            header: '',
            cell: (type) =>
              mayEdit && (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button variant="inline-link" ariaLabel={`Edit ${type.id}`} onClick={() => setEditing(type)}>
                    Edit
                  </Button>
                  {/* A soft delete: jobs keep referring to the type, new ones can no longer pick it. */}
                  {type.enabled !== false && (
                    <Button
                      variant="inline-link"
                      ariaLabel={`Disable ${type.id}`}
                      onClick={() => void unwrap(api.DELETE('/v1/hardware/{id}', { params: { path: { id: type.id } } })).then(hardware.reload, hardware.reload)}
                    >
                      Disable
                    </Button>
                  )}
                </SpaceBetween>
              ),
          },
        ]}
        empty={<Box textAlign="center">The catalog is empty.</Box>}
      />
      {editing && (
        <FormModal
          title={current ? `Edit ${current.id}` : 'Add a hardware type'}
          fields={[
            { key: 'id', label: 'Id', type: 'text', readOnly: current !== undefined, description: 'e.g. gpu-a10g-1x' },
            { key: 'gpuModel', label: 'GPU model', type: 'text' },
            { key: 'gpuCount', label: 'GPU count', type: 'number' },
            { key: 'vcpu', label: 'vCPU', type: 'number' },
            { key: 'memoryMiB', label: 'Memory (MiB)', type: 'number' },
            { key: 'pricePerHourUsd', label: 'Price per hour (USD)', type: 'number' },
          ]}
          initial={
            current
              ? { id: current.id, gpuModel: current.gpuModel, gpuCount: String(current.gpuCount), vcpu: String(current.vcpu), memoryMiB: String(current.memoryMiB), pricePerHourUsd: String(current.pricePerHourUsd) }
              : {}
          }
          onSubmit={async (body) => {
            const id = current?.id ?? String(body.id);
            const { id: _id, ...rest } = body;
            const keep = current ? { ...(current.ecs ? { ecs: current.ecs } : {}), ...(current.kubernetes ? { kubernetes: current.kubernetes } : {}) } : {};
            await unwrap(api.PUT('/v1/hardware/{id}', { params: { path: { id } }, body: { ...keep, ...rest } as Schemas['HardwareTypeInput'] }));
            hardware.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </SpaceBetween>
  );
}

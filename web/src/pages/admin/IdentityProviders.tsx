import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { ListingTable } from '../../components/ListingTable';

const EXAMPLE = {
  id: 'okta',
  type: 'oidc',
  displayName: 'Okta',
  enabled: true,
  issuer: 'https://example.okta.com',
  clientId: 'quartermaster',
  clientSecret: 'write-only: stored in Secrets Manager, never shown again',
  groupMapping: { claim: 'groups', rules: [{ value: 'gpu-researchers', level: 'researcher' }] },
};

/** Identity providers (OIDC, Cognito, LDAP) with their group → role mapping; secrets are write-only. */
export default function IdentityProviders() {
  const { api } = useConsole();
  const providers = useData(() => unwrap(api.GET('/v1/admin/identity-providers')), [api]);
  const [editing, setEditing] = useState<Schemas['IdentityProvider'] | 'new' | undefined>();
  const current = editing === 'new' ? undefined : editing;
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={providers.error} header="Identity providers could not be loaded" />
      <ListingTable<Schemas['IdentityProvider']>
        title="Identity providers"
        description="Users sign in through these; mappings give levels and teams at every sign-in"
        actions={<Button onClick={() => setEditing('new')}>Add provider</Button>}
        listing={providers}
        trackBy="id"
        columnDefinitions={[
          { id: 'id', header: 'Id', cell: (provider) => provider.id },
          { id: 'type', header: 'Type', cell: (provider) => provider.type },
          { id: 'name', header: 'Name', cell: (provider) => provider.displayName },
          { id: 'enabled', header: 'Status', cell: (provider) => <StatusIndicator type={provider.enabled ? 'success' : 'stopped'}>{provider.enabled ? 'enabled' : 'disabled'}</StatusIndicator> },
          { id: 'secret', header: 'Secret', cell: (provider) => (provider.secretSet ? 'set (write-only)' : '–') },
          {
            id: 'actions',
            header: '',
            cell: (provider) => (
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="inline-link" onClick={() => setEditing(provider)}>
                  Edit
                </Button>
                <Button
                  variant="inline-link"
                  onClick={() => void unwrap(api.DELETE('/v1/admin/identity-providers/{id}', { params: { path: { id: provider.id } } })).then(providers.reload)}
                >
                  Delete
                </Button>
              </SpaceBetween>
            ),
          },
        ]}
        empty={<Box textAlign="center">No identity providers yet: add your OIDC provider or LDAP directory.</Box>}
      />
      {editing && (
        <FormModal
          title={current ? `Edit ${current.id}` : 'Add an identity provider'}
          fields={[{ key: 'provider', label: 'Provider (JSON)', type: 'json', description: 'Secrets are write-only: leave them out to keep the stored one' }]}
          initial={{ provider: JSON.stringify(current ? { type: current.type, displayName: current.displayName, enabled: current.enabled, ...current.settings } : EXAMPLE, null, 2) }}
          onSubmit={async (body) => {
            const provider = body.provider as Record<string, unknown>;
            if (current) {
              await unwrap(api.PUT('/v1/admin/identity-providers/{id}', { params: { path: { id: current.id } }, body: provider as never }));
            } else {
              await unwrap(api.POST('/v1/admin/identity-providers', { body: provider as never }));
            }
            providers.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </SpaceBetween>
  );
}

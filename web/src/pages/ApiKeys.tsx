import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Multiselect from '@cloudscape-design/components/multiselect';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import type { Schemas } from '../api/client';
import { fieldError, isShownError, unwrap, type ShownError } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatRelative } from '../lib/format';
import { ListingTable } from '../components/ListingTable';

type Scope = Schemas['CreateApiKey']['scopes'][number];

/** API keys for automation: created with a subset of my permissions, shown once, revocable. */
export default function ApiKeys() {
  const { api, me, notify } = useConsole();
  const keys = useData(() => unwrap(api.GET('/v1/me/api-keys')), [api]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Schemas['CreatedApiKey'] | undefined>();
  const [revokeError, setRevokeError] = useState<ShownError | undefined>();

  const revoke = async (key: Schemas['ApiKey']): Promise<void> => {
    setRevokeError(undefined);
    try {
      await unwrap(api.DELETE('/v1/me/api-keys/{id}', { params: { path: { id: key.id } } }));
      notify({ type: 'success', content: `Key ${key.name} revoked` });
      keys.reload();
    } catch (reason) {
      setRevokeError(isShownError(reason) ? reason : undefined);
    }
  };

  return (
    <SpaceBetween size="l">
      {created && (
        <Alert type="success" header={`Key ${created.name} created: copy it now, it is not shown again`} dismissible onDismiss={() => setCreated(undefined)}>
          <SpaceBetween size="xs">
            <code data-testid="new-api-key">{created.key}</code>
            <CopyToClipboard textToCopy={created.key} copyButtonText="Copy key" copySuccessText="Copied" copyErrorText="Copy failed" />
          </SpaceBetween>
        </Alert>
      )}
      <ErrorAlert error={revokeError} header="The key could not be revoked" />
      <ListingTable<Schemas['ApiKey']>
        title="API keys"
        description="For CI and workflow tools: send as `Authorization: Bearer <key>`"
        actions={<Button onClick={() => setCreating(true)}>Create key</Button>}
        listing={keys}
        trackBy="id"
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (key) => key.name },
          { id: 'hint', header: 'Key', cell: (key) => <code>{key.hint}…</code> },
          {
            id: 'status',
            header: 'Status',
            cell: (key) => <StatusIndicator type={key.status === 'active' ? 'success' : 'stopped'}>{key.status}</StatusIndicator>,
          },
          { id: 'scopes', header: 'Scopes', cell: (key) => key.scopes.join(', ') },
          { id: 'expires', header: 'Expires', cell: (key) => formatRelative(key.expiresAt) },
          { id: 'used', header: 'Last used', cell: (key) => (key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'never') },
          {
            id: 'actions',
            header: '',
            cell: (key) =>
              key.status === 'active' && (
                <Button variant="inline-link" ariaLabel={`Revoke ${key.name}`} onClick={() => void revoke(key)}>
                  Revoke
                </Button>
              ),
          },
        ]}
        empty={<Box textAlign="center">No API keys. Create one for your CI or workflow tool.</Box>}
      />
      {creating && (
        <CreateKey
          permissions={me.permissions as Scope[]}
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            keys.reload();
          }}
        />
      )}
    </SpaceBetween>
  );
}

function CreateKey({ permissions, onClose, onCreated }: { permissions: Scope[]; onClose: () => void; onCreated: (key: Schemas['CreatedApiKey']) => void }) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(permissions.filter((permission) => permission === 'job.submit' || permission === 'job.view.own'));
  const [days, setDays] = useState('90');
  const [error, setError] = useState<ShownError | undefined>();
  const [busy, setBusy] = useState(false);

  const create = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await unwrap(api.POST('/v1/me/api-keys', { body: { name, scopes, expiresInDays: Number(days) } })));
    } catch (reason) {
      setError(isShownError(reason) ? reason : undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal visible header="Create an API key" onDismiss={onClose}>
      <form onSubmit={(event) => (event.preventDefault(), void create())}>
        <Form
          errorText={error && Object.keys(error.fields).length === 0 ? error.message : undefined}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>
                Cancel
              </Button>
              <Button variant="primary" loading={busy}>
                Create
              </Button>
            </SpaceBetween>
          }
        >
          <SpaceBetween size="m">
            <FormField label="Name" errorText={fieldError(error, 'name')}>
              <Input value={name} onChange={({ detail }) => setName(detail.value)} placeholder="airflow-prod" />
            </FormField>
            <FormField label="Scopes" description="The key can do only these, and never more than you can" errorText={fieldError(error, 'scopes')}>
              <Multiselect
                selectedOptions={scopes.map((scope) => ({ value: scope, label: scope }))}
                onChange={({ detail }) => setScopes(detail.selectedOptions.map((option) => option.value as Scope))}
                options={permissions.map((permission) => ({ value: permission, label: permission }))}
                placeholder="Choose scopes"
              />
            </FormField>
            <FormField label="Expires in (days)" errorText={fieldError(error, 'expiresInDays')}>
              <Input type="number" value={days} onChange={({ detail }) => setDays(detail.value)} />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}

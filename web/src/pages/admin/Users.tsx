import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EffectiveAccess } from '../../components/EffectiveAccess';
import { FormModal } from '../../components/FormModal';
import type { FieldSpec } from '../../lib/form-body';
import { parseMemberships } from '../../lib/memberships';

type Dialog = { kind: 'create' } | { kind: 'level' | 'teams' | 'overrides' | 'profile' | 'access'; user: Schemas['User'] } | undefined;

/** The org's users: create, level (and platform flag where allowed), status, teams, permission overrides. */
export default function Users() {
  const { api, me, notify } = useConsole();
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<Dialog>();
  const users = useData(() => unwrap(api.GET('/v1/orgs/{orgId}/users', { params: { path: { orgId: me.orgId }, query: query ? { q: query } : {} } })), [api, me.orgId, query]);
  const levels = useData(() => unwrap(api.GET('/v1/levels')), [api]);
  const levelOptions = (levels.data?.items ?? []).map((level) => ({ value: level.name, label: `${level.name} (${level.priority})` }));

  const setStatus = async (user: Schemas['User'], status: 'active' | 'disabled'): Promise<void> => {
    await unwrap(api.PUT('/v1/users/{userId}/status', { params: { path: { userId: user.id } }, body: { status } }));
    notify({ type: 'success', content: `${user.displayName} ${status === 'active' ? 'enabled' : 'disabled'}` });
    users.reload();
  };

  const levelFields: FieldSpec[] = [
    { key: 'level', label: 'Level', type: 'select', options: levelOptions },
    ...(me.platformAdmin ? [{ key: 'platformAdmin', label: 'Platform admin (every org, deployment-wide settings)', type: 'checkbox' } as FieldSpec] : []),
  ];

  return (
    <SpaceBetween size="l">
      <ErrorAlert error={users.error} header="Users could not be loaded" />
      <Table<Schemas['User']>
        header={
          <Header variant="h1" counter={users.data ? `(${users.data.items.length})` : undefined} actions={<Button onClick={() => setDialog({ kind: 'create' })}>Create user</Button>}>
            Users of {me.orgId}
          </Header>
        }
        filter={<TextFilter filteringText={query} filteringPlaceholder="Search by id, email or name" onChange={({ detail }) => setQuery(detail.filteringText)} />}
        loading={users.loading && !users.data}
        items={users.data?.items ?? []}
        trackBy="id"
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (user) => user.displayName },
          { id: 'email', header: 'Email', cell: (user) => user.email },
          { id: 'level', header: 'Level', cell: (user) => `${user.level}${user.platformAdmin ? ' · platform admin' : ''}` },
          { id: 'teams', header: 'Teams', cell: (user) => user.teams.map((team) => `${team.teamId}${team.role === 'lead' ? ' (lead)' : ''}`).join(', ') || '–' },
          { id: 'status', header: 'Status', cell: (user) => <StatusIndicator type={user.status === 'active' ? 'success' : 'stopped'}>{user.status}</StatusIndicator> },
          {
            id: 'actions',
            header: 'Actions',
            cell: (user) => (
              <ButtonDropdown
                variant="inline-icon"
                ariaLabel={`Actions for ${user.displayName}`}
                items={[
                  { id: 'level', text: 'Change level' },
                  { id: 'teams', text: 'Teams' },
                  { id: 'overrides', text: 'Permission overrides' },
                  { id: 'access', text: 'Effective access' },
                  { id: 'profile', text: 'Name and email' },
                  { id: 'status', text: user.status === 'active' ? 'Disable' : 'Enable', disabled: user.id === me.id },
                ]}
                onItemClick={({ detail }) => {
                  if (detail.id === 'status') void setStatus(user, user.status === 'active' ? 'disabled' : 'active');
                  else setDialog({ kind: detail.id as 'level' | 'teams' | 'overrides' | 'profile' | 'access', user });
                }}
              />
            ),
          },
        ]}
        empty={<Box textAlign="center">No users match.</Box>}
      />
      {dialog?.kind === 'create' && (
        <FormModal
          title="Create a user"
          fields={[
            { key: 'email', label: 'Email', type: 'text' },
            { key: 'displayName', label: 'Name', type: 'text' },
            { key: 'level', label: 'Level', type: 'select', options: levelOptions, default: 'researcher' },
            { key: 'id', label: 'User id', type: 'text', optional: true, description: 'Optional; generated when empty' },
          ]}
          submitLabel="Create"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/orgs/{orgId}/users', { params: { path: { orgId: me.orgId } }, body: body as Schemas['CreateUser'] }));
            users.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'level' && (
        <FormModal
          title={`Level of ${dialog.user.displayName}`}
          fields={levelFields}
          initial={{ level: dialog.user.level, platformAdmin: dialog.user.platformAdmin }}
          onSubmit={async (body) => {
            await unwrap(api.PUT('/v1/users/{userId}/level', { params: { path: { userId: dialog.user.id } }, body: body as Schemas['SetUserLevel'] }));
            notify({ type: 'success', content: `${dialog.user.displayName} is now ${String(body.level)}` });
            users.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'teams' && (
        <FormModal
          title={`Teams of ${dialog.user.displayName}`}
          fields={[{ key: 'teams', label: 'Teams', type: 'text', optional: true, description: 'Comma-separated; add ":lead" for a team lead, e.g. vision:lead, nlp' }]}
          initial={{ teams: dialog.user.teams.map((team) => (team.role === 'lead' ? `${team.teamId}:lead` : team.teamId)).join(', ') }}
          onSubmit={async (body) => {
            const teams = parseMemberships(typeof body.teams === 'string' ? body.teams : '');
            await unwrap(api.PUT('/v1/users/{userId}/teams', { params: { path: { userId: dialog.user.id } }, body: { teams } }));
            users.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'overrides' && (
        <FormModal
          title={`Permission overrides of ${dialog.user.displayName}`}
          fields={[{ key: 'overrides', label: 'Overrides (JSON)', type: 'json', description: 'e.g. [{"permission":"job.priority.high","effect":"grant"}]; deny wins over grant' }]}
          initial={{ overrides: JSON.stringify(dialog.user.overrides, null, 2) }}
          onSubmit={async (body) => {
            await unwrap(api.PUT('/v1/users/{userId}/overrides', { params: { path: { userId: dialog.user.id } }, body: body as Schemas['SetPermissionOverrides'] }));
            users.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'profile' && (
        <FormModal
          title={`Name and email of ${dialog.user.displayName}`}
          fields={[
            { key: 'displayName', label: 'Display name', type: 'text' },
            { key: 'email', label: 'Email', type: 'text' },
          ]}
          initial={{ displayName: dialog.user.displayName, email: dialog.user.email }}
          onSubmit={async (body) => {
            await unwrap(api.PATCH('/v1/users/{userId}', { params: { path: { userId: dialog.user.id } }, body: body as Schemas['UpdateUser'] }));
            users.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'access' && <EffectiveAccess user={dialog.user} onClose={() => setDialog(undefined)} />}
    </SpaceBetween>
  );
}

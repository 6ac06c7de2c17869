import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';

/** Orgs (platform admins create them) and the selected org's teams and members. */
export default function Orgs() {
  const { api, me, can } = useConsole();
  const orgs = useData(() => (can('org.view') ? unwrap(api.GET('/v1/orgs')) : Promise.resolve({ items: [] as Schemas['Org'][] })), [api]);
  const [orgId, setOrgId] = useState(me.orgId);
  const [teamId, setTeamId] = useState<string | undefined>();
  const [dialog, setDialog] = useState<'org' | 'team' | 'member' | { edit: 'org'; item: Schemas['Org'] } | { edit: 'team'; item: Schemas['Team'] } | undefined>();
  const teams = useData(() => unwrap(api.GET('/v1/orgs/{orgId}/teams', { params: { path: { orgId } } })), [api, orgId]);
  const members = useData(
    () => (teamId ? unwrap(api.GET('/v1/orgs/{orgId}/teams/{teamId}/members', { params: { path: { orgId, teamId } } })) : Promise.resolve(undefined)),
    [api, orgId, teamId],
  );

  return (
    <SpaceBetween size="l">
      <ErrorAlert error={orgs.error ?? teams.error} />
      {can('org.view') && (
        <Table<Schemas['Org']>
          header={
            <Header variant="h1" actions={can('org.create') && <Button onClick={() => setDialog('org')}>Create org</Button>}>
              Organizations
            </Header>
          }
          selectionType="single"
          ariaLabels={{ selectionGroupLabel: 'Organizations', itemSelectionLabel: (_, org) => `Select org ${org.slug}`, allItemsSelectionLabel: () => 'All' }}
          selectedItems={(orgs.data?.items ?? []).filter((org) => org.id === orgId)}
          onSelectionChange={({ detail }) => {
            setOrgId(detail.selectedItems[0]?.id ?? me.orgId);
            setTeamId(undefined);
          }}
          items={orgs.data?.items ?? []}
          trackBy="id"
          loading={orgs.loading && !orgs.data}
          columnDefinitions={[
            { id: 'slug', header: 'Org', cell: (org) => org.slug },
            { id: 'name', header: 'Name', cell: (org) => org.name },
            { id: 'status', header: 'Status', cell: (org) => <StatusIndicator type={org.status === 'active' ? 'success' : 'stopped'}>{org.status}</StatusIndicator> },
            ...(can('org.manage')
              ? [
                  {
                    id: 'edit',
                    header: '',
                    cell: (org: Schemas['Org']) => (
                      <Button variant="inline-link" ariaLabel={`Edit org ${org.slug}`} onClick={() => setDialog({ edit: 'org', item: org })}>
                        Edit
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <Table<Schemas['Team']>
        header={
          <Header variant="h2" actions={can('team.create') && <Button onClick={() => setDialog('team')}>Create team</Button>}>
            Teams of {orgId}
          </Header>
        }
        selectionType="single"
        ariaLabels={{ selectionGroupLabel: 'Teams', itemSelectionLabel: (_, team) => `Select team ${team.slug}`, allItemsSelectionLabel: () => 'All' }}
        selectedItems={(teams.data?.items ?? []).filter((team) => team.id === teamId)}
        onSelectionChange={({ detail }) => setTeamId(detail.selectedItems[0]?.id)}
        items={teams.data?.items ?? []}
        trackBy="id"
        loading={teams.loading && !teams.data}
        columnDefinitions={[
          { id: 'slug', header: 'Team', cell: (team) => team.slug },
          { id: 'name', header: 'Name', cell: (team) => team.name },
          { id: 'status', header: 'Status', cell: (team) => <StatusIndicator type={team.status === 'active' ? 'success' : 'stopped'}>{team.status}</StatusIndicator> },
          ...(can('team.manage')
            ? [
                {
                  id: 'edit',
                  header: '',
                  cell: (team: Schemas['Team']) => (
                    <Button variant="inline-link" ariaLabel={`Edit team ${team.slug}`} onClick={() => setDialog({ edit: 'team', item: team })}>
                      Edit
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
        empty={<Box textAlign="center">No teams yet. Teams let leads approve and see their members' jobs, and carry quotas.</Box>}
      />
      {teamId && (
        <Table<Schemas['TeamMember']>
          header={
            <Header variant="h2" actions={can('team.manage.members') && <Button onClick={() => setDialog('member')}>Add member</Button>}>
              Members of {teamId}
            </Header>
          }
          items={members.data?.items ?? []}
          loading={members.loading && !members.data}
          columnDefinitions={[
            { id: 'user', header: 'User', cell: (member) => member.userId },
            { id: 'role', header: 'Role', cell: (member) => member.role },
            ...(can('team.manage.members')
              ? [
                  {
                    id: 'remove',
                    header: '',
                    cell: (member: Schemas['TeamMember']) => (
                      <Button
                        variant="inline-link"
                        ariaLabel={`Remove ${member.userId} from ${teamId}`}
                        onClick={() => void unwrap(api.DELETE('/v1/orgs/{orgId}/teams/{teamId}/members/{userId}', { params: { path: { orgId, teamId, userId: member.userId } } })).then(members.reload, members.reload)}
                      >
                        Remove
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
          empty={<Box textAlign="center">No members.</Box>}
        />
      )}
      {dialog === 'org' && (
        <FormModal
          title="Create an organization"
          fields={[
            { key: 'slug', label: 'Slug', type: 'text', description: 'Also the id; fixed for good' },
            { key: 'name', label: 'Name', type: 'text' },
          ]}
          submitLabel="Create"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/orgs', { body: body as Schemas['CreateOrg'] }));
            orgs.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'team' && (
        <FormModal
          title={`Create a team in ${orgId}`}
          fields={[
            { key: 'slug', label: 'Slug', type: 'text', description: 'Also the id; unique in the org' },
            { key: 'name', label: 'Name', type: 'text' },
          ]}
          submitLabel="Create"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/orgs/{orgId}/teams', { params: { path: { orgId } }, body: body as Schemas['CreateTeam'] }));
            teams.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {typeof dialog === 'object' && (
        <FormModal
          title={`Edit ${dialog.edit} ${dialog.item.slug}`}
          fields={[
            { key: 'name', label: 'Name', type: 'text' },
            { key: 'status', label: 'Status', type: 'select', options: [{ value: 'active', label: 'active' }, { value: 'disabled', label: 'disabled (history keeps referring to it)' }] },
          ]}
          initial={{ name: dialog.item.name, status: dialog.item.status }}
          onSubmit={async (body) => {
            const update = body as { name: string; status: 'active' | 'disabled' };
            if (dialog.edit === 'org') {
              await unwrap(api.PATCH('/v1/orgs/{orgId}', { params: { path: { orgId: dialog.item.id } }, body: update }));
              orgs.reload();
            } else {
              await unwrap(api.PATCH('/v1/orgs/{orgId}/teams/{teamId}', { params: { path: { orgId, teamId: dialog.item.id } }, body: update }));
              teams.reload();
            }
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'member' && teamId && (
        <FormModal
          title={`Add a member to ${teamId}`}
          fields={[
            { key: 'userId', label: 'User id', type: 'text' },
            { key: 'role', label: 'Role', type: 'select', default: 'member', options: [{ value: 'member', label: 'member' }, { value: 'lead', label: 'lead' }] },
          ]}
          submitLabel="Add"
          onSubmit={async (body) => {
            await unwrap(
              api.PUT('/v1/orgs/{orgId}/teams/{teamId}/members/{userId}', {
                params: { path: { orgId, teamId, userId: String(body.userId) } },
                body: { role: body.role as 'member' | 'lead' },
              }),
            );
            members.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </SpaceBetween>
  );
}

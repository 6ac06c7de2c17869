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
import { channelBody } from '../../lib/channels';

/** Notification channels of the org: email, Slack and signed webhooks, each with the events it receives. */
export default function Channels() {
  const { api } = useConsole();
  const channels = useData(() => unwrap(api.GET('/v1/notification-channels')), [api]);
  const [creating, setCreating] = useState(false);
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={channels.error} header="Channels could not be loaded" />
      <Table<Schemas['NotificationChannel']>
        header={
          <Header variant="h1" description="Where Quartermaster tells people what happened; secrets (Slack URLs, signing secrets) are write-only" actions={<Button onClick={() => setCreating(true)}>Add channel</Button>}>
            Notification channels
          </Header>
        }
        loading={channels.loading && !channels.data}
        items={channels.data?.items ?? []}
        trackBy="id"
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (channel) => channel.name },
          { id: 'kind', header: 'Kind', cell: (channel) => channel.kind },
          { id: 'target', header: 'Target', cell: (channel) => channel.to?.join(', ') ?? channel.url ?? (channel.secretSet ? 'Slack webhook (hidden)' : '–') },
          { id: 'events', header: 'Events', cell: (channel) => channel.subscriptions.map((subscription) => `${subscription.events.join(', ')}${subscription.teamIds ? ` (teams ${subscription.teamIds.join(', ')})` : ''}`).join('; ') },
          { id: 'enabled', header: 'Status', cell: (channel) => <StatusIndicator type={channel.enabled ? 'success' : 'stopped'}>{channel.enabled ? 'enabled' : 'disabled'}</StatusIndicator> },
          {
            id: 'delete',
            header: '',
            cell: (channel) => (
              <Button variant="inline-link" ariaLabel={`Delete ${channel.name}`} onClick={() => void unwrap(api.DELETE('/v1/notification-channels/{id}', { params: { path: { id: channel.id } } })).then(channels.reload)}>
                Delete
              </Button>
            ),
          },
        ]}
        empty={<Box textAlign="center">No channels: add an email list, a Slack channel or a webhook to hear about failed jobs and approvals.</Box>}
      />
      {creating && (
        <FormModal
          title="Add a notification channel"
          fields={[
            {
              key: 'kind',
              label: 'Kind',
              type: 'select',
              default: 'email',
              options: [
                { value: 'email', label: 'Email' },
                { value: 'slack', label: 'Slack (incoming webhook)' },
                { value: 'webhook', label: 'Webhook (Standard Webhooks signature)' },
              ],
            },
            { key: 'name', label: 'Name', type: 'text' },
            { key: 'target', label: 'Recipients or URL', type: 'text', description: 'Email: comma-separated addresses. Slack and webhooks: the https URL' },
            { key: 'secret', label: 'Signing secret (webhooks)', type: 'password', optional: true, description: 'whsec_…: the receiver verifies signatures with it (Standard Webhooks); write-only' },
            { key: 'events', label: 'Events', type: 'text', default: 'job.failed, approval.*', description: 'Comma-separated patterns: job.failed, approval.*, *' },
            { key: 'teams', label: 'Only these teams', type: 'text', optional: true, description: 'Comma-separated team slugs; empty = the whole org' },
          ]}
          submitLabel="Add"
          onSubmit={async (body) => {
            await unwrap(api.POST('/v1/notification-channels', { body: channelBody(body) as Schemas['CreateNotificationChannel'] }));
            channels.reload();
          }}
          onClose={() => setCreating(false)}
        />
      )}
    </SpaceBetween>
  );
}

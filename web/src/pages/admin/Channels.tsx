import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { isShownError, toShownError, unwrap, type ShownError } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ChannelDeliveries, DeliveryStatus } from '../../components/ChannelDeliveries';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { channelBody, channelValues, waitForTestDelivery } from '../../lib/channels';
import type { FieldSpec } from '../../lib/form-body';
import { ListingTable } from '../../components/ListingTable';

type Channel = Schemas['NotificationChannel'];

/** The channel form: adding picks the kind; editing keeps it and leaves write-only URLs and secrets empty (kept unless replaced). */
function channelFields(editing: Channel | undefined): FieldSpec[] {
  const secretKept = editing ? ' (empty keeps the stored one)' : '';
  return [
    {
      key: 'kind',
      label: 'Kind',
      type: 'select',
      default: 'email',
      readOnly: editing !== undefined,
      options: [
        { value: 'email', label: 'Email' },
        { value: 'slack', label: 'Slack (incoming webhook)' },
        { value: 'webhook', label: 'Webhook (Standard Webhooks signature)' },
      ],
    },
    { key: 'name', label: 'Name', type: 'text' },
    ...(editing ? [{ key: 'enabled', label: 'Enabled', type: 'checkbox' as const }] : []),
    { key: 'target', label: 'Recipients or URL', type: 'text', optional: editing !== undefined && editing.kind !== 'email', description: `Email: comma-separated addresses. Slack and webhooks: the https URL${editing?.kind === 'slack' ? secretKept : ''}` },
    ...(editing === undefined || editing.kind === 'webhook'
      ? [{ key: 'secret', label: 'Signing secret (webhooks)', type: 'password' as const, optional: true, description: `whsec_…: the receiver verifies signatures with it (Standard Webhooks); write-only; a new one rotates (both sign for 24 h)${secretKept}` }]
      : []),
    { key: 'events', label: 'Events', type: 'text', default: 'job.failed, approval.*', description: 'Comma-separated patterns: job.failed, approval.*, *' },
    {
      key: 'teams',
      label: 'Only these teams',
      type: 'text',
      optional: true,
      description: `Comma-separated team slugs; empty = the whole org${editing && editing.subscriptions.length > 1 ? `. Saving replaces its ${editing.subscriptions.length} subscriptions with this one` : ''}`,
    },
  ];
}

/**
 * Notification channels of the org: email, Slack and signed webhooks, each with the events it receives; a test
 * message through the real delivery path (queued: the notifier sends it, and the page polls the delivery log for
 * its result), and each channel's delivery log.
 */
export default function Channels() {
  const { api } = useConsole();
  const channels = useData(() => unwrap(api.GET('/v1/notification-channels')), [api]);
  const [dialog, setDialog] = useState<{ channel?: Channel } | undefined>();
  const [log, setLog] = useState<Channel | undefined>();
  // The last test of each channel on this page: asked for, queued (the notifier delivers it), its delivery record,
  // no outcome in time, or the API's refusal.
  const [tests, setTests] = useState<Record<string, 'sending' | 'queued' | 'no-outcome' | Schemas['NotificationDelivery'] | ShownError>>({});
  const sendTest = async (channel: Channel): Promise<void> => {
    const show = (test: (typeof tests)[string]) => setTests((current) => ({ ...current, [channel.id]: test }));
    show('sending');
    try {
      const accepted = await unwrap(api.POST('/v1/notification-channels/{id}/test', { params: { path: { id: channel.id } } }));
      show('queued');
      const readLog = () => unwrap(api.GET('/v1/notification-channels/{id}/deliveries', { params: { path: { id: channel.id }, query: {} } }));
      const { delivery } = await waitForTestDelivery(readLog, accepted.eventId);
      show(delivery ?? 'no-outcome');
    } catch (reason) {
      show(isShownError(reason) ? reason : toShownError(undefined));
    }
  };
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={channels.error} header="Channels could not be loaded" />
      <ListingTable<Channel>
        title="Notification channels"
        description="Where Quartermaster tells people what happened; secrets (Slack URLs, signing secrets) are write-only"
        actions={<Button onClick={() => setDialog({})}>Add channel</Button>}
        listing={channels}
        trackBy="id"
        wrapLines
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (channel) => channel.name },
          { id: 'kind', header: 'Kind', cell: (channel) => channel.kind },
          { id: 'target', header: 'Target', cell: (channel) => channel.to?.join(', ') ?? channel.url ?? (channel.secretSet ? 'Slack webhook (hidden)' : '–') },
          { id: 'events', header: 'Events', cell: (channel) => channel.subscriptions.map((subscription) => `${subscription.events.join(', ')}${subscription.teamIds ? ` (teams ${subscription.teamIds.join(', ')})` : ''}`).join('; ') },
          { id: 'enabled', header: 'Status', minWidth: 120, cell: (channel) => <StatusIndicator type={channel.enabled ? 'success' : 'stopped'}>{channel.enabled ? 'enabled' : 'disabled'}</StatusIndicator> },
          {
            id: 'test',
            header: 'Test',
            minWidth: 170,
            cell: (channel) => {
              const test = tests[channel.id];
              return (
                <SpaceBetween size="xxs">
                  <Button variant="inline-link" ariaLabel={`Send test to ${channel.name}`} loading={test === 'sending' || test === 'queued'} onClick={() => void sendTest(channel)}>
                    Send test
                  </Button>
                  {test === 'queued' && <StatusIndicator type="pending">queued</StatusIndicator>}
                  {test === 'no-outcome' && <StatusIndicator type="warning">no outcome yet: see the delivery log</StatusIndicator>}
                  {typeof test === 'object' && ('code' in test ? <StatusIndicator type="error">{test.message}</StatusIndicator> : <DeliveryStatus delivery={test} />)}
                </SpaceBetween>
              );
            },
          },
          {
            id: 'actions',
            header: '',
            cell: (channel) => (
              <ButtonDropdown
                variant="inline-icon"
                ariaLabel={`Actions for ${channel.name}`}
                items={[
                  { id: 'edit', text: 'Edit' },
                  { id: 'deliveries', text: 'Delivery log' },
                  { id: 'delete', text: 'Delete' },
                ]}
                onItemClick={({ detail }) => {
                  if (detail.id === 'edit') setDialog({ channel });
                  else if (detail.id === 'deliveries') setLog(channel);
                  else void unwrap(api.DELETE('/v1/notification-channels/{id}', { params: { path: { id: channel.id } } })).then(channels.reload, channels.reload);
                }}
              />
            ),
          },
        ]}
        empty={<Box textAlign="center">No channels: add an email list, a Slack channel or a webhook to hear about failed jobs and approvals.</Box>}
      />
      {log && <ChannelDeliveries channel={log} onClose={() => setLog(undefined)} />}
      {dialog && (
        <FormModal
          title={dialog.channel ? `Edit ${dialog.channel.name}` : 'Add a notification channel'}
          fields={channelFields(dialog.channel)}
          initial={dialog.channel ? channelValues(dialog.channel) : {}}
          submitLabel={dialog.channel ? 'Save' : 'Add'}
          onSubmit={async (body) => {
            const { channel } = dialog;
            if (channel) await unwrap(api.PUT('/v1/notification-channels/{id}', { params: { path: { id: channel.id } }, body: channelBody({ ...body, kind: channel.kind }) as Schemas['ReplaceNotificationChannel'] }));
            else await unwrap(api.POST('/v1/notification-channels', { body: channelBody(body) as Schemas['CreateNotificationChannel'] }));
            channels.reload();
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </SpaceBetween>
  );
}

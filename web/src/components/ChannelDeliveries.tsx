import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { Schemas } from '../api/client';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { deliveryText } from '../lib/channels';
import { ErrorAlert } from './ErrorAlert';

type Delivery = Schemas['NotificationDelivery'];

export function DeliveryStatus({ delivery }: { delivery: Delivery }) {
  return <StatusIndicator type={delivery.status === 'delivered' ? 'success' : delivery.status === 'failed' ? 'error' : 'in-progress'}>{deliveryText(delivery)}</StatusIndicator>;
}

/** A channel's delivery log (`GET /v1/notification-channels/{id}/deliveries`), newest first, page by page. */
export function ChannelDeliveries({ channel, onClose }: { channel: Schemas['NotificationChannel']; onClose: () => void }) {
  const { api } = useConsole();
  const [cursor, setCursor] = useState<string | undefined>();
  const [earlier, setEarlier] = useState<Delivery[]>([]);
  const page = useData(
    () => unwrap(api.GET('/v1/notification-channels/{id}/deliveries', { params: { path: { id: channel.id }, query: cursor ? { cursor } : {} } })),
    [api, channel.id, cursor],
  );
  const items = [...earlier, ...(page.data?.items ?? [])];
  return (
    <Modal visible size="large" header={`Deliveries of ${channel.name}`} onDismiss={onClose} footer={<Box float="right"><Button onClick={onClose}>Close</Button></Box>}>
      <ErrorAlert error={page.error} header="The delivery log could not be loaded" />
      <Table<Delivery>
        variant="embedded"
        loading={page.loading && items.length === 0}
        items={items}
        trackBy="eventId"
        wrapLines
        columnDefinitions={[
          { id: 'event', header: 'Event', cell: (delivery) => delivery.eventType },
          { id: 'status', header: 'Result', cell: (delivery) => <DeliveryStatus delivery={delivery} /> },
          { id: 'attempt', header: 'Attempts', cell: (delivery) => delivery.attempt },
          { id: 'at', header: 'Last attempt', cell: (delivery) => new Date(delivery.lastAttemptAt).toLocaleString() },
        ]}
        empty={<Box textAlign="center">Nothing delivered yet. Send a test to see the channel work.</Box>}
      />
      {page.data?.nextCursor && (
        <Button
          onClick={() => {
            setEarlier(items);
            setCursor(page.data?.nextCursor);
          }}
        >
          Older deliveries
        </Button>
      )}
    </Modal>
  );
}

import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { Schemas } from '../api/client';
import { isShownError, unwrap, type ShownError } from '../api/errors';
import { useConsole } from '../app/context';
import { followLink } from '../app/router';
import { useData } from '../app/use-data';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormModal } from '../components/FormModal';
import { formatRelative, estimateBasisText } from '../lib/format';

type Scope = 'own' | 'team' | 'org';
type QueueItem = Schemas['QueueView']['items'][number];

/**
 * The queue as the caller may see it: place in the org's admission order, why each job waits and when it
 * should start (an estimate, with its basis). Queue managers pause and resume admission, move a job to
 * the front, and set fair-share half-life, aging and team weights.
 */
export default function Queue() {
  const { api, can, me, notify } = useConsole();
  const [scope, setScope] = useState<Scope>(can('job.view.all') ? (me.level === 'admin' || me.platformAdmin ? 'org' : 'team') : 'own');
  const queue = useData(() => unwrap(api.GET('/v1/queue', { params: { query: { scope } } })), [api, scope], { refreshMs: 5000 });
  const manage = can('queue.manage');
  const [editing, setEditing] = useState<Schemas['SchedulingSettings'] | undefined>();
  const [error, setError] = useState<ShownError | undefined>();

  const act = async (what: () => Promise<unknown>, done: string): Promise<void> => {
    setError(undefined);
    try {
      await what();
      notify({ type: 'success', content: done });
      queue.reload();
    } catch (reason) {
      setError(isShownError(reason) ? reason : undefined);
    }
  };

  const paused = queue.data?.paused ?? false;
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={queue.error ?? error} />
      <Table<QueueItem>
        header={
          <Header
            variant="h1"
            counter={queue.data ? `(${queue.data.total})` : undefined}
            description={paused ? 'Admission is paused for the org: queued jobs wait until it resumes' : 'Order: priority class (with aging), then fair share, then submission time'}
            actions={
              manage && (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button onClick={() => void unwrap(api.GET('/v1/queue/settings')).then(setEditing)}>Scheduling settings</Button>
                  {paused ? (
                    <Button onClick={() => void act(() => unwrap(api.POST('/v1/queue/resume', { body: {} })), 'Admission resumed')}>Resume admission</Button>
                  ) : (
                    <Button onClick={() => void act(() => unwrap(api.POST('/v1/queue/pause', { body: {} })), 'Admission paused')}>Pause admission</Button>
                  )}
                </SpaceBetween>
              )
            }
          >
            Queue
          </Header>
        }
        filter={
          <SegmentedControl
            label="Whose jobs"
            selectedId={scope}
            onChange={({ detail }) => setScope(detail.selectedId as Scope)}
            options={[
              { id: 'own', text: 'Mine' },
              ...(can('job.view.all') ? [{ id: 'team', text: 'My teams' }] : []),
              ...(can('job.view.all') && (me.level === 'admin' || me.platformAdmin) ? [{ id: 'org', text: 'Org' }] : []),
            ]}
          />
        }
        loading={queue.loading && !queue.data}
        items={queue.data?.items ?? []}
        trackBy="rank"
        wrapLines
        columnDefinitions={[
          { id: 'rank', header: 'Place', cell: (item) => item.rank },
          {
            id: 'job',
            header: 'Job',
            cell: (item) =>
              item.anonymized || !item.id ? (
                <Box color="text-status-inactive">another user's job</Box>
              ) : (
                <Link href={`/jobs/${item.id}`} onFollow={followLink}>
                  {item.name ?? item.id}
                </Link>
              ),
          },
          { id: 'owner', header: 'Owner', cell: (item) => item.ownerId ?? '–' },
          { id: 'team', header: 'Team', cell: (item) => item.teamId ?? '–' },
          { id: 'priority', header: 'Priority (with aging)', cell: (item) => (item.effectivePriority === undefined ? '–' : Math.round(item.effectivePriority * 10) / 10) },
          {
            id: 'why',
            header: 'Why waiting',
            cell: (item) => (item.waiting?.code === 'queue_paused' ? <StatusIndicator type="stopped">{item.waiting.message}</StatusIndicator> : (item.waiting?.message ?? '–')),
          },
          {
            id: 'eta',
            header: 'Estimated start',
            // The basis says what the estimate rests on (a budget reset, the max runtimes of the jobs ahead): shown, not hidden.
            cell: (item) =>
              item.waiting?.estimatedStart ? (
                <>
                  <div>{formatRelative(item.waiting.estimatedStart.at)} (estimate)</div>
                  <Box variant="small" color="text-body-secondary">
                    {estimateBasisText(item.waiting.estimatedStart)}
                  </Box>
                </>
              ) : (
                '–'
              ),
          },
          {
            id: 'front',
            header: '',
            cell: (item) =>
              manage &&
              item.id &&
              !item.anonymized && (
                <Button variant="inline-link" onClick={() => void act(() => unwrap(api.POST('/v1/queue/jobs/{id}/front', { params: { path: { id: item.id as string } } })), `${item.name ?? item.id} moved to the front`)}>
                  Move to front
                </Button>
              ),
          },
        ]}
        empty={<Box textAlign="center">Nothing is waiting.</Box>}
      />
      {editing && (
        <FormModal
          title="Scheduling settings"
          fields={[
            { key: 'halfLifeHours', label: 'Fair-share half-life (hours)', type: 'number', description: 'How fast past GPU usage stops counting against a team' },
            { key: 'agingMinutes', label: 'Aging step (minutes)', type: 'number', description: 'Every step waited raises a job one priority point, so nothing starves' },
            { key: 'teamWeights', label: 'Team weights (JSON)', type: 'json', description: 'e.g. {"vision": 2, "nlp": 1}; equal when empty', optional: true },
          ]}
          initial={{ halfLifeHours: String(editing.halfLifeHours), agingMinutes: String(editing.agingMinutes), teamWeights: JSON.stringify(editing.teamWeights) }}
          onSubmit={async (body) => {
            await unwrap(api.PUT('/v1/queue/settings', { body: body as Schemas['SchedulingSettingsInput'] }));
            queue.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </SpaceBetween>
  );
}

import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { Schemas } from '../api/client';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { followLink, navigate } from '../app/router';
import { useData } from '../app/use-data';
import { ErrorAlert } from '../components/ErrorAlert';
import { JobState } from '../components/JobState';
import { formatRelative, formatUsd, TERMINAL_STATES, estimateBasisText } from '../lib/format';

type Filter = 'all' | 'active' | 'ended';

/** My jobs, newest first: state, why waiting, cost; refreshes while any job is still moving. */
export default function MyJobs() {
  const { api, can } = useConsole();
  const [filter, setFilter] = useState<Filter>('all');
  const jobs = useData(() => unwrap(api.GET('/v1/jobs', { params: { query: { limit: 100 } } })), [api], {
    refreshMs: 3000,
    keepPolling: (list) => list.items.some((job) => !TERMINAL_STATES.has(job.state)),
  });
  const items = (jobs.data?.items ?? []).filter((job) => filter === 'all' || (filter === 'active') !== TERMINAL_STATES.has(job.state));

  return (
    <SpaceBetween size="l">
      <ErrorAlert error={jobs.error} header="Jobs could not be loaded" />
      <Table<Schemas['Job']>
        header={
          <Header
            variant="h1"
            counter={jobs.data ? `(${items.length})` : undefined}
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" ariaLabel="Refresh" onClick={jobs.reload} />
                {can('job.submit') && (
                  <Button variant="primary" onClick={() => navigate('/submit')}>
                    Submit a job
                  </Button>
                )}
              </SpaceBetween>
            }
          >
            My jobs
          </Header>
        }
        filter={
          <SegmentedControl
            label="Show"
            selectedId={filter}
            onChange={({ detail }) => setFilter(detail.selectedId as Filter)}
            options={[
              { id: 'all', text: 'All' },
              { id: 'active', text: 'Active' },
              { id: 'ended', text: 'Ended' },
            ]}
          />
        }
        loading={jobs.loading && !jobs.data}
        loadingText="Loading jobs"
        items={items}
        trackBy="id"
        columnDefinitions={[
          {
            id: 'name',
            header: 'Name',
            cell: (job) => (
              <Link href={`/jobs/${job.id}`} onFollow={followLink}>
                {job.name}
              </Link>
            ),
          },
          { id: 'state', header: 'State', cell: (job) => <JobState state={job.state} /> },
          { id: 'waiting', header: 'Why waiting', cell: (job) => job.waiting?.message ?? (job.stateReason || '–') },
          {
            id: 'eta',
            header: 'Estimated start',
            cell: (job) => (job.waiting?.estimatedStart ? <span title={estimateBasisText(job.waiting.estimatedStart)}>{formatRelative(job.waiting.estimatedStart.at)} (estimate)</span> : '–'),
          },
          { id: 'hardware', header: 'Hardware', cell: (job) => job.hardwareType },
          { id: 'cost', header: 'Estimate', cell: (job) => (job.estimatedCostUsd === undefined ? '–' : formatUsd(job.estimatedCostUsd)) },
          { id: 'created', header: 'Submitted', cell: (job) => formatRelative(job.createdAt) },
        ]}
        empty={
          <Box textAlign="center" color="inherit">
            <SpaceBetween size="s">
              <b>No jobs yet</b>
              <Box variant="p" color="inherit">
                {can('job.submit') ? 'Submit your first job: pick hardware, an image and a command.' : 'Jobs you run appear here.'}
              </Box>
              {can('job.submit') && <Button onClick={() => navigate('/submit')}>Submit a job</Button>}
            </SpaceBetween>
          </Box>
        }
      />
    </SpaceBetween>
  );
}

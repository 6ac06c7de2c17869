import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { isShownError, unwrap, type ShownError } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { ErrorAlert } from '../components/ErrorAlert';
import { joinCommand } from '../lib/argv';
import { JobState } from '../components/JobState';
import { estimateCost, formatDuration, formatRelative, formatUsd, TERMINAL_STATES, estimateBasisText } from '../lib/format';

/** One job: state timeline, why it waits, cost so far, logs that follow a running job, cancel. */
export default function JobPage({ jobId }: { jobId: string }) {
  const { api, me, can, notify } = useConsole();
  const job = useData(() => unwrap(api.GET('/v1/jobs/{id}', { params: { path: { id: jobId } } })), [api, jobId], {
    refreshMs: 2000,
    keepPolling: (current) => !TERMINAL_STATES.has(current.state),
  });
  const logs = useData(() => unwrap(api.GET('/v1/jobs/{id}/logs', { params: { path: { id: jobId } } })), [api, jobId], {
    refreshMs: 2000,
    keepPolling: (current) => !current.complete,
  });
  const [cancelError, setCancelError] = useState<ShownError | undefined>();
  const [cancelling, setCancelling] = useState(false);

  if (job.error) return <ErrorAlert error={job.error} header="This job could not be loaded" />;
  const current = job.data;
  if (!current) return <Box>Loading…</Box>;

  const ended = TERMINAL_STATES.has(current.state);
  const mayCancel = !ended && (current.ownerId === me.id ? can('job.cancel.own') : can('job.cancel.all'));
  const started = current.startedAt ? Date.parse(current.startedAt) : undefined;
  const runMs = started ? (current.endedAt ? Date.parse(current.endedAt) : Date.now()) - started : 0;
  const pricePerHour = current.estimatedCostUsd !== undefined && current.maxRuntimeMinutes > 0 ? current.estimatedCostUsd / (current.maxRuntimeMinutes / 60) : undefined;
  const costSoFar = pricePerHour === undefined ? undefined : estimateCost(runMs / 60_000, pricePerHour);

  const cancel = async (): Promise<void> => {
    setCancelling(true);
    setCancelError(undefined);
    try {
      await unwrap(api.POST('/v1/jobs/{id}/cancel', { params: { path: { id: jobId } } }));
      notify({ type: 'success', content: `Job ${current.name} cancelled` });
      job.reload();
    } catch (reason) {
      setCancelError(isShownError(reason) ? reason : undefined);
    } finally {
      setCancelling(false);
    }
  };

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={current.id}
        actions={
          mayCancel && (
            <Button onClick={() => void cancel()} loading={cancelling}>
              Cancel job
            </Button>
          )
        }
      >
        {current.name}
      </Header>
      <ErrorAlert error={cancelError} header="The job could not be cancelled" />
      <Container header={<Header variant="h2">Overview</Header>}>
        <ColumnLayout columns={4} variant="text-grid">
          <Field label="State">
            <JobState state={current.state} />
          </Field>
          <Field label="Why">{current.waiting?.message ?? current.stateReason ?? '–'}</Field>
          {current.waiting?.estimatedStart && (
            <Field label="Estimated start">
              {formatRelative(current.waiting.estimatedStart.at)} ({estimateBasisText(current.waiting.estimatedStart)})
            </Field>
          )}
          <Field label="Hardware">{current.hardwareType}</Field>
          <Field label="Backend">{current.backend ?? 'any allowed'}</Field>
          <Field label="Estimate (max runtime)">{current.estimatedCostUsd === undefined ? '–' : formatUsd(current.estimatedCostUsd)}</Field>
          <Field label="Cost so far">{costSoFar === undefined ? '–' : formatUsd(costSoFar)}</Field>
          <Field label="Runtime">{started ? `${formatDuration(runMs)} of ${current.maxRuntimeMinutes}m` : `max ${current.maxRuntimeMinutes}m`}</Field>
          <Field label="Exit code">{current.exitCode ?? '–'}</Field>
          <Field label="Image">{current.image}</Field>
          <Field label="Command">
            <code>{joinCommand([...(current.command ?? []), ...(current.args ?? [])]) || '–'}</code>
          </Field>
          <Field label="Team">{current.teamId ?? '–'}</Field>
          <Field label="Owner">{current.ownerId}</Field>
        </ColumnLayout>
      </Container>
      <Table
        header={<Header variant="h2">Timeline</Header>}
        items={current.history ?? []}
        columnDefinitions={[
          { id: 'state', header: 'State', cell: (entry) => <JobState state={entry.state} /> },
          { id: 'at', header: 'At', cell: (entry) => new Date(entry.at).toLocaleString() },
        ]}
        variant="container"
      />
      <Container header={<Header variant="h2" description={logs.data?.complete ? 'Complete' : 'Following while the job runs'}>Logs</Header>}>
        <ErrorAlert error={logs.error} header="Logs could not be read" />
        <pre data-testid="job-logs" style={{ maxHeight: 480, overflow: 'auto', margin: 0, whiteSpace: 'pre-wrap' }}>
          {(logs.data?.lines ?? []).map((line) => line.message).join('\n') || 'No output yet.'}
        </pre>
      </Container>
    </SpaceBetween>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Box variant="awsui-key-label">{label}</Box>
      <div>{children}</div>
    </div>
  );
}

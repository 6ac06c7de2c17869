import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { unwrap } from '../../api/errors';
import { useConsole } from '../../app/context';
import { useData } from '../../app/use-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatRelative } from '../../lib/format';

const LOOK: Record<string, StatusIndicatorProps.Type> = { ok: 'success', healthy: 'success', degraded: 'warning', unhealthy: 'error', unreachable: 'error', fail: 'error' };

/** Deep health (`GET /health`): the table and every cluster this admin may see, each checked now, with its latency. */
export default function SystemHealth() {
  const { api } = useConsole();
  const health = useData(() => unwrap(api.GET('/health')), [api]);
  const data = health.data;
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description="Checked when you open or refresh this page: DynamoDB, and each enabled cluster your org may use (each with a time bound)"
        actions={
          <Button iconName="refresh" loading={health.loading} onClick={health.reload}>
            Check again
          </Button>
        }
      >
        System health
      </Header>
      <ErrorAlert error={health.error} header="Health could not be checked" />
      <Container header={<Header variant="h2">Overall</Header>}>
        <ColumnLayout columns={3} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">Status</Box>
            {data ? <StatusIndicator type={LOOK[data.status] ?? 'info'}>{data.status}</StatusIndicator> : '–'}
          </div>
          <div>
            <Box variant="awsui-key-label">DynamoDB</Box>
            {data ? (
              <StatusIndicator type={LOOK[data.checks.dynamodb.status] ?? 'info'}>
                {data.checks.dynamodb.status} · {Math.round(data.checks.dynamodb.latencyMs)} ms
              </StatusIndicator>
            ) : (
              '–'
            )}
          </div>
          <div>
            <Box variant="awsui-key-label">Checked</Box>
            {data ? formatRelative(data.checkedAt) : '–'}
          </div>
        </ColumnLayout>
      </Container>
      <Table
        header={<Header variant="h2">Clusters</Header>}
        variant="container"
        loading={health.loading && !data}
        items={data?.clusters ?? []}
        trackBy="cluster"
        wrapLines
        columnDefinitions={[
          { id: 'cluster', header: 'Cluster', cell: (check) => check.cluster },
          { id: 'status', header: 'Status', cell: (check) => <StatusIndicator type={LOOK[check.status] ?? 'info'}>{check.status}</StatusIndicator> },
          { id: 'version', header: 'Kubernetes', cell: (check) => check.version ?? '–' },
          { id: 'latency', header: 'Latency', cell: (check) => `${Math.round(check.latencyMs)} ms` },
          { id: 'message', header: 'Detail', cell: (check) => check.message ?? '–' },
        ]}
        empty={<Box textAlign="center">No cluster to check: jobs run on ECS (or the local backend). Clusters lists the registered ones.</Box>}
      />
    </SpaceBetween>
  );
}

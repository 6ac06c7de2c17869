import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { formatGpuHours, formatUsd } from '../lib/format';
import { ErrorAlert } from './ErrorAlert';

/** The org's cost limits per backend (`GET /v1/cost-limits/status`): this period's use, reservations included, against each. */
export function CostLimits() {
  const { api } = useConsole();
  const status = useData(() => unwrap(api.GET('/v1/cost-limits/status')), [api]);
  const format = (metric: string, value: number) => (metric === 'cost_usd' ? formatUsd(value) : metric === 'gpu_hours' ? formatGpuHours(value) : String(value));
  return (
    <>
      <ErrorAlert error={status.error} header="Cost limits could not be loaded" />
      <Table
        header={
          <Header variant="h2" description="Quotas of scope backend: what each backend may spend per period, running jobs' reservations included">
            Cost limits per backend
          </Header>
        }
        variant="container"
        loading={status.loading && !status.data}
        items={status.data?.items ?? []}
        trackBy="quotaId"
        columnDefinitions={[
          { id: 'backend', header: 'Backend', cell: (row) => row.backend },
          { id: 'metric', header: 'Metric', cell: (row) => `${row.metric} / ${row.period}` },
          {
            id: 'used',
            header: 'Used',
            cell: (row) => (
              <ProgressBar
                value={Math.min(100, row.percent)}
                additionalInfo={`${format(row.metric, row.used)} of ${format(row.metric, row.limit)} (${row.percent} %)`}
                status={row.status === 'exceeded' ? 'error' : 'in-progress'}
                ariaLabel={`${row.backend} ${row.metric} used`}
              />
            ),
          },
          {
            id: 'status',
            header: 'Status',
            cell: (row) => <StatusIndicator type={row.status === 'ok' ? 'success' : row.status === 'warning' ? 'warning' : 'error'}>{row.status}</StatusIndicator>,
          },
          { id: 'action', header: 'When full', cell: (row) => row.action },
          { id: 'resets', header: 'Resets', cell: (row) => new Date(row.resetsAt).toLocaleString() },
        ]}
        empty={<Box textAlign="center">No cost limit per backend. Create a quota of scope backend (e.g. ecs, cost_usd per month) to cap what a backend spends.</Box>}
      />
    </>
  );
}

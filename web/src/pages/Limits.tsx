import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { ErrorAlert } from '../components/ErrorAlert';
import { BudgetBurn } from '../components/BudgetBurn';
import { UsageChart } from '../components/UsageChart';
import { budgetsOf } from '../lib/burn';

const METRIC_LABEL: Record<string, string> = {
  concurrent_jobs: 'Concurrent jobs',
  concurrent_gpus: 'Concurrent GPUs',
  gpu_hours: 'GPU-hours',
  cost_usd: 'Cost (USD)',
  daily_jobs: 'Jobs per day',
};

/** Every limit that applies to me, how much is used, and the effective headroom per metric. */
export default function Limits() {
  const { api } = useConsole();
  const limits = useData(() => unwrap(api.GET('/v1/me/limits')), [api]);
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="The smallest headroom of all limits that apply to you is what you can use">
        Limits and usage
      </Header>
      <ErrorAlert error={limits.error} header="Limits could not be loaded" />
      <Table
        header={<Header variant="h2">Headroom</Header>}
        variant="container"
        loading={limits.loading && !limits.data}
        items={limits.data?.effective ?? []}
        columnDefinitions={[
          { id: 'metric', header: 'Metric', cell: (row) => `${METRIC_LABEL[row.metric] ?? row.metric}${row.period ? ` per ${row.period}` : ''}` },
          { id: 'headroom', header: 'You can still use', cell: (row) => Math.round(row.headroom * 100) / 100 },
          { id: 'bound', header: 'Bound by', cell: (row) => row.boundBy },
        ]}
        empty={<Box textAlign="center">No limits apply to you.</Box>}
      />
      <Table
        header={<Header variant="h2">Every limit that applies</Header>}
        variant="container"
        items={limits.data?.limits ?? []}
        columnDefinitions={[
          { id: 'scope', header: 'Scope', cell: (row) => `${row.scopeType} ${row.scopeId}` },
          { id: 'metric', header: 'Metric', cell: (row) => `${METRIC_LABEL[row.metric] ?? row.metric}${row.period ? ` / ${row.period}` : ''}` },
          {
            id: 'used',
            header: 'Used',
            cell: (row) => (
              <ProgressBar
                value={row.limit > 0 ? Math.min(100, (row.used / row.limit) * 100) : 100}
                additionalInfo={`${Math.round(row.used * 100) / 100} of ${row.limit}`}
                status={row.used >= row.limit && row.action === 'block' ? 'error' : 'in-progress'}
                ariaLabel={`${row.metric} used`}
              />
            ),
          },
          { id: 'action', header: 'When full', cell: (row) => row.action },
          { id: 'resets', header: 'Resets', cell: (row) => (row.resetsAt ? new Date(row.resetsAt).toLocaleString() : '–') },
        ]}
      />
      <UsageChart scopeType="user" title="My usage" />
      {/* My own budgets: user quotas and the per-user limits of my level (team and org budgets are the lead's and admin's view). */}
      <BudgetBurn scopeType="user" title="My budget burn" budgets={budgetsOf((limits.data?.limits ?? []).filter((limit) => limit.scopeType === 'user' || limit.scopeType === 'level'))} />
    </SpaceBetween>
  );
}

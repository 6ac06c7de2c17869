import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import LineChart from '@cloudscape-design/components/line-chart';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { budgetStandings, burnRangeStart, monthBurn, type Budget } from '../lib/burn';
import { isoDay } from '../lib/dates';
import { formatGpuHours, formatUsd } from '../lib/format';
import { ErrorAlert } from './ErrorAlert';

const METRICS = [
  { metric: 'gpu_hours', label: 'GPU-hours', format: formatGpuHours },
  { metric: 'cost_usd', label: 'Cost', format: formatUsd },
] as const;

/**
 * GPU-hours and cost burned this month by one scope (me, a team, the org), cumulative per day with the
 * month-end forecast at this pace, against its monthly budgets (threshold lines); every budget of the scope
 * (day, week, month) with how much of it this period has used. Settled usage (`/v1/usage`): a running job's
 * reservation counts against the budget at admission already (see Limits and usage).
 */
export function BudgetBurn({ scopeType, scopeId, title, budgets }: { scopeType: 'org' | 'team' | 'user'; scopeId?: string; title: string; budgets: readonly Budget[] }) {
  const { api } = useConsole();
  const now = new Date();
  const from = burnRangeStart(budgets, now);
  const to = isoDay(now);
  const usage = useData(
    () => unwrap(api.GET('/v1/usage', { params: { query: { scopeType, ...(scopeId ? { scopeId } : {}), from, to } } })),
    [api, scopeType, scopeId, from, to],
  );
  const days = usage.data?.days ?? [];
  const standings = budgetStandings(budgets, days, now);
  const month = now.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });

  return (
    <Container
      header={
        <Header variant="h2" description={budgets.length === 0 ? 'No GPU-hours or cost budget set for this scope: Quotas and budgets sets one.' : `Burn this month against ${budgets.length === 1 ? 'its budget' : `its ${budgets.length} budgets`}`}>
          {title}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <ErrorAlert error={usage.error} header="Usage could not be loaded" />
        {standings.length > 0 && (
          <ColumnLayout columns={Math.min(3, standings.length)} variant="text-grid">
            {standings.map(({ budget, used, percent, status }) => {
              const format = budget.metric === 'gpu_hours' ? formatGpuHours : formatUsd;
              return (
                <ProgressBar
                  key={`${budget.metric}-${budget.period}-${budget.limit}`}
                  label={`${budget.metric === 'gpu_hours' ? 'GPU-hours' : 'Cost'} this ${budget.period}`}
                  value={Math.min(100, percent)}
                  description={`${budget.action} at ${format(budget.limit)}`}
                  additionalInfo={`${format(used)} of ${format(budget.limit)} (${percent} %)`}
                  status={status === 'exceeded' ? 'error' : 'in-progress'}
                />
              );
            })}
          </ColumnLayout>
        )}
        <ColumnLayout columns={2}>
          {METRICS.map(({ metric, label, format }) => {
            const points = monthBurn(days, metric, now);
            const monthly = budgets.filter((budget) => budget.metric === metric && budget.period === 'month');
            const forecast = points.at(-1)?.forecast ?? 0;
            return (
              <SpaceBetween key={metric} size="s">
                <div>
                  <Box variant="h3">
                    {label} in {month}
                  </Box>
                  <Box variant="small" color="text-body-secondary">
                    At this pace: {format(forecast)} by the month's end
                    {monthly.length > 0 && ` (monthly budget ${format(Math.min(...monthly.map((budget) => budget.limit)))})`}
                  </Box>
                </div>
                <LineChart
                  series={[
                    { title: `${label} so far`, type: 'line', data: points.flatMap((point) => (point.actual === undefined ? [] : [{ x: point.day.slice(5), y: point.actual }])), valueFormatter: (value: number) => format(value) },
                    { title: 'Forecast at this pace', type: 'line', data: points.flatMap((point) => (point.forecast === undefined ? [] : [{ x: point.day.slice(5), y: point.forecast }])), valueFormatter: (value: number) => format(value) },
                    ...monthly.map((budget) => ({ title: `Budget (${budget.action})`, type: 'threshold' as const, y: budget.limit, valueFormatter: (value: number) => format(value) })),
                  ]}
                  xDomain={points.map((point) => point.day.slice(5))}
                  xScaleType="categorical"
                  height={180}
                  hideFilter
                  statusType={usage.loading && !usage.data ? 'loading' : 'finished'}
                  ariaLabel={`${title}: ${label} burned in ${month} against budget`}
                  i18nStrings={{ xTickFormatter: (value) => (value.endsWith('01') || value.endsWith('15') ? value : '') }}
                  empty={<Box textAlign="center">No usage this month</Box>}
                />
              </SpaceBetween>
            );
          })}
        </ColumnLayout>
      </SpaceBetween>
    </Container>
  );
}

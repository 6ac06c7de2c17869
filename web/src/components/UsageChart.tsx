import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { fillDays, lastDays } from '../lib/dates';
import { formatGpuHours, formatUsd } from '../lib/format';
import { ErrorAlert } from './ErrorAlert';

/** Axis ticks readable at any scale: 120, 4.5, 0.03 (never a column of identical 0.0 for small values). */
const tick = (value: number): string => (value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : String(Number(value.toPrecision(2))));

/** GPU-hours and cost per day of one scope (me, a team, the org) over the last 30 days. */
export function UsageChart({ scopeType, scopeId, title }: { scopeType: 'org' | 'team' | 'user'; scopeId?: string; title: string }) {
  const { api } = useConsole();
  const range = lastDays(30);
  const usage = useData(
    () => unwrap(api.GET('/v1/usage', { params: { query: { scopeType, ...(scopeId ? { scopeId } : {}), from: range.from, to: range.to } } })),
    [api, scopeType, scopeId, range.from],
  );
  const days = fillDays(range, usage.data?.days ?? [], (day) => ({ day, gpuHours: 0, costUsd: 0, jobs: 0 }));
  const total = usage.data?.total;
  return (
    <Container
      header={
        <Header variant="h2" description={total ? `${formatGpuHours(total.gpuHours)} · ${formatUsd(total.costUsd)} · ${total.jobs} jobs in 30 days` : undefined}>
          {title}
        </Header>
      }
    >
      <ErrorAlert error={usage.error} header="Usage could not be loaded" />
      <BarChart
        series={[{ title: 'GPU-hours', type: 'bar', data: days.map((day) => ({ x: day.day.slice(5), y: day.gpuHours })) }]}
        xScaleType="categorical"
        height={200}
        hideFilter
        statusType={usage.loading ? 'loading' : 'finished'}
        ariaLabel={`${title}: GPU-hours per day`}
        empty={<Box textAlign="center">No usage in the last 30 days</Box>}
        i18nStrings={{ yTickFormatter: tick }}
      />
    </Container>
  );
}

import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { unwrap } from '../api/errors';
import { useConsole } from '../app/context';
import { useData } from '../app/use-data';
import { BudgetBurn } from '../components/BudgetBurn';
import { UsageChart } from '../components/UsageChart';
import { budgetsOf } from '../lib/burn';

/** A lead's view of their teams: usage per team over the last 30 days, and this month's burn against the team's budgets. */
export default function TeamJobs() {
  const { api, me, can } = useConsole();
  // Budgets are quotas (org.view); without it the burn is shown without its thresholds.
  const quotas = useData(() => (can('org.view') ? unwrap(api.GET('/v1/quotas')) : Promise.resolve({ items: [] })), [api]);
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="GPU-hours per day of each team you belong to, and this month's burn against its budgets">
        Team usage
      </Header>
      {me.teamIds.length === 0 && <Box>You are not in a team yet.</Box>}
      {me.teamIds.map((teamId) => (
        <SpaceBetween key={teamId} size="m">
          <UsageChart scopeType="team" scopeId={teamId} title={`Team ${teamId}`} />
          <BudgetBurn
            scopeType="team"
            scopeId={teamId}
            title={`Team ${teamId}: budget burn`}
            budgets={budgetsOf((quotas.data?.items ?? []).filter((quota) => quota.scopeType === 'team' && quota.scopeId === teamId))}
          />
        </SpaceBetween>
      ))}
    </SpaceBetween>
  );
}

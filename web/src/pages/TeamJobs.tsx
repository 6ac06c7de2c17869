import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useConsole } from '../app/context';
import { UsageChart } from '../components/UsageChart';

/** A lead's view of their teams: usage per team over the last 30 days. */
export default function TeamJobs() {
  const { me } = useConsole();
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="GPU-hours per day of each team you belong to">
        Team usage
      </Header>
      {me.teamIds.length === 0 && <Box>You are not in a team yet.</Box>}
      {me.teamIds.map((teamId) => (
        <UsageChart key={teamId} scopeType="team" scopeId={teamId} title={`Team ${teamId}`} />
      ))}
    </SpaceBetween>
  );
}

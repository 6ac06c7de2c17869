import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { jobStatusKind } from '../lib/format';

export function JobState({ state }: { state: string }) {
  return <StatusIndicator type={jobStatusKind(state)}>{state.replace(/_/g, ' ')}</StatusIndicator>;
}

import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { unwrap } from '../../api/errors';
import { useConsole } from '../../app/context';
import { followLink } from '../../app/router';
import { useData } from '../../app/use-data';
import { onboardingSteps } from '../../lib/onboarding';

/** A fresh deployment, step by step: identity provider → org → teams → quotas → first job. */
export default function Onboarding() {
  const { api, me } = useConsole();
  const state = useData(async () => {
    const [providers, teams, quotas, jobs] = await Promise.all([
      unwrap(api.GET('/v1/admin/identity-providers')).catch(() => ({ items: [] })),
      unwrap(api.GET('/v1/orgs/{orgId}/teams', { params: { path: { orgId: me.orgId } } })).catch(() => ({ items: [] })),
      unwrap(api.GET('/v1/quotas')).catch(() => ({ items: [] })),
      unwrap(api.GET('/v1/jobs', { params: { query: { limit: 1 } } })).catch(() => ({ items: [] })),
    ]);
    return onboardingSteps({ providers: providers.items.length, teams: teams.items.length, quotas: quotas.items.length, jobs: jobs.items.length });
  }, [api, me.orgId]);

  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="What a new deployment needs before researchers can run jobs">
        Getting started
      </Header>
      {(state.data ?? []).map((step, index) => (
        <Container key={step.title} header={<Header variant="h2">{`${index + 1}. ${step.title}`}</Header>}>
          <SpaceBetween size="xs">
            <StatusIndicator type={step.done ? 'success' : 'pending'}>{step.done ? 'Done' : 'To do'}</StatusIndicator>
            <Box variant="p">{step.explanation}</Box>
            <Link href={step.href} onFollow={followLink}>
              {step.action}
            </Link>
          </SpaceBetween>
        </Container>
      ))}
    </SpaceBetween>
  );
}

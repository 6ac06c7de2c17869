export interface OnboardingStep {
  title: string;
  explanation: string;
  action: string;
  href: string;
  done: boolean;
}

/** The onboarding checklist from what exists (counts from the API); each step links to the page that does it. */
export function onboardingSteps(counts: { providers: number; teams: number; quotas: number; jobs: number }): OnboardingStep[] {
  return [
    {
      title: 'Connect your identity provider',
      explanation: 'Register your OIDC provider or LDAP directory and map its groups to levels and teams, so people sign in with their corporate identity.',
      action: 'Identity providers',
      href: '/admin/identity-providers',
      done: counts.providers > 0,
    },
    {
      title: 'Create teams',
      explanation: 'Teams group researchers under a lead who approves and sees their jobs; quotas and usage are tracked per team.',
      action: 'Orgs and teams',
      href: '/admin/orgs',
      done: counts.teams > 0,
    },
    {
      title: 'Set quotas and budgets',
      explanation: 'Ceilings per org, team and user: concurrent GPUs, GPU-hours and dollars per period. Without them only the global limits apply.',
      action: 'Quotas and budgets',
      href: '/admin/quotas',
      done: counts.quotas > 0,
    },
    {
      title: 'Run a first job',
      explanation: 'Submit a small job to check the whole path: admission, queue, backend, logs and cost.',
      action: 'Submit a job',
      href: '/submit',
      done: counts.jobs > 0,
    },
  ];
}

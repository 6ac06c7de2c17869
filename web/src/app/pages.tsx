import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import { lazy } from 'react';

// One chunk per page: the first load carries the shell only.
const MyJobs = lazy(() => import('../pages/MyJobs'));
const SubmitJob = lazy(() => import('../pages/SubmitJob'));
const JobPage = lazy(() => import('../pages/JobPage'));
const Limits = lazy(() => import('../pages/Limits'));
const Queue = lazy(() => import('../pages/Queue'));
const Templates = lazy(() => import('../pages/Templates'));
const ApiKeys = lazy(() => import('../pages/ApiKeys'));
const MyNotifications = lazy(() => import('../pages/MyNotifications'));
const TeamJobs = lazy(() => import('../pages/TeamJobs'));
const Onboarding = lazy(() => import('../pages/admin/Onboarding'));
const Users = lazy(() => import('../pages/admin/Users'));
const Orgs = lazy(() => import('../pages/admin/Orgs'));
const Quotas = lazy(() => import('../pages/admin/Quotas'));
const Rules = lazy(() => import('../pages/admin/Rules'));
const Hardware = lazy(() => import('../pages/admin/Hardware'));
const IdentityProviders = lazy(() => import('../pages/admin/IdentityProviders'));
const Audit = lazy(() => import('../pages/admin/Audit'));
const Approvals = lazy(() => import('../pages/Approvals'));
const ApprovalRules = lazy(() => import('../pages/admin/ApprovalRules'));
const Clusters = lazy(() => import('../pages/admin/Clusters'));
const Channels = lazy(() => import('../pages/admin/Channels'));
const Levels = lazy(() => import('../pages/admin/Levels'));
const SystemHealth = lazy(() => import('../pages/admin/SystemHealth'));

const BY_PATH: Record<string, React.ComponentType> = {
  '/': MyJobs,
  '/submit': SubmitJob,
  '/limits': Limits,
  '/queue': Queue,
  '/templates': Templates,
  '/api-keys': ApiKeys,
  '/notifications': MyNotifications,
  '/team': TeamJobs,
  '/admin/onboarding': Onboarding,
  '/admin/users': Users,
  '/admin/orgs': Orgs,
  '/admin/quotas': Quotas,
  '/admin/rules': Rules,
  '/admin/hardware': Hardware,
  '/admin/identity-providers': IdentityProviders,
  '/admin/audit': Audit,
  '/approvals': Approvals,
  '/admin/approval-rules': ApprovalRules,
  '/admin/clusters': Clusters,
  '/admin/notifications': Channels,
  '/admin/levels': Levels,
  '/admin/health': SystemHealth,
};

export function PageContent({ path, allowed, onHome }: { path: string; allowed: boolean; onHome: () => void }) {
  const jobId = /^\/jobs\/([^/]+)$/.exec(path)?.[1];
  if (jobId) return <JobPage jobId={decodeURIComponent(jobId)} />;
  const Page = BY_PATH[path];
  if (!Page || !allowed) {
    return (
      <Alert type="info" header={Page ? 'Not available to you' : 'Page not found'} action={<Button onClick={onHome}>Go to my jobs</Button>}>
        {Page ? 'Your role does not include this page. Ask an administrator if you need it.' : `Nothing lives at ${path}.`}
      </Alert>
    );
  }
  return <Page />;
}

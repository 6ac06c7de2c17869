/**
 * The console's pages and who sees them: each page names the permission its main API call needs (the same
 * names as the API's route table), so a viewer never sees a page that would only answer 403.
 */
export interface PageEntry {
  path: string;
  label: string;
  section: 'Work' | 'Team' | 'Administration';
  /** Any one of these permissions shows the page. */
  anyOf: readonly string[];
  /** Platform admins only (deployment-wide settings). */
  platformOnly?: boolean;
}

export const PAGES: readonly PageEntry[] = [
  { path: '/', label: 'My jobs', section: 'Work', anyOf: ['job.view.own'] },
  { path: '/submit', label: 'Submit a job', section: 'Work', anyOf: ['job.submit'] },
  { path: '/queue', label: 'Queue', section: 'Work', anyOf: ['job.view.own'] },
  { path: '/limits', label: 'Limits and usage', section: 'Work', anyOf: ['job.view.own'] },
  { path: '/templates', label: 'Job templates', section: 'Work', anyOf: ['config.view'] },
  { path: '/api-keys', label: 'API keys', section: 'Work', anyOf: ['job.submit'] },
  { path: '/notifications', label: 'Email notifications', section: 'Work', anyOf: ['job.view.own'] },
  { path: '/approvals', label: 'Approvals', section: 'Team', anyOf: ['admin.approve', 'queue.approve'] },
  { path: '/team', label: 'Team usage', section: 'Team', anyOf: ['job.view.all'] },
  { path: '/admin/onboarding', label: 'Getting started', section: 'Administration', anyOf: ['admin.config'] },
  { path: '/admin/users', label: 'Users', section: 'Administration', anyOf: ['admin.users'] },
  { path: '/admin/levels', label: 'Levels', section: 'Administration', anyOf: ['admin.users'] },
  { path: '/admin/orgs', label: 'Orgs and teams', section: 'Administration', anyOf: ['org.view', 'team.view'] },
  { path: '/admin/quotas', label: 'Quotas and budgets', section: 'Administration', anyOf: ['org.view'] },
  { path: '/admin/rules', label: 'Resource rules', section: 'Administration', anyOf: ['admin.config'] },
  { path: '/admin/approval-rules', label: 'Approval rules', section: 'Administration', anyOf: ['admin.config'] },
  { path: '/admin/clusters', label: 'Clusters', section: 'Administration', anyOf: ['admin.config'] },
  { path: '/admin/health', label: 'System health', section: 'Administration', anyOf: ['admin.config'] },
  { path: '/admin/hardware', label: 'Hardware catalog', section: 'Administration', anyOf: ['admin.config'] },
  { path: '/admin/identity-providers', label: 'Identity providers', section: 'Administration', anyOf: ['admin.config'] },
  { path: '/admin/notifications', label: 'Notification channels', section: 'Administration', anyOf: ['admin.config'] },
  { path: '/admin/audit', label: 'Audit log', section: 'Administration', anyOf: ['admin.audit'] },
];

export interface Viewer {
  permissions: readonly string[];
  platformAdmin: boolean;
}

export function canSee(viewer: Viewer, page: PageEntry): boolean {
  if (page.platformOnly && !viewer.platformAdmin) return false;
  return page.anyOf.some((permission) => viewer.permissions.includes(permission));
}

export function visiblePages(viewer: Viewer): PageEntry[] {
  return PAGES.filter((page) => canSee(viewer, page));
}

/** The page for a path: exact match, else the longest prefix (a job page `/jobs/<id>` belongs to My jobs). */
export function pageFor(path: string): PageEntry | undefined {
  const exact = PAGES.find((page) => page.path === path);
  if (exact) return exact;
  if (path.startsWith('/jobs/')) return PAGES[0];
  return undefined;
}

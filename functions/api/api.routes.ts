import type { RouteGroup } from '#http/route';
import { adminRoutes } from './admin/admin.routes';
import { auditRoutes } from './audit/audit.routes';
import { authRoutes } from './auth/auth.routes';
import { catalogRoutes } from './catalog/catalog.routes';
import { explainRoutes } from './explain/explain.routes';
import { healthRoutes } from './health/health.routes';
import { identityRoutes } from './identity/identity.routes';
import { jobsRoutes } from './jobs/jobs.routes';
import { logsRoutes } from './logs/logs.routes';
import { meRoutes } from './me/me.routes';
import { passwordAuthRoutes } from './password-auth/password-auth.routes';
import { quotasRoutes } from './quotas/quotas.routes';
import { sessionsRoutes } from './sessions/sessions.routes';
import { templatesRoutes } from './templates/templates.routes';
import { tenancyRoutes } from './tenancy/tenancy.routes';

/**
 * Every HTTP route of the API, grouped by the function that serves it. CDK builds one function and its
 * API Gateway routes per group; the local server and the OpenAPI generator read the same list.
 */
export const API_ROUTE_GROUPS: readonly RouteGroup[] = [
  { name: 'health', entry: 'functions/api/health/health.handler.ts', routes: healthRoutes },
  { name: 'jobs', entry: 'functions/api/jobs/jobs.handler.ts', routes: jobsRoutes },
  { name: 'explain', entry: 'functions/api/explain/explain.handler.ts', routes: explainRoutes },
  { name: 'logs', entry: 'functions/api/logs/logs.handler.ts', routes: logsRoutes },
  { name: 'catalog', entry: 'functions/api/catalog/catalog.handler.ts', routes: catalogRoutes },
  { name: 'quotas', entry: 'functions/api/quotas/quotas.handler.ts', routes: quotasRoutes },
  { name: 'admin', entry: 'functions/api/admin/admin.handler.ts', routes: adminRoutes },
  { name: 'tenancy', entry: 'functions/api/tenancy/tenancy.handler.ts', routes: tenancyRoutes },
  { name: 'templates', entry: 'functions/api/templates/templates.handler.ts', routes: templatesRoutes },
  { name: 'audit', entry: 'functions/api/audit/audit.handler.ts', routes: auditRoutes },
  { name: 'auth', entry: 'functions/api/auth/auth.handler.ts', routes: authRoutes },
  { name: 'password-auth', entry: 'functions/api/password-auth/password-auth.handler.ts', routes: passwordAuthRoutes },
  { name: 'sessions', entry: 'functions/api/sessions/sessions.handler.ts', routes: sessionsRoutes },
  { name: 'me', entry: 'functions/api/me/me.handler.ts', routes: meRoutes },
  { name: 'identity', entry: 'functions/api/identity/identity.handler.ts', routes: identityRoutes },
];

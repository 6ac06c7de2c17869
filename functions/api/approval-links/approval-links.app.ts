import { DynamoApprovalLinkLedger } from '#adapters/dynamodb/dynamo-approval-link-ledger.repository';
import { getLogger } from '#adapters/logging/logger';
import { approvalLinkKeyFrom } from '#domain/approvals/approval-links';
import { confirmApprovalLink, openApprovalLink, type ApprovalLinkDeps } from '#domain/approvals/approval-link.service';
import type { EventPublisher } from '#domain/events/events.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { approvalDecisionDeps } from '#functions/api/approval-decision';
import { approvalLinkPage, crossSitePage, type Page } from './approval-link.pages';
import type { ApprovalLinksEnv } from './approval-links.env';
import { approvalLinksRoutes } from './approval-links.routes';

const html = (page: Page) => ({ status: page.status, body: page.html, headers: { 'content-type': 'text/html; charset=utf-8' } });

/**
 * CSRF: the signed token in the form is itself the credential, and the form must also come from our own page.
 * A browser names where a post comes from (`Origin`, `Sec-Fetch-Site`); one that names another site, or hides
 * it (`Origin: null`), is refused. A client that sends neither is not a browser another site can drive.
 * `ownBaseUrls`: where the API answers, its own endpoint and the console's origin (CloudFront serves `/v1/*`
 * there, and emailed links point there; CloudFront does not forward the viewer's Host).
 */
export function postedFromOwnPage(
  headers: { origin?: string | undefined; host?: string | undefined; 'sec-fetch-site'?: string | undefined },
  ownBaseUrls: readonly string[],
): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  if (headers.origin === undefined) return true;
  const own = new Set([...ownBaseUrls.map((url) => new URL(url).origin), ...(headers.host ? [`https://${headers.host}`] : [])]);
  return own.has(headers.origin);
}

/** The approval-link pages: thin routes over `openApprovalLink` / `confirmApprovalLink`, answering HTML. */
export function createApprovalLinksHandler(
  deps: ApprovalLinkDeps & { apiBaseUrl: string; consoleUrl?: string | undefined },
  options: ApiHandlerOptions = {},
) {
  return createApiHandler(
    approvalLinksRoutes,
    {
      openApprovalLink: async ({ query, sourceIp, requestId }) => {
        const outcome = await openApprovalLink(query.token, { sourceIp, requestId }, deps);
        return html(approvalLinkPage(outcome, query.token ?? ''));
      },
      confirmApprovalLink: async ({ headers, body, sourceIp, requestId, logger }) => {
        if (!postedFromOwnPage(headers, [deps.apiBaseUrl, ...(deps.consoleUrl ? [deps.consoleUrl] : [])])) {
          logger.warn('approval link: cross-site confirmation refused', { origin: headers.origin?.slice(0, 200) });
          await deps.audit.append({
            actor: 'anonymous',
            orgId: 'platform',
            action: 'request.denied',
            target: 'approval-link',
            outcome: 'denied',
            sourceIp: sourceIp.slice(0, 64),
            requestId: requestId.slice(0, 128),
            details: { via: 'email', refused: 'cross_site', origin: headers.origin?.slice(0, 200) ?? null },
          });
          return html(crossSitePage());
        }
        const outcome = await confirmApprovalLink({ token: body.token, comment: body.comment }, { sourceIp, requestId }, deps);
        return html(approvalLinkPage(outcome, ''));
      },
    },
    options,
  );
}

/** The one composition of the approval-links function (Lambda, the local stack and the tests call it). */
export function composeApprovalLinks(env: ApprovalLinksEnv, runtime: ApiRuntime & { events: EventPublisher; secrets: SecretStore }) {
  const composed = composeApiAccess(env, runtime);
  const { access, options } = composed;
  const logger = runtime.logger ?? getLogger();
  return createApprovalLinksHandler(
    {
      ...approvalDecisionDeps(env, runtime, composed),
      linkKey: approvalLinkKeyFrom(runtime.secrets, env.QM_APPROVAL_LINK_KEY_SECRET_ID),
      ledger: new DynamoApprovalLinkLedger(runtime.doc, env.QM_TABLE_NAME),
      principalGate: access.principalGate,
      // A decision stands even if its audit entry cannot be written: the failure is logged, as the middleware does.
      audit: {
        append: (entry) =>
          access.audit.append(entry).catch((error: unknown) => {
            logger.error('audit append failed', { action: entry.action, error: error instanceof Error ? error.message : String(error) });
          }),
      },
      apiBaseUrl: env.QM_API_BASE_URL,
      consoleUrl: env.QM_CONSOLE_URL,
    },
    // Public routes: the middleware's gate and audit never run for them; the service does both itself.
    { ...(options.logger ? { logger: options.logger } : {}), ...(options.validateResponses ? { validateResponses: true } : {}) },
  );
}

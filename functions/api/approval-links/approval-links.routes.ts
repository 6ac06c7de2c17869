import { approvalLinkFormSchema, approvalLinkHeadersSchema, approvalLinkQuerySchema } from '#contracts/approval-links.contract';
import { errorEnvelopeSchema } from '#contracts/common.contract';
import { APPROVAL_LINK_PATH } from '#domain/approvals/approval-links';
import type { RouteDeclaration } from '#http/route';

const page = (description: string) => ({ description, contentType: 'text/html' as const });
const refusals = {
  403: page('The approver may no longer decide this request, or the form was posted from another site'),
  404: page('Not a valid approval link (altered, or not ours)'),
  409: page('The link was used already, or the request was decided, expired or cancelled meanwhile'),
  410: page('The link expired (links are valid 24 hours)'),
} as const;

/**
 * Approval links from approval emails (docs/approvals.md, "Approve by email"). `public` at the gateway (no
 * JWT: the person holds only the email); the signed token in the link is the credential, checked with the
 * approver's current rights. Both answer HTML pages. The GET never decides (mail scanners follow links);
 * only the POST from the page's form does, through the same decision as `POST /v1/approvals/{id}/approve`.
 */
export const approvalLinksRoutes = [
  {
    method: 'GET',
    path: APPROVAL_LINK_PATH,
    operationId: 'openApprovalLink',
    summary: 'Confirmation page of an email approve/reject link (decides nothing)',
    access: 'public',
    tags: ['approvals'],
    request: { query: approvalLinkQuerySchema },
    responses: { 200: page('What the link would decide, and a button to confirm it'), ...refusals },
  },
  {
    method: 'POST',
    path: APPROVAL_LINK_PATH,
    operationId: 'confirmApprovalLink',
    summary: 'Confirm an email approve/reject link: decides the request once, as the approver the link names',
    access: 'public',
    tags: ['approvals'],
    request: { headers: approvalLinkHeadersSchema, body: approvalLinkFormSchema, bodyEncoding: 'form' },
    responses: {
      200: page('Decided'),
      400: { description: 'The form is malformed (a field given twice or unknown)', schema: errorEnvelopeSchema },
      415: { description: 'Not sent as application/x-www-form-urlencoded', schema: errorEnvelopeSchema },
      ...refusals,
    },
  },
] as const satisfies readonly RouteDeclaration[];

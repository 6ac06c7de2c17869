import type { LinkOutcome } from '#domain/approvals/approval-link.service';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';

/**
 * The approval-link pages: minimal, accessible HTML (a language, a title, one heading, labelled fields, a
 * real button) with no script and no style, served under a CSP that allows neither (`PAGE_SECURITY_HEADERS`).
 * Every value is escaped. The token appears once, in the confirmation form's hidden field, and nowhere else.
 */
export interface Page {
  status: number;
  html: string;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

function document(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)} · Quartermaster</title>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function summary(request: ApprovalRequest): string {
  const rows: Array<[string, string]> = [
    ['Job', `${request.jobName} (${request.jobId})`],
    ['Requested by', request.requesterId],
    ['Estimated cost', `$${request.costUsd.toFixed(2)}`],
    ['Hardware', request.hardwareType],
    ['Rule', `${request.ruleName}: ${request.reason}`],
    ['Expires', request.expireAt],
  ];
  return `<dl>\n${rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('\n')}\n</dl>`;
}

const VERB = { approve: 'Approve', reject: 'Reject' } as const;
const PAST = { approve: 'approved', reject: 'rejected' } as const;

const REFUSALS = {
  invalid: { status: 404, title: 'This link is not valid', text: 'It may have been altered or cut short. Nothing was decided.' },
  expired: { status: 410, title: 'This link has expired', text: 'Approval links are valid for 24 hours. Nothing was decided.' },
  used: { status: 409, title: 'This link was already used', text: 'Each approval email decides once. Nothing more was decided.' },
  closed: {
    status: 409,
    title: 'This request is no longer waiting',
    text: 'It was decided, expired or cancelled. Nothing more was decided.',
  },
  not_allowed: { status: 403, title: 'You can no longer decide this request', text: 'Nothing was decided.' },
} as const;

const consoleHint = '<p>Pending requests are listed in the Quartermaster console under Approvals.</p>';

/** The page for an outcome of `openApprovalLink` or `confirmApprovalLink`; `token` only for the confirmation form. */
export function approvalLinkPage(outcome: LinkOutcome, token: string): Page {
  if (outcome.kind === 'confirm') {
    const verb = VERB[outcome.decision];
    const form = [
      // Relative: resolves to this page's own path (whatever prefix the API is served under), without the query.
      '<form method="post" action="approval-links">',
      `<input type="hidden" name="token" value="${escapeHtml(token)}">`,
      '<p><label for="comment">Comment (optional)</label><br>',
      '<textarea id="comment" name="comment" rows="3" cols="50" maxlength="2000"></textarea></p>',
      `<p><button type="submit">${verb} this job</button></p>`,
      '</form>',
    ].join('\n');
    const body = `<p>Nothing has been decided yet: opening this page changes nothing. The button below does.</p>\n${summary(outcome.request)}\n${form}`;
    return { status: 200, html: document(`${verb} job “${outcome.request.jobName}”?`, body) };
  }
  if (outcome.kind === 'decided') {
    const text = outcome.decision === 'approve' ? 'The job is queued.' : 'The job will not run.';
    return {
      status: 200,
      html: document(`Job “${outcome.request.jobName}” ${PAST[outcome.decision]}`, `<p>${text}</p>\n${summary(outcome.request)}`),
    };
  }
  const refusal = REFUSALS[outcome.reason];
  const detail = outcome.detail ? `<p>${escapeHtml(outcome.detail)}.</p>\n` : '';
  const state = outcome.reason === 'closed' && outcome.request ? `<p>The request is ${escapeHtml(outcome.request.state)}.</p>\n` : '';
  return { status: refusal.status, html: document(refusal.title, `<p>${refusal.text}</p>\n${detail}${state}${consoleHint}`) };
}

/** A form posted from another site (or a browser that hides where from): refused before the token is read. */
export function crossSitePage(): Page {
  return {
    status: 403,
    html: document(
      'This confirmation did not come from its page',
      `<p>Open the link from your email again and use its button. Nothing was decided.</p>\n${consoleHint}`,
    ),
  };
}

import type { DomainEvent } from '#domain/events/event-envelope';
import type { EmailMessage } from './notifications.port';

/** Signed approve and reject links of one approval request for one approver (minted by the approvals domain). */
export interface ApprovalActionLinks {
  approveUrl: string;
  rejectUrl: string;
}

/** Where in the console an event's subject is shown. */
export function consoleLink(consoleUrl: string, event: Pick<DomainEvent, 'subject'>): string {
  const [kind, id] = event.subject.split('/');
  const base = consoleUrl.replace(/\/$/, '');
  if (kind === 'job' && id) return `${base}/jobs/${encodeURIComponent(id)}`;
  if (kind === 'approval') return `${base}/approvals`;
  if (kind === 'quota') return `${base}/quotas`;
  if (kind === 'notification-channel') return `${base}/notification-channels`;
  return base;
}

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The facts of `data` worth showing: strings and numbers only (ids, states, amounts), at most ten. */
function factsOf(event: DomainEvent): [string, string][] {
  return Object.entries(event.data)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .slice(0, 10)
    .map(([key, value]) => [key, String(value).slice(0, 200)]);
}

/** Approval events that ask someone to decide: their emails carry the approve/reject links. */
export const APPROVAL_ACTION_EVENT_TYPES: readonly string[] = ['approval.required', 'approval.escalated'];

/**
 * The email of one event: subject, plain text and HTML with the facts of its payload and a link into the
 * console. `actions` (approval requests only) adds the approve/reject links; a link opens the approval-links
 * confirmation page (docs/approvals.md), so a mail scanner following it decides nothing. Links live only in the message itself:
 * never in the event, a log line or a delivery record.
 */
export function renderEventEmail(event: DomainEvent, consoleUrl: string, actions?: ApprovalActionLinks): Omit<EmailMessage, 'to'> {
  const subject = `[Quartermaster] ${event.type}: ${event.subject}`.slice(0, 200);
  const link = consoleLink(consoleUrl, event);
  const facts = factsOf(event);
  const text = [
    `${event.type} in org ${event.orgId} at ${event.time}`,
    `Subject: ${event.subject}`,
    '',
    ...facts.map(([key, value]) => `${key}: ${value}`),
    '',
    ...(actions ? [`Approve: ${actions.approveUrl}`, `Reject:  ${actions.rejectUrl}`, ''] : []),
    `Open in Quartermaster: ${link}`,
  ].join('\n');
  const rows = facts.map(([key, value]) => `<tr><th align="left">${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const buttons = actions
    ? `<p><a href="${escapeHtml(actions.approveUrl)}">Approve</a> &middot; <a href="${escapeHtml(actions.rejectUrl)}">Reject</a></p>`
    : '';
  const html = [
    `<h2>${escapeHtml(event.type)}</h2>`,
    `<p><code>${escapeHtml(event.subject)}</code> in org <b>${escapeHtml(event.orgId)}</b> at ${escapeHtml(event.time)}</p>`,
    rows ? `<table>${rows}</table>` : '',
    buttons,
    `<p><a href="${escapeHtml(link)}">Open in Quartermaster</a></p>`,
  ].join('\n');
  return { subject, text, html };
}

import { describe, expect, it } from 'vitest';
import { envelope } from '#domain/events/event-envelope';
import { approvalEventDataSchema } from '#domain/approvals/approval.events';
import { renderEventEmail } from '#domain/notifications/notification-email';

const event = envelope(
  'approval.required',
  approvalEventDataSchema,
  { id: '01J', time: '2026-12-06T10:00:00.000Z', orgId: 'acme', subject: 'approval/ap1' },
  {
    approvalId: 'ap1',
    jobId: 'j1',
    jobName: '<script>alert(1)</script>',
    requesterId: 'rae',
    ruleId: 'r1',
    ruleName: 'big jobs',
    reason: 'estimated cost $60.00 exceeds $50.00',
    costUsd: 60,
    approverLevel: 'lead',
    escalateAt: '2026-12-06T12:00:00.000Z',
    expireAt: '2026-12-07T10:00:00.000Z',
    state: 'pending',
  },
);

describe('notification email', () => {
  it("names the event, its facts and a console link; the HTML escapes the payload's text", () => {
    const email = renderEventEmail(event, 'https://qm.example.com/');
    expect(email.subject).toBe('[Quartermaster] approval.required: approval/ap1');
    expect(email.text).toContain('reason: estimated cost $60.00 exceeds $50.00');
    expect(email.text).toContain('Open in Quartermaster: https://qm.example.com/approvals');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.text).not.toContain('Approve:');
  });

  it('carries the approve and reject links when given (approval requests to an approver)', () => {
    const email = renderEventEmail(event, 'https://qm.example.com', {
      approveUrl: 'https://qm.example.com/approvals/ap1/confirm?t=a"b',
      rejectUrl: 'https://qm.example.com/approvals/ap1/confirm?t=r',
    });
    expect(email.text).toContain('Approve: https://qm.example.com/approvals/ap1/confirm?t=a"b');
    expect(email.html).toContain('href="https://qm.example.com/approvals/ap1/confirm?t=a&quot;b"');
    expect(email.html).toContain('>Reject</a>');
  });
});

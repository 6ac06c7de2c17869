import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';
import { approvalEvent, APPROVAL_EVENT_TYPES } from '#domain/approvals/approval.events';
import { loginFailureEvent, newDeviceEvent } from '#domain/events/auth.events';
import { EVENT_CATALOG, NOTIFIABLE_EVENT_TYPES, parseCatalogEvent } from '#domain/event-catalog/event-catalog';
import { EVENT_SOURCE } from '#domain/events/event-envelope';
import { DISPATCH_REQUEST_PATTERN, matchesPattern, NOTIFICATION_PATTERN } from '#domain/event-catalog/event-rules';
import { CHANNEL_TEST_EVENT, providerEvent, webhookFailureEvent } from '#domain/events/system.events';
import { DISPATCH_REQUESTED_EVENT } from '#domain/jobs/dispatch-message.schema';
import { notificationPattern } from '#lib/config/event-patterns';
import { EVENTS_DOC_PATH, generateEventsDoc } from '#scripts/events/generate';

/** docs/events.md's list, spelled out here so a type dropped from the catalog fails this test. */
const SPEC_TYPES = [
  'approval.required',
  'approval.escalated', // beyond §4.9: the approval flow's escalation step
  'approval.granted',
  'approval.rejected',
  'approval.expired',
  'job.submitted',
  'job.started',
  'job.completed',
  'job.failed',
  'job.cancelled',
  'quota.warning',
  'quota.exceeded',
  'cost.warning',
  'cost.exceeded',
  'system.provider_error',
  'system.provider_degraded',
  'system.webhook_failure',
  'auth.login_failure',
  'auth.new_device',
];

const REQUEST: ApprovalRequest = {
  schemaVersion: 1,
  id: 'ap1',
  orgId: 'acme',
  jobId: 'j1',
  jobName: 'train',
  requesterId: 'rae',
  requesterLevel: 'researcher',
  teamId: 'vision',
  costUsd: 60,
  hardwareType: 'gpu-a100-8x',
  ruleId: 'r1',
  ruleName: 'big spend',
  reason: 'estimated cost $60.00 exceeds $50.00',
  requiredLevel: 'lead',
  escalationLevel: 'admin',
  state: 'pending',
  createdAt: '2026-12-06T09:00:00.000Z',
  escalateAt: '2026-12-06T13:00:00.000Z',
  expireAt: '2026-12-07T09:00:00.000Z',
  taskToken: 'TASK-TOKEN-SECRET',
  version: 1,
};
const DECISION = { outcome: 'approved', by: 'lin', at: '2026-12-06T10:00:00.000Z', comment: 'ok', via: 'api' } as const;

describe('event catalog', () => {
  it('has every event type of the spec, each once, all subscribable; internal events are not', () => {
    expect([...NOTIFIABLE_EVENT_TYPES].sort()).toEqual([...SPEC_TYPES].sort());
    const types = EVENT_CATALOG.map((entry) => entry.type);
    expect(new Set(types).size).toBe(types.length);
    expect(NOTIFIABLE_EVENT_TYPES).not.toContain(DISPATCH_REQUESTED_EVENT);
  });

  it('builds events that the catalog parses back unchanged', () => {
    const at = '2026-12-06T10:00:00.000Z';
    const events = [
      ...APPROVAL_EVENT_TYPES.map((type, index) =>
        approvalEvent(type, type === 'approval.granted' ? { ...REQUEST, state: 'approved', decision: DECISION } : REQUEST, `e${index}`, at),
      ),
      providerEvent(
        'system.provider_error',
        'acme',
        { backend: 'kubernetes', clusterId: 'c1', code: 'unreachable', message: 'timeout' },
        'p1',
        at,
      ),
      webhookFailureEvent(
        'acme',
        {
          channelId: 'ch1',
          channelKind: 'webhook',
          eventId: 'e0',
          eventType: 'job.failed',
          attempts: 5,
          lastStatus: 500,
          lastError: 'HTTP 500',
        },
        'w1',
        at,
      ),
      loginFailureEvent({ reason: 'bad_credentials', method: 'ldap', sourceIp: '203.0.113.9' }, 'l1', at),
      newDeviceEvent('acme', { userId: 'rae', method: 'oidc', sourceIp: '203.0.113.9', userAgent: 'curl/8' }, 'n1', at),
    ];
    for (const event of events) {
      expect(parseCatalogEvent(event), event.type).toEqual(event);
      expect(event.version).toBe(1);
    }
    expect(events[0]?.subject).toBe('approval/ap1');
    expect(JSON.stringify(events)).not.toContain('TASK-TOKEN-SECRET');
    expect(events.find((event) => event.type === 'approval.escalated')?.data).toMatchObject({ approverLevel: 'admin' });
    expect(events.find((event) => event.type === 'approval.granted')?.data).toMatchObject({ decidedBy: 'lin', via: 'api' });
    expect(events.at(-2)).toMatchObject({ orgId: 'platform', subject: 'auth' });
    expect(events.find((event) => event.type === 'system.webhook_failure')?.subject).toBe('notification-channel/ch1');
  });

  it('drops fields a type does not declare, so a builder cannot leak them', () => {
    const leaky = { reason: 'bad_credentials', method: 'ldap', password: 'hunter2' } as unknown as Parameters<typeof loginFailureEvent>[0];
    const event = loginFailureEvent(leaky, 'l1', '2026-12-06T10:00:00.000Z');
    expect(JSON.stringify(event)).not.toContain('hunter2');
  });

  it('refuses unknown types and payloads the catalog does not describe', () => {
    const base = { id: 'e1', time: 't', orgId: 'acme', subject: 'job/j1', version: 1 };
    expect(() => parseCatalogEvent({ ...base, type: 'job.exploded', data: {} })).toThrow(/unknown event type/);
    expect(() => parseCatalogEvent({ ...base, type: 'job.started', data: { jobId: 'j1' } })).toThrow();
    expect(() => parseCatalogEvent({ ...base, type: 'job.started', data: {}, version: 2 })).toThrow();
  });

  it('routes every subscribable type and channel tests, and nothing else, to notifications; the CDK pattern is the same list', () => {
    for (const entry of EVENT_CATALOG) {
      const routed = !entry.internal || entry.type === CHANNEL_TEST_EVENT;
      expect(matchesPattern(NOTIFICATION_PATTERN, { source: EVENT_SOURCE, detailType: entry.type }), entry.type).toBe(routed);
    }
    expect(matchesPattern(DISPATCH_REQUEST_PATTERN, { source: EVENT_SOURCE, detailType: DISPATCH_REQUESTED_EVENT })).toBe(true);
    expect(notificationPattern).toEqual({ source: [EVENT_SOURCE], detailType: [...NOTIFIABLE_EVENT_TYPES, CHANNEL_TEST_EVENT] });
  });
});

describe('docs/events.md', () => {
  it('is the document generated from the catalog', () => {
    expect(readFileSync(EVENTS_DOC_PATH, 'utf8'), 'docs/events.md is stale: run `npx tsx scripts/events/generate.ts`').toBe(
      generateEventsDoc(),
    );
  });

  it('documents every type with its data fields', () => {
    const doc = generateEventsDoc();
    for (const entry of EVENT_CATALOG) expect(doc).toContain(`### \`${entry.type}\``);
    expect(doc).toContain('| `jobId` | string | yes |');
    expect(doc).toContain('`cost_usd`');
  });
});

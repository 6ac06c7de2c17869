import { EVENT_SOURCE } from '#domain/events/event-envelope';
import { CHANNEL_TEST_EVENT } from '#domain/events/system.events';
import { APPROVAL_FLOW_SIGNAL_EVENT } from '#domain/approvals/approval-flow-signal';
import { DISPATCH_REQUESTED_EVENT } from '#domain/jobs/dispatch-message.schema';
import { NOTIFIABLE_EVENT_TYPES } from './event-catalog';
import { SCHEDULER_TRIGGER_EVENT_TYPES } from '#domain/jobs/job.events';

/**
 * Rule patterns as data, defined once: CDK deploys them as EventBridge rules and the local stack's
 * in-process bus routes with the very same patterns.
 */
export interface EventPattern {
  source: readonly string[];
  'detail-type': readonly string[];
}

/** Job events that free or add work, and an approval granted (its job has just been queued). */
export const SCHEDULER_TRIGGER_PATTERN: EventPattern = {
  source: [EVENT_SOURCE],
  'detail-type': [...SCHEDULER_TRIGGER_EVENT_TYPES, 'approval.granted'],
};

/** Dispatch requests: delivered (their `data`, the dispatch message) to the SQS dispatch queue. */
export const DISPATCH_REQUEST_PATTERN: EventPattern = {
  source: [EVENT_SOURCE],
  'detail-type': [DISPATCH_REQUESTED_EVENT],
};

/** Approval flow signals (start a flow, end a wait): delivered to the approval bridge function. */
export const APPROVAL_FLOW_SIGNAL_PATTERN: EventPattern = {
  source: [EVENT_SOURCE],
  'detail-type': [APPROVAL_FLOW_SIGNAL_EVENT],
};

/**
 * Every subscribable event of the catalog, and channel tests (`system.test`, internal: the notifier delivers it to
 * the one channel it names, never by subscription): delivered (the whole envelope) to the notification queue.
 */
export const NOTIFICATION_PATTERN: EventPattern = {
  source: [EVENT_SOURCE],
  'detail-type': [...NOTIFIABLE_EVENT_TYPES, CHANNEL_TEST_EVENT],
};

/** EventBridge semantics for the subset we use: every listed field must contain the event's value. */
export function matchesPattern(pattern: EventPattern, event: { source: string; detailType: string }): boolean {
  return pattern.source.includes(event.source) && pattern['detail-type'].includes(event.detailType);
}

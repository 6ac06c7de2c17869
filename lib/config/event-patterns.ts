import { ecsTaskStateChangePattern as ecsPattern } from '#adapters/ecs/ecs-task-events';
import {
  APPROVAL_FLOW_SIGNAL_PATTERN,
  DISPATCH_REQUEST_PATTERN,
  NOTIFICATION_PATTERN,
  SCHEDULER_TRIGGER_PATTERN,
} from '#domain/event-catalog/event-rules';

/**
 * EventBridge patterns the infrastructure deploys, in the CDK `EventPattern` shape. They are derived from
 * the patterns the code defines (`shared/domain/event-catalog/event-rules.ts`, the ECS adapter), so the deployed
 * rules and the local stack's in-process bus route with exactly the same patterns.
 */
export const SCHEDULER_TRIGGER_DETAIL_TYPES = SCHEDULER_TRIGGER_PATTERN['detail-type'];

/** Pattern of the custom-bus rule that wakes the scheduler (anything missed: the 1-minute schedule). */
export const schedulerTriggerPattern = {
  source: [...SCHEDULER_TRIGGER_PATTERN.source],
  detailType: [...SCHEDULER_TRIGGER_PATTERN['detail-type']],
};

/** Pattern of the default-bus rule that feeds ECS task state changes of one cluster to the status function. */
export const ecsTaskStateChangePattern = ecsPattern;

/** Pattern of the custom-bus rule that feeds dispatch requests to the SQS dispatch queue. */
export const dispatchRequestPattern = {
  source: [...DISPATCH_REQUEST_PATTERN.source],
  detailType: [...DISPATCH_REQUEST_PATTERN['detail-type']],
};

/** Pattern of the custom-bus rule that feeds every subscribable catalog event, and channel tests, to the notification queue. */
export const notificationPattern = {
  source: [...NOTIFICATION_PATTERN.source],
  detailType: [...NOTIFICATION_PATTERN['detail-type']],
};

/** Pattern of the custom-bus rule that feeds approval flow signals to the approval bridge function. */
export const approvalFlowSignalPattern = {
  source: [...APPROVAL_FLOW_SIGNAL_PATTERN.source],
  detailType: [...APPROVAL_FLOW_SIGNAL_PATTERN['detail-type']],
};

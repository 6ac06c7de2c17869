/**
 * EventBridge patterns the infrastructure deploys. Kept as plain data (no CDK imports) so the local
 * stack's in-process bus can route with exactly the same patterns.
 */

/** `source` of every Quartermaster domain event on the custom bus. */
export const QUARTERMASTER_EVENT_SOURCE = 'quartermaster';

/**
 * Domain events (their `detail-type`) that may let the scheduler admit more work: new work arrived, or a
 * job released capacity or quota. Anything missed here is picked up by the 1-minute schedule anyway.
 */
export const SCHEDULER_TRIGGER_DETAIL_TYPES = [
  'job.submitted',
  'job.completed',
  'job.failed',
  'job.cancelled',
  'approval.granted',
] as const;

/** Pattern of the custom-bus rule that wakes the scheduler. */
export const schedulerTriggerPattern = {
  source: [QUARTERMASTER_EVENT_SOURCE],
  detailType: [...SCHEDULER_TRIGGER_DETAIL_TYPES],
};

/** Pattern of the default-bus rule that feeds ECS task state changes of one cluster to the status function. */
export const ecsTaskStateChangePattern = (clusterArn: string) => ({
  source: ['aws.ecs'],
  detailType: ['ECS Task State Change'],
  detail: { clusterArn: [clusterArn] },
});

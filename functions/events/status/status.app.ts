import type { EventBridgeEvent } from 'aws-lambda';
import { mapEcsTaskStateChange } from '#adapters/ecs/ecs-task-events';
import type { JobEndingDeps } from '#domain/job-flow/job-ending';
import { applyRunReport } from '#domain/job-flow/run-status.service';

/**
 * The status function: ECS "Task State Change" events (default bus) → job lifecycle. Events that are not
 * about one of our job tasks are ignored; duplicates and late events are absorbed by conditional writes.
 */
export function createStatusHandler(deps: JobEndingDeps) {
  return async (event: EventBridgeEvent<'ECS Task State Change', unknown>): Promise<void> => {
    const update = mapEcsTaskStateChange(event.detail);
    if (!update) return;
    await applyRunReport(update, deps);
  };
}

import { DescribeTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { RunObservation, RunObserver } from '#domain/jobs/jobs.port';
import type { Job } from '#domain/jobs/job.schema';
import { mapEcsTaskStateChange } from './ecs-task-events';

/**
 * ECS's truth about one job task, for the reconciler: DescribeTasks on the task ARN the job recorded, read
 * through the same mapper as the "ECS Task State Change" events (a described task has the event's fields), so
 * both paths agree on exit codes, stop reasons and Spot reclaims. ECS forgets a stopped task about an hour
 * after it stops: DescribeTasks then answers a `MISSING` failure, and the run is `missing`.
 */
export class EcsRunObserver implements RunObserver {
  constructor(
    private readonly config: {
      ecs: ECSClient;
      /** The cluster the job tasks run on. */
      clusterArn: string;
    },
  ) {}

  async observe(job: Job): Promise<RunObservation> {
    if (!job.runRef) return { status: 'missing' };
    const described = await this.config.ecs.send(
      new DescribeTasksCommand({ cluster: this.config.clusterArn, tasks: [job.runRef], include: ['TAGS'] }),
    );
    const task = described.tasks?.find((candidate) => candidate.taskArn === job.runRef);
    if (!task) {
      if (described.failures?.some((failure) => failure.reason === 'MISSING')) return { status: 'missing' };
      throw new Error(`ECS DescribeTasks gave neither the task nor a MISSING failure for ${job.runRef}`);
    }
    const update = mapEcsTaskStateChange(task);
    if (!update)
      return { status: 'waiting', waiting: { code: 'backend_capacity', message: `ECS task is ${task.lastStatus ?? 'pending'}` } };
    if (update.status === 'running') return { status: 'running' };
    return {
      status: 'ended',
      ...(update.exitCode !== undefined ? { exitCode: update.exitCode } : {}),
      ...(update.reason ? { reason: update.reason } : {}),
      ...(update.capacityReclaimed ? { capacityReclaimed: true } : {}),
    };
  }
}

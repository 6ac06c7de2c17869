import {
  ClientException,
  ConflictException,
  DescribeTaskDefinitionCommand,
  InvalidParameterException,
  ListTasksCommand,
  PlatformTaskDefinitionIncompatibilityException,
  RegisterTaskDefinitionCommand,
  ResourceNotFoundException,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type Failure,
  type RunTaskCommandInput,
  type TaskOverride,
} from '@aws-sdk/client-ecs';
import { BackendCapacityError, BackendLaunchError } from '#domain/jobs/backend-errors';
import type { HardwareRequirements, JobBackend, LaunchResult } from '#domain/jobs/jobs.port';
import type { FleetDirectory } from '#domain/catalog/catalog.port';
import { purchaseForAttempt, type DeployedFleet, type PurchaseKind } from '#domain/catalog/fleet.schema';
import type { Job } from '#domain/jobs/job.schema';
import { buildTaskDefinitionInput, JOB_CONTAINER_NAME, taskDefinitionFamily } from './ecs-task-definition';
import { startedByForJob } from './ecs-task-events';

export interface EcsJobBackendConfig {
  ecs: ECSClient;
  /** The deployed GPU fleets: capacity providers and instance types per fleet. */
  fleets: FleetDirectory;
  clusterArn: string;
  /** Private subnets for the tasks' ENIs; tasks never get a public IP. */
  subnetIds: string[];
  securityGroupId: string;
  /** Role the ECS agent uses to pull the image, read `secretRef` secrets and write logs. */
  executionRoleArn: string;
  /** Role the job's container assumes. */
  taskRoleArn: string;
  logGroup: string;
  region: string;
  /** Clock used to recognise replayed launches; injectable for tests. */
  now?: () => Date;
}

/** ECS rejects RunTask when the JSON of `overrides` exceeds this many characters. */
const MAX_OVERRIDES_CHARS = 8192;
/** StopTask accepts a reason of up to 255 characters. */
const MAX_STOP_REASON_CHARS = 255;
/** RunTask `clientToken`: up to 64 ASCII characters in the range 33-126. */
const CLIENT_TOKEN = /^[\x21-\x7e]{1,64}$/;
/**
 * A task created more than this long before our RunTask call cannot have been created by it: ECS replayed
 * an earlier call with the same client token. The margin absorbs clock skew between Lambda and ECS.
 */
const REPLAY_MARGIN_MS = 10_000;
/**
 * RunTask failure reasons (and exception messages) that mean "no room right now" rather than "this request
 * can never work": out of GPUs/CPU/memory/ENIs, agent disconnected, instances not there (yet). Deliberately
 * narrow: a misconfigured capacity provider also mentions "capacity" but must not be retried forever.
 */
const isCapacityReason = (reason: string): boolean =>
  reason.startsWith('RESOURCE:') || reason === 'AGENT' || /capacity is unavailable|no container instances were found/i.test(reason);

/**
 * Runs jobs as ECS tasks on the stack's GPU cluster (docs/architecture.md, docs/scheduling.md).
 *
 * Idempotency of `launch` (exactly-once in effect over at-least-once dispatch):
 * - A job that already carries a `runRef` is not launched again: the recorded task is returned.
 * - Otherwise RunTask is called with `clientToken` = job id (plus `-<n>` for the n-th attempt after a
 *   Spot interruption). Within the token's lifetime (24 hours) ECS
 *   returns the original task for a repeated call instead of starting a second one; `alreadyLaunched` is
 *   set when that task was created before this call started. A repeat with different parameters (e.g. a
 *   newer task definition revision registered meanwhile) fails with ConflictException, which names the
 *   original task: that is a replay too. A replay within seconds of the first call may still report
 *   `alreadyLaunched: false`; the run reference is the same task either way.
 * - Beyond 24 hours the token no longer protects: the dispatcher must record `runRef` before that.
 */
export class EcsJobBackend implements JobBackend {
  readonly kind = 'ecs' as const;
  private readonly now: () => Date;

  constructor(private readonly config: EcsJobBackendConfig) {
    this.now = config.now ?? (() => new Date());
  }

  async launch(job: Job, hardware: HardwareRequirements): Promise<LaunchResult> {
    if (job.runRef) return { runRef: job.runRef, alreadyLaunched: true };
    const placement = await this.placementFor(job, hardware);
    // One token per attempt: a job queued again after a Spot interruption must get a new task, not ECS's
    // replay of the lost one (the first attempt keeps the bare job id).
    const clientToken = job.spotInterruptions ? `${job.id}-${job.spotInterruptions}` : job.id;
    if (!CLIENT_TOKEN.test(clientToken)) {
      throw new BackendLaunchError('ecs', 'Job id cannot be used as an ECS client token');
    }
    const startedBy = startedByForJob(job.id);
    const overrides = this.overridesFor(job);
    const overridesChars = JSON.stringify(overrides).length;
    if (overridesChars > MAX_OVERRIDES_CHARS) {
      throw new BackendLaunchError('ecs', `Command, args and env take ${overridesChars} characters; ECS allows ${MAX_OVERRIDES_CHARS}`);
    }

    const taskDefinitionArn = await this.ensureTaskDefinition(job, hardware);
    const input: RunTaskCommandInput = {
      cluster: this.config.clusterArn,
      taskDefinition: taskDefinitionArn,
      clientToken,
      count: 1,
      startedBy,
      // One provider per attempt: Spot first where the fleet has it, On-Demand after a Spot interruption.
      capacityProviderStrategy: [{ capacityProvider: placement.capacityProvider, weight: 1 }],
      ...(placement.constraint ? { placementConstraints: [placement.constraint] } : {}),
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: this.config.subnetIds,
          securityGroups: [this.config.securityGroupId],
          assignPublicIp: 'DISABLED',
        },
      },
      overrides,
      tags: [
        { key: 'qm:job-id', value: job.id },
        { key: 'qm:org-id', value: job.orgId },
      ],
      enableECSManagedTags: true,
      propagateTags: 'TASK_DEFINITION',
    };

    const calledAt = this.now().getTime();
    let response;
    try {
      response = await this.config.ecs.send(new RunTaskCommand(input));
    } catch (error) {
      if (error instanceof ConflictException && error.resourceIds?.[0]) {
        return { runRef: error.resourceIds[0], alreadyLaunched: true };
      }
      throw toLaunchError(error);
    }

    const task = response.tasks?.[0];
    if (task?.taskArn) {
      const createdAt = task.createdAt?.getTime();
      const alreadyLaunched = createdAt !== undefined && createdAt < calledAt - REPLAY_MARGIN_MS;
      const result: LaunchResult = { runRef: task.taskArn, alreadyLaunched, ecsPlacement: placement.recorded };
      // PROVISIONING: the capacity provider has no instance for it yet and managed scaling is adding one.
      if (task.lastStatus === 'PROVISIONING') {
        result.waitingForCapacity = { message: placement.waitingMessage, timeoutMinutes: placement.fleet.launchTimeoutMinutes };
      }
      return result;
    }
    const failure = response.failures?.[0];
    if (failure) throw fromRunTaskFailure(failure);
    // Neither a task nor a failure: an inconsistent answer. Throwing a plain error lets SQS redeliver; the
    // client token makes the retry safe.
    throw new Error('ECS RunTask returned neither a task nor a failure');
  }

  /**
   * Where this attempt runs: the hardware type's fleet, the purchase kind for the attempt, its capacity
   * provider, and, in a fleet of several sizes, a constraint pinning the task to the hardware type's size
   * (otherwise ECS could place a small job on a large instance, or wait on one that cannot hold it).
   */
  private async placementFor(job: Job, hardware: HardwareRequirements): Promise<Placement> {
    if (!hardware.ecs) {
      // Without an explicit provider ECS would use the cluster default, which may have no GPUs: the job
      // would then wait on RESOURCE:GPU forever instead of failing on the catalog mistake.
      throw new BackendLaunchError('ecs', `Hardware type ${hardware.hardwareType} names no ECS fleet`);
    }
    const fleet = await this.config.fleets.get(hardware.ecs.fleet);
    if (!fleet) {
      throw new BackendLaunchError(
        'ecs',
        `Hardware type ${hardware.hardwareType} names fleet "${hardware.ecs.fleet}", which this deployment does not have`,
      );
    }
    const purchase = purchaseForAttempt(fleet, job.spotInterruptions ?? 0);
    const capacityProvider = purchase === 'spot' ? fleet.capacityProviders.spot : fleet.capacityProviders.onDemand;
    if (!capacityProvider) throw new BackendLaunchError('ecs', `Fleet "${fleet.name}" has no ${purchase} capacity provider`);
    const instanceType = hardware.ecs.instanceType;
    const pin = instanceType !== undefined && fleet.instanceTypes.length > 1;
    const label = purchase === 'spot' ? 'Spot' : 'On-Demand';
    return {
      fleet,
      capacityProvider,
      ...(pin ? { constraint: { type: 'memberOf', expression: `attribute:ecs.instance-type == ${instanceType}` } } : {}),
      recorded: {
        fleet: fleet.name,
        purchase,
        ...(instanceType ? { instanceType } : {}),
        ...(fleet.purchase === 'spot-with-on-demand-fallback' ? { onDemandFallback: true } : {}),
      },
      waitingMessage: `Waiting for ${label} capacity on fleet "${fleet.name}"${instanceType ? ` (${instanceType})` : ''}: an instance is being started (the fleet scales from zero)`,
    };
  }

  async stop(job: Job, reason: string): Promise<void> {
    // Without a runRef the launch may still have happened (crash between RunTask and recording the ARN):
    // find the task by its startedBy marker rather than leave a GPU task running unaccounted.
    const taskArns = job.runRef ? [job.runRef] : await this.runningTasksOf(job);
    for (const task of taskArns) {
      try {
        await this.config.ecs.send(
          new StopTaskCommand({
            cluster: this.config.clusterArn,
            task,
            reason: reason.slice(0, MAX_STOP_REASON_CHARS),
          }),
        );
      } catch (error) {
        // StopTask on a stopped task succeeds; one that ECS already forgot is "not found". Both are done.
        if (!isTaskGone(error)) throw error;
      }
    }
  }

  private overridesFor(job: Job): TaskOverride {
    // Only plain values travel in overrides: they are visible to anyone who can DescribeTasks. Entries with
    // a secretRef are resolved by the ECS agent from the task definition's `secrets`.
    const environment = job.spec.env.flatMap((entry) => ('value' in entry ? [{ name: entry.name, value: entry.value }] : []));
    return {
      containerOverrides: [
        {
          name: JOB_CONTAINER_NAME,
          // ECS can override only the image's CMD, not its ENTRYPOINT: images with an ENTRYPOINT receive
          // command and args as its arguments (unlike Kubernetes, where `command` replaces ENTRYPOINT).
          command: [...job.spec.command, ...job.spec.args],
          ...(environment.length > 0 ? { environment } : {}),
        },
      ],
    };
  }

  /**
   * Families are content-addressed, so an ACTIVE definition found under the family is the one we need.
   * Two dispatchers registering the same family at once create two identical revisions: harmless.
   */
  private async ensureTaskDefinition(job: Job, hardware: HardwareRequirements): Promise<string> {
    const family = taskDefinitionFamily(job, hardware, this.config);
    try {
      const found = await this.config.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
      const definition = found.taskDefinition;
      if (definition?.taskDefinitionArn && definition.status === 'ACTIVE') return definition.taskDefinitionArn;
    } catch (error) {
      // ECS answers an unknown family with a ClientException ("Unable to describe task definition").
      if (!(error instanceof ClientException)) throw error;
    }
    try {
      const registered = await this.config.ecs.send(
        new RegisterTaskDefinitionCommand(buildTaskDefinitionInput(family, job, hardware, this.config)),
      );
      const arn = registered.taskDefinition?.taskDefinitionArn;
      if (!arn) throw new Error(`ECS registered task definition ${family} without an ARN`);
      return arn;
    } catch (error) {
      throw toLaunchError(error);
    }
  }

  private async runningTasksOf(job: Job): Promise<string[]> {
    const listed = await this.config.ecs.send(
      new ListTasksCommand({ cluster: this.config.clusterArn, startedBy: startedByForJob(job.id) }),
    );
    return listed.taskArns ?? [];
  }
}

interface Placement {
  fleet: DeployedFleet;
  capacityProvider: string;
  constraint?: { type: 'memberOf'; expression: string };
  recorded: { fleet: string; purchase: PurchaseKind; instanceType?: string };
  waitingMessage: string;
}

const fromRunTaskFailure = (failure: Failure): Error => {
  const reason = failure.reason ?? 'unknown';
  const message = `ECS could not start the task: ${reason}${failure.detail ? ` (${failure.detail})` : ''}`;
  return isCapacityReason(reason) ? new BackendCapacityError('ecs', message, reason) : new BackendLaunchError('ecs', message, reason);
};

/** Request errors that a retry cannot fix become BackendLaunchError; anything else propagates as is. */
const toLaunchError = (error: unknown): unknown => {
  if (
    error instanceof ClientException ||
    error instanceof InvalidParameterException ||
    error instanceof PlatformTaskDefinitionIncompatibilityException
  ) {
    const message = `ECS rejected the launch: ${error.message}`;
    return isCapacityReason(error.message)
      ? new BackendCapacityError('ecs', message, error.name, { cause: error })
      : new BackendLaunchError('ecs', message, error.name, { cause: error });
  }
  return error;
};

const isTaskGone = (error: unknown): boolean =>
  error instanceof ResourceNotFoundException ||
  ((error instanceof ClientException || error instanceof InvalidParameterException) &&
    /not found|does not exist|cannot be found/i.test(error.message));

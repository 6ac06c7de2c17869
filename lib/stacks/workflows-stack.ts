import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventBus, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { dispatcherEnvSchema } from '#functions/dispatcher/dispatcher.env';
import { approvalRedriveEnvSchema } from '#functions/workflows/approval/approval-redrive.env';
import { approvalStepsEnvSchema } from '#functions/workflows/approval/approval-steps.env';
import { OUTBOX_STREAM_FILTER } from '#adapters/dynamodb/outbox-stream';
import { relayEnvSchema } from '#functions/events/relay/relay.env';
import { statusEnvSchema } from '#functions/events/status/status.env';
import { reconcilerEnvSchema } from '#functions/reconciler/reconciler.env';
import { schedulerEnvSchema } from '#functions/scheduler/scheduler.env';
import { kubePollerEnvSchema } from '#functions/kube-poller/kube-poller.env';
import { dispatchRequestPattern, ecsTaskStateChangePattern, schedulerTriggerPattern } from '#lib/config/event-patterns';
import { ApprovalBridge } from '#lib/constructs/approval-bridge';
import { ApprovalFlow } from '#lib/constructs/approval-flow';
import { grantEcsJobLaunch, grantEcsTaskReads } from '#lib/constructs/ecs-launch-grants';
import { grantClusterSecrets, secretPrefixOf } from '#lib/constructs/kubernetes-access';
import { baseFunctionEnv, limitsFunctionEnv } from '#lib/constructs/function-env';
import { Notifier } from '#lib/constructs/notifier';
import { QmFunction } from '#lib/constructs/qm-function';
import { workQueue } from '#lib/constructs/work-queue';
import type { ComputeStack } from './compute-stack';
import type { DataStack } from './data-stack';
import type { QmStackProps } from './stack-props';

/** Dispatcher timeout; the queue's visibility timeout is six times it, as Lambda recommends for SQS sources. */
const DISPATCHER_TIMEOUT = Duration.seconds(30);
/**
 * Attempts of one outbox batch before its records go to the relay DLQ. With bisection a batch that keeps
 * failing is split until the failing record stands alone, so a poisoned record delays the others only briefly.
 */
const RELAY_RETRY_ATTEMPTS = 10;

export interface WorkflowsStackProps extends QmStackProps {
  /** The table the functions read and write. */
  readonly data: DataStack;
  /** Cluster, network and job roles the dispatcher launches into. */
  readonly compute: ComputeStack;
}

/**
 * Workflows lifecycle: the asynchronous path from admission to launch and back. The domain event bus and the
 * outbox relay that alone feeds it (from the table's stream); the
 * scheduler (never concurrent, woken every minute and by job events) admits jobs and enqueues them; the
 * dispatcher consumes the queue with partial batch failures and launches ECS tasks; the status function
 * turns ECS task state changes of our cluster into job transitions, and the reconciler (every 5 minutes)
 * repairs jobs whose state change never arrived from ECS's own answer; the approval flow (a Standard state
 * machine and its step function) holds jobs that a rule sends for sign-off; the notifier delivers events to
 * the org's notification channels.
 */
export class WorkflowsStack extends Stack {
  readonly eventBus: EventBus;
  readonly dispatchQueue: Queue;
  readonly dispatchDeadLetterQueue: Queue;
  readonly scheduler: QmFunction<typeof schedulerEnvSchema>;
  readonly dispatcher: QmFunction<typeof dispatcherEnvSchema>;
  readonly status: QmFunction<typeof statusEnvSchema>;
  /** The Kubernetes status poller, when the stage offers the kubernetes backend. */
  readonly kubePoller?: QmFunction<typeof kubePollerEnvSchema>;
  /** Compares every active job with its backend's truth and repairs what a lost report left behind. */
  readonly reconciler: QmFunction<typeof reconcilerEnvSchema>;
  readonly approvalSteps: QmFunction<typeof approvalStepsEnvSchema>;
  /** The outbox relay: the table's stream → the bus; the only function allowed to put events. */
  readonly relay: QmFunction<typeof relayEnvSchema>;
  /** Where the relay's event source mapping parks the records it could not deliver within its retries. */
  readonly relayDeadLetterQueue: Queue;
  /** The approval flow (Standard state machine): started, and its waits ended, by the approval bridge. */
  readonly approvalFlow: ApprovalFlow;
  /** Carries the approval flow signals the API records in its outbox to Step Functions (start, end a wait). */
  readonly approvalBridge: ApprovalBridge;
  /** Notification delivery: bus rule → SQS (+DLQ) → notifier function. */
  readonly notifier: Notifier;
  /** Re-drives approval flows whose execution is gone (a failed start, a failed execution), on a schedule. */
  readonly approvalRedrive: QmFunction<typeof approvalRedriveEnvSchema>;

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);
    const { config, data, compute } = props;
    const logRetention = config.logRetentionDays as RetentionDays;
    const base = baseFunctionEnv(config, data.table.tableName);

    this.eventBus = new EventBus(this, 'EventBus', {
      eventBusName: config.eventBusName,
    });

    // Domain events reach the bus only through the outbox: functions write them as items in the transaction of
    // the change they announce, and the relay puts them on the bus from the table's stream (docs/architecture.md,
    // "Events from committed state").
    this.relayDeadLetterQueue = new Queue(this, 'RelayDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.relay = new QmFunction(this, 'Relay', {
      entry: 'functions/events/relay/relay.handler.ts',
      envSchema: relayEnvSchema,
      env: { ...base, QM_EVENT_BUS_NAME: this.eventBus.eventBusName },
      description: 'Relays outbox events from the table stream to the event bus',
      timeout: Duration.seconds(30),
      logRetention,
    });
    this.eventBus.grantPutEventsTo(this.relay);
    this.relay.addEventSource(
      new DynamoEventSource(data.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: RELAY_RETRY_ATTEMPTS,
        onFailure: new SqsDlq(this.relayDeadLetterQueue),
        // Only new outbox items: not their TTL removal, not any other item of the table.
        filters: [
          FilterCriteria.filter({
            eventName: [OUTBOX_STREAM_FILTER.eventName],
            dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(OUTBOX_STREAM_FILTER.partitionKeyPrefix) } } },
          }),
        ],
      }),
    );
    Validations.of(this.relayDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "It is a DLQ: the relay's event source mapping sends what it gives up on here (an on-failure destination, which cdk-nag does not recognise as a DLQ)",
    });
    Validations.of(this.relay.role ?? this.relay).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams (granted with the stream event source) has no resource-level permissions',
    });

    ({ queue: this.dispatchQueue, deadLetterQueue: this.dispatchDeadLetterQueue } = workQueue(this, 'Dispatch', {
      consumerTimeout: DISPATCHER_TIMEOUT,
      maxReceiveCount: 5,
    }));

    this.scheduler = new QmFunction(this, 'Scheduler', {
      entry: 'functions/scheduler/scheduler.handler.ts',
      envSchema: schedulerEnvSchema,
      env: {
        ...base,
        ...limitsFunctionEnv(config),
      },
      description: 'Admits queued jobs atomically and enqueues them for dispatch',
      // One admission pass at a time: ordering and fair share assume a single writer.
      reservedConcurrentExecutions: 1,
      timeout: Duration.seconds(60),
      // A missed or throttled wake-up is harmless: the next tick runs the same pass.
      retryAttempts: 0,
      maxEventAge: Duration.minutes(2),
      logRetention,
    });
    data.grantReadWrite(this.scheduler);
    // Dispatch requests published on the bus become dispatch messages: `detail.data` is the message. The
    // rule retries delivery and parks what it cannot deliver in the dispatch DLQ, next to failed dispatches.
    new Rule(this, 'DispatchRequests', {
      description: 'Delivers job.dispatch_requested events to the dispatch queue',
      eventBus: this.eventBus,
      eventPattern: dispatchRequestPattern,
      targets: [
        new SqsQueue(this.dispatchQueue, {
          message: RuleTargetInput.fromEventPath('$.detail.data'),
          deadLetterQueue: this.dispatchDeadLetterQueue,
          retryAttempts: 20,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
    new Rule(this, 'SchedulerTick', {
      description: 'Runs the scheduler every minute (ageing, expiry, lost wake-ups)',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.scheduler)],
    });
    new Rule(this, 'SchedulerTrigger', {
      description: 'Wakes the scheduler when work arrives or capacity frees up',
      eventBus: this.eventBus,
      eventPattern: schedulerTriggerPattern,
      targets: [new LambdaFunction(this.scheduler)],
    });

    this.dispatcher = new QmFunction(this, 'Dispatcher', {
      entry: 'functions/dispatcher/dispatcher.handler.ts',
      envSchema: dispatcherEnvSchema,
      env: {
        ...base,
        QM_ECS_CLUSTER_ARN: compute.cluster.clusterArn,
        QM_ECS_SUBNET_IDS: compute.vpc.privateSubnets.map((subnet) => subnet.subnetId).join(','),
        QM_ECS_SECURITY_GROUP_ID: compute.jobSecurityGroup.securityGroupId,
        QM_ECS_EXECUTION_ROLE_ARN: compute.jobExecutionRole.roleArn,
        QM_ECS_TASK_ROLE_ARN: compute.jobTaskRole.roleArn,
        QM_JOB_LOG_GROUP: compute.jobLogGroup.logGroupName,
        QM_BACKENDS: config.backends.join(','),
        QM_SECRET_NAME_PREFIX: secretPrefixOf(config),
      },
      description: 'Launches admitted jobs idempotently (ECS: RunTask clientToken = job id; Kubernetes: Job name from the job id)',
      timeout: DISPATCHER_TIMEOUT,
      logRetention,
    });
    data.grantReadWrite(this.dispatcher);
    this.dispatcher.addEventSource(
      new SqsEventSource(this.dispatchQueue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // The ECS RunTask API throttles early; two pollers keep well under it.
        maxConcurrency: 2,
      }),
    );
    grantEcsJobLaunch(this.dispatcher, {
      clusterArn: compute.cluster.clusterArn,
      clusterName: compute.clusterName,
      executionRole: compute.jobExecutionRole,
      taskRole: compute.jobTaskRole,
    });

    if (config.backends.includes('kubernetes')) {
      grantClusterSecrets(this.dispatcher, config, 'read');
      this.kubePoller = this.createKubePoller(props, base, logRetention);
    }

    this.status = new QmFunction(this, 'Status', {
      entry: 'functions/events/status/status.handler.ts',
      envSchema: statusEnvSchema,
      env: base,
      description: 'Applies ECS task state changes to jobs',
      logRetention,
    });
    data.grantReadWrite(this.status);
    new Rule(this, 'EcsTaskStateChange', {
      description: 'ECS task state changes of the Quartermaster cluster',
      eventPattern: ecsTaskStateChangePattern(compute.cluster.clusterArn),
      targets: [new LambdaFunction(this.status)],
    });

    this.reconciler = new QmFunction(this, 'Reconciler', {
      entry: 'functions/reconciler/reconciler.handler.ts',
      envSchema: reconcilerEnvSchema,
      env: { ...base, QM_ECS_CLUSTER_ARN: compute.cluster.clusterArn },
      description: 'Repairs active jobs from their backend (ECS DescribeTasks) when a run report was lost',
      timeout: Duration.minutes(2),
      // Passes are safe to overlap (conditional writes), but one at a time keeps DescribeTasks calls low.
      reservedConcurrentExecutions: 1,
      retryAttempts: 0,
      logRetention,
    });
    // Ending a job settles its counters and usage and writes its event to the outbox (like the status function).
    data.grantReadWrite(this.reconciler);
    grantEcsTaskReads(this.reconciler, { clusterArn: compute.cluster.clusterArn, clusterName: compute.clusterName });
    new Rule(this, 'ReconcilerTick', {
      description: 'Runs the reconciler every 5 minutes (lost run reports)',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(this.reconciler)],
    });

    this.approvalSteps = new QmFunction(this, 'ApprovalSteps', {
      entry: 'functions/workflows/approval/approval-steps.handler.ts',
      envSchema: approvalStepsEnvSchema,
      env: base,
      description: 'Task states of the approval flow: record, store the wait token, escalate, expire',
      logRetention,
    });
    // Requests and their jobs; the queue-depth counter is never touched here (expiry ends a job, never queues it).
    // Its approval events go to the outbox (`OUTBOX#`), in the transaction of the step's write.
    data.grantPartitions(this.approvalSteps, { reads: ['JOB#*', 'ORG#*#APPROVALS'], writes: ['JOB#*', 'ORG#*#APPROVALS', 'OUTBOX#*'] });
    this.approvalFlow = new ApprovalFlow(this, 'ApprovalFlow', {
      steps: this.approvalSteps,
      stateMachineName: `quartermaster-approvals-${config.stage}`,
      logRetention,
    });
    this.approvalBridge = new ApprovalBridge(this, 'ApprovalBridge', {
      data,
      env: base,
      eventBus: this.eventBus,
      stateMachine: this.approvalFlow.stateMachine,
      logRetention,
    });
    this.notifier = new Notifier(this, 'Notifier', { config, data, eventBus: this.eventBus, logRetention });

    this.approvalRedrive = new QmFunction(this, 'ApprovalRedrive', {
      entry: 'functions/workflows/approval/approval-redrive.handler.ts',
      envSchema: approvalRedriveEnvSchema,
      env: { ...base, QM_APPROVAL_STATE_MACHINE_ARN: this.approvalFlow.stateMachine.stateMachineArn },
      description: 'Starts the approval flow of every job that waits for approval with no execution running',
      // One pass at a time; a missed tick is harmless (the next one finds the same jobs).
      reservedConcurrentExecutions: 1,
      timeout: Duration.seconds(60),
      retryAttempts: 0,
      logRetention,
    });
    // The waiting jobs (gsi2 `JOBSTATE#pending_approval#<shard>`); nothing is written here: the flow's steps do that.
    data.grantPartitions(this.approvalRedrive, { reads: ['JOBSTATE#pending_approval#*'], writes: [] });
    this.approvalFlow.stateMachine.grantStartExecution(this.approvalRedrive);
    // ListExecutions is authorized on the state machine (not its executions).
    this.approvalRedrive.addToRolePolicy(
      new PolicyStatement({ actions: ['states:ListExecutions'], resources: [this.approvalFlow.stateMachine.stateMachineArn] }),
    );
    new Rule(this, 'ApprovalRedriveTick', {
      description: 'Re-drives approval flows whose execution is gone (every 5 minutes)',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(this.approvalRedrive)],
    });
    Validations.of(this.approvalFlow.stateMachine).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'No X-Ray tracing: it would need xray:* on *, and each approval is a short chain of steps already logged (without execution data)',
    });
    Validations.of(this.approvalFlow.stateMachine.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.approvalSteps.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason: "CDK's standard Lambda task grant: invoking the one step function, any of its versions (the `:*` qualifier)",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Step Functions log delivery (logs:CreateLogDelivery, PutResourcePolicy, DescribeLogGroups …) has no resource-level permissions',
      },
    );
  }

  /**
   * The Kubernetes status poller (docs/kubernetes.md#status): every minute, one pass over the clusters and
   * namespaces with active Kubernetes jobs. Never concurrent (a slow pass is not overlapped by the next), no
   * retries (the next tick is the retry). It ends jobs like the status function does, hence the same grants.
   */
  private createKubePoller(
    props: WorkflowsStackProps,
    base: ReturnType<typeof baseFunctionEnv>,
    logRetention: RetentionDays,
  ): QmFunction<typeof kubePollerEnvSchema> {
    const { config, data } = props;
    const poller = new QmFunction(this, 'KubePoller', {
      entry: 'functions/kube-poller/kube-poller.handler.ts',
      envSchema: kubePollerEnvSchema,
      env: { ...base, QM_SECRET_NAME_PREFIX: secretPrefixOf(config) },
      description: 'Polls registered Kubernetes clusters (two list calls per namespace) and applies job status',
      reservedConcurrentExecutions: 1,
      timeout: Duration.seconds(50),
      retryAttempts: 0,
      maxEventAge: Duration.minutes(2),
      logRetention,
    });
    data.grantReadWrite(poller); // its job events go to the outbox with the transitions
    grantClusterSecrets(poller, config, 'read');
    new Rule(this, 'KubePollerTick', {
      description: 'Runs the Kubernetes status poller every minute',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(poller)],
    });
    return poller;
  }
}

import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { approvalBridgeEnvSchema } from '#functions/workflows/approval/approval-bridge.env';
import { approvalFlowSignalPattern } from '#lib/config/event-patterns';
import type { DataStack } from '#lib/stacks/data-stack';
import type { baseFunctionEnv } from './function-env';
import { QmFunction } from './qm-function';

export interface ApprovalBridgeProps {
  readonly data: DataStack;
  readonly env: ReturnType<typeof baseFunctionEnv>;
  /** The domain event bus: the rule takes the flow signals from it. */
  readonly eventBus: IEventBus;
  /** The approval state machine: the only one the bridge may start executions of and answer. */
  readonly stateMachine: IStateMachine;
  readonly logRetention: RetentionDays;
}

/**
 * The approval bridge (docs/approvals.md, "Starting and resuming flows"): an EventBridge rule on the approval flow
 * signals (`approvalFlowSignalPattern`, from the catalog exports) invokes the `approval-bridge` function, which
 * starts an execution (named after the request) or ends a closed request's wait with the token kept on it.
 * This keeps Step Functions out of the request path: the API functions record signals in their outbox and hold
 * no `states:*` right. Least privilege: the approval requests' partition only (read the token, drop it), and
 * StartExecution and the task responses on the approval state machine only. A signal whose handling keeps
 * failing is retried twice by Lambda, then parked in the DLQ; nothing is lost meanwhile: the re-drive starts
 * missing flows every 5 minutes, and a wait nobody ends closes at its next timer.
 */
export class ApprovalBridge extends Construct {
  readonly fn: QmFunction<typeof approvalBridgeEnvSchema>;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ApprovalBridgeProps) {
    super(scope, id);
    const { data, eventBus, stateMachine } = props;
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.fn = new QmFunction(this, 'Function', {
      entry: 'functions/workflows/approval/approval-bridge.handler.ts',
      envSchema: approvalBridgeEnvSchema,
      env: { ...props.env, QM_APPROVAL_STATE_MACHINE_ARN: stateMachine.stateMachineArn },
      description: 'Starts approval flows and ends their waits, from the flow signals the API records in its outbox',
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
    });
    this.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    // The request (state and kept task token); the only write drops that token once the wait is ended.
    data.grantPartitions(this.fn, { reads: ['ORG#*#APPROVALS'], writes: ['ORG#*#APPROVALS'] });
    stateMachine.grantStartExecution(this.fn);
    stateMachine.grantTaskResponse(this.fn);
    new Rule(this, 'FlowSignals', {
      description: 'Delivers approval.flow_signal events (start a flow, end a wait) to the approval bridge',
      eventBus,
      eventPattern: approvalFlowSignalPattern,
      targets: [new LambdaFunction(this.fn, { retryAttempts: 20, maxEventAge: Duration.hours(2), deadLetterQueue: this.deadLetterQueue })],
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "It is a DLQ: the bridge's on-failure destination and the rule target's dead-letter queue (neither of which cdk-nag recognises as a DLQ)",
    });
  }
}

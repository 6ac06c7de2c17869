import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  Errors,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MAX_EXPIRE_AFTER_MINUTES } from '#domain/approvals/approval-rule.schema';
import { REQUEST_CLOSED } from '#domain/approvals/approval-flow.service';

/** The state names, shared with the local runner and the bench (which count transitions per path). */
export const APPROVAL_FLOW_STATES = {
  record: 'RecordRequest',
  await: 'AwaitDecision',
  escalate: 'Escalate',
  awaitEscalated: 'AwaitEscalatedDecision',
  expire: 'Expire',
  closed: 'Closed',
} as const;

/** The whole flow may outlive the longest wait a rule allows by a day. */
export const APPROVAL_FLOW_TIMEOUT = Duration.minutes(MAX_EXPIRE_AFTER_MINUTES + 24 * 60);

export interface ApprovalFlowProps {
  /** The step function (`functions/workflows/approval/`): one Lambda, the step named in its payload. */
  readonly steps: IFunction;
  /** Name of the state machine (fixed, so its ARN can be granted without a reference cycle). */
  readonly stateMachineName?: string;
  /** Retention of the execution log group. @default 90 days */
  readonly logRetention?: RetentionDays;
}

/**
 * The approval flow (docs/approvals.md): one Step Functions **Standard** state machine per request, named after
 * it. The execution input is `{ approvalId, orgId }`, ids only. States:
 *
 *   RecordRequest           Task: `approval.required` once; seconds until the escalation time
 *   AwaitDecision           Task `.waitForTaskToken` (the step stores the token with the request), times out at
 *                           the escalation time → Escalate; a decision ends it (success → end)
 *   Escalate                Task: `approval.escalated` to the next level up once; seconds until the expiry time
 *   AwaitEscalatedDecision  Task `.waitForTaskToken`, times out at the expiry time → Expire
 *   Expire                  Task: request and job `expired` together, `approval.expired`
 *   Closed                  Succeed: the request was decided or its job cancelled meanwhile (`Approval.Closed`)
 *
 * The decision itself is not a state: the decision API moves request and job in one conditional
 * transaction and then ends the wait with SendTaskSuccess, so a decision is in effect exactly once even if
 * the callback is lost (the next timer's step finds the request closed). Approve and reject take 2
 * transitions, escalate-then-approve 4, expire 5: the logical minimum of each path (see `npm run bench`).
 * Execution logs carry no execution data (inputs, outputs, the task token).
 */
export class ApprovalFlow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ApprovalFlowProps) {
    super(scope, id);
    const ref = { approvalId: JsonPath.stringAt('$.approvalId'), orgId: JsonPath.stringAt('$.orgId') };
    const step = (name: string, payload: Record<string, unknown>, resultPath: string) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: props.steps,
        payload: TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        resultPath,
      });
    // The timer steps put their result at `$.Payload`, and each wait copies `waitSeconds` into its own Lambda
    // payload: `$.Payload.waitSeconds` then names the same value in the state input (where AWS resolves
    // TimeoutSecondsPath) and in the effective input after Parameters (where aws-local-stepfunctions 3 does).
    const wait = (name: string) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: props.steps,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({
          step: 'await',
          ...ref,
          taskToken: JsonPath.taskToken,
          waitSeconds: JsonPath.numberAt('$.Payload.waitSeconds'),
        }),
        taskTimeout: Timeout.at('$.Payload.waitSeconds'),
        resultPath: '$.decision',
      });

    const closed = new Succeed(this, APPROVAL_FLOW_STATES.closed, { comment: 'Decided or cancelled meanwhile' });
    const record = step(APPROVAL_FLOW_STATES.record, { step: 'record', ...ref }, '$.Payload');
    const awaitDecision = wait(APPROVAL_FLOW_STATES.await);
    const escalate = step(APPROVAL_FLOW_STATES.escalate, { step: 'escalate', ...ref }, '$.Payload');
    const awaitEscalated = wait(APPROVAL_FLOW_STATES.awaitEscalated);
    const expire = step(APPROVAL_FLOW_STATES.expire, { step: 'expire', ...ref }, JsonPath.DISCARD);
    for (const task of [record, awaitDecision, escalate, awaitEscalated, expire]) {
      task.addCatch(closed, { errors: [REQUEST_CLOSED], resultPath: JsonPath.DISCARD });
    }
    awaitDecision.addCatch(escalate, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
    awaitEscalated.addCatch(expire, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
    const definition = record.next(awaitDecision);
    escalate.next(awaitEscalated);

    const logGroup = new LogGroup(this, 'ExecutionLogs', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      comment: 'Quartermaster approval flow: record, wait, escalate, wait, expire',
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: APPROVAL_FLOW_TIMEOUT,
      // Execution history events without inputs and outputs: they would carry the task token.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: false,
    });
  }
}

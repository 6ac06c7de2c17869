import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SCHEDULER_TRIGGER_DETAIL_TYPES } from '#lib/config/event-patterns';
import { JOB_TASK_DEFINITION_FAMILY_PREFIX } from '#lib/constructs/ecs-launch-grants';
import { taskDefinitionFamily } from '#adapters/ecs/ecs-task-definition';
import type { Job } from '#domain/jobs/job.schema';
import { actionsOf, policyStatementsOfRole, synthQuartermaster } from './quartermaster-app.fixture';

const { stacks, template } = synthQuartermaster();
const workflows = template(stacks.workflows);
const logicalId = (construct: { node: { defaultChild?: unknown } }, stack = stacks.workflows) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);

describe('workflows stack: dispatch queue', () => {
  it('sends messages that fail five times to an encrypted DLQ', () => {
    workflows.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [logicalId(stacks.workflows.dispatchDeadLetterQueue), 'Arn'],
        },
        maxReceiveCount: 5,
      },
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
    });
  });

  it('encrypts every queue (dispatch and notification, each with its DLQ, and the relay and approval-bridge DLQs) and refuses plain-HTTP access to them', () => {
    const queues = workflows.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(6);
    for (const queue of Object.values(queues) as {
      Properties: { SqsManagedSseEnabled?: boolean; KmsMasterKeyId?: unknown };
    }[]) {
      expect(queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined).toBe(true);
    }
    const policies = Object.values(workflows.findResources('AWS::SQS::QueuePolicy')) as {
      Properties: { PolicyDocument: { Statement: unknown[] } };
    }[];
    expect(policies).toHaveLength(6);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });
});

describe('workflows stack: scheduler', () => {
  const scheduler = logicalId(stacks.workflows.scheduler);

  it('never runs concurrently, and names no bus (its events go to the outbox)', () => {
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
      Environment: {
        Variables: Match.objectLike({
          QM_EVENT_BUS_NAME: Match.absent(),
        }),
      },
    });
  });

  it('delivers dispatch requests from the bus to the dispatch queue, with a DLQ', () => {
    workflows.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalId(stacks.workflows.eventBus) },
      EventPattern: { source: ['quartermaster'], 'detail-type': ['job.dispatch_requested'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(stacks.workflows.dispatchQueue), 'Arn'] },
          InputPath: '$.detail.data',
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stacks.workflows.dispatchDeadLetterQueue), 'Arn'] } },
        }),
      ],
    });
  });

  it('runs every minute', () => {
    workflows.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [scheduler, 'Arn'] } })],
    });
  });

  it('wakes on job events from the quartermaster bus', () => {
    workflows.hasResourceProperties('AWS::Events::EventBus', {
      Name: 'quartermaster',
    });
    workflows.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalId(stacks.workflows.eventBus) },
      EventPattern: {
        source: ['quartermaster'],
        'detail-type': [...SCHEDULER_TRIGGER_DETAIL_TYPES],
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [scheduler, 'Arn'] } })],
    });
  });
});

describe('workflows stack: dispatcher', () => {
  const statements = policyStatementsOfRole(workflows, 'DispatcherRole');

  it('reports partial batch failures from the dispatch queue', () => {
    workflows.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stacks.workflows.dispatcher) },
      EventSourceArn: {
        'Fn::GetAtt': [logicalId(stacks.workflows.dispatchQueue), 'Arn'],
      },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('passes exactly the two job roles, only to ECS tasks', () => {
    const passRole = statements.filter((statement) => actionsOf(statement).includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    const [statement] = passRole;
    expect(actionsOf(statement!)).toEqual(['iam:PassRole']);
    const resources = JSON.stringify(statement!.Resource);
    expect(statement!.Resource).toHaveLength(2);
    expect(resources).toMatch(/JobExecutionRole/);
    expect(resources).toMatch(/JobTaskRole/);
    expect(statement!.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
  });

  it('runs, lists, stops and describes tasks only on the Quartermaster cluster', () => {
    for (const action of ['ecs:RunTask', 'ecs:ListTasks', 'ecs:StopTask', 'ecs:DescribeTasks']) {
      const granting = statements.filter((statement) => actionsOf(statement).includes(action));
      expect(granting, action).toHaveLength(1);
      expect(granting[0]!.Condition?.ArnEquals?.['ecs:cluster'], action).toBeDefined();
    }
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((action) => action.startsWith('ecs:')).sort()).toEqual([
      'ecs:DescribeTaskDefinition',
      'ecs:DescribeTasks',
      'ecs:ListTasks',
      'ecs:RegisterTaskDefinition',
      'ecs:RunTask',
      'ecs:StopTask',
      'ecs:TagResource',
    ]);
    expect(actions.some((action) => action.includes('*'))).toBe(false);
  });

  it('runs only job task definitions, named as the ECS backend names them', () => {
    const [runTask] = statements.filter((statement) => actionsOf(statement).includes('ecs:RunTask'));
    expect(JSON.stringify(runTask!.Resource)).toContain(`:task-definition/${JOB_TASK_DEFINITION_FAMILY_PREFIX}*`);
    const job = { spec: { image: 'nvcr.io/nvidia/pytorch:24.01-py3', env: [] } } as unknown as Job;
    const family = taskDefinitionFamily(
      job,
      { hardwareType: 'g5', gpuCount: 1, vcpu: 4, memoryMiB: 15000 },
      {
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        taskRoleArn: 'arn:aws:iam::123456789012:role/task',
        logGroup: '/quartermaster/jobs',
        region: 'eu-west-1',
      },
    );
    expect(family.startsWith(JOB_TASK_DEFINITION_FAMILY_PREFIX)).toBe(true);
  });
});

describe('workflows stack: status', () => {
  it('receives ECS task state changes of our cluster from the default bus', () => {
    workflows.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { clusterArn: [Match.anyValue()] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(stacks.workflows.status), 'Arn'] },
        }),
      ],
    });
  });
});

describe('workflows stack: approval re-drive', () => {
  const redrive = logicalId(stacks.workflows.approvalRedrive);
  const machine = logicalId(stacks.workflows.approvalFlow.stateMachine);

  it('runs every 5 minutes, one pass at a time', () => {
    workflows.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [redrive, 'Arn'] } })],
    });
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Handler: Match.anyValue(),
      ReservedConcurrentExecutions: 1,
      Environment: { Variables: Match.objectLike({ QM_APPROVAL_STATE_MACHINE_ARN: { Ref: machine } }) },
    });
  });

  it('may list and start executions of the approval state machine only, and read the waiting jobs only', () => {
    const statements = policyStatementsOfRole(workflows, 'ApprovalRedriveRole');
    const states = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('states:')));
    expect(states.flatMap(actionsOf).sort()).toEqual(['states:ListExecutions', 'states:StartExecution']);
    for (const statement of states) expect(statement.Resource).toEqual({ Ref: machine });
    const table = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    expect(table.flatMap(actionsOf).some((action) => /Put|Update|Delete|Write/.test(action))).toBe(false);
    expect(JSON.stringify(table)).toContain('JOBSTATE#pending_approval');
  });
});

describe('workflows stack: outbox relay', () => {
  const relay = logicalId(stacks.workflows.relay);
  const statements = policyStatementsOfRole(workflows, 'RelayRole');

  it('is fed by the table stream: new outbox items only, partial batch failures, bisection, bounded retries, a DLQ', () => {
    workflows.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: relay },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stacks.workflows.relayDeadLetterQueue), 'Arn'] } },
      },
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'OUTBOX#' }] } } } }) }],
      },
    });
    const mappings = Object.values(workflows.findResources('AWS::Lambda::EventSourceMapping')) as {
      Properties: { FunctionName: { Ref: string }; EventSourceArn: unknown };
    }[];
    const relayMapping = mappings.find((m) => m.Properties.FunctionName.Ref === relay);
    expect(JSON.stringify(relayMapping?.Properties.EventSourceArn)).toMatch(/StreamArn/);
  });

  it('may put events on the quartermaster bus and read the stream, and touches no table item', () => {
    const putEvents = statements.filter((statement) => actionsOf(statement).includes('events:PutEvents'));
    expect(putEvents).toHaveLength(1);
    expect(JSON.stringify(putEvents[0]!.Resource)).toContain(logicalId(stacks.workflows.eventBus));
    const dynamo = statements.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'));
    expect(dynamo.sort()).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
  });

  it('is the only function of the stage allowed to put events: every other writer goes through the outbox', () => {
    const putters: string[] = [];
    for (const stack of [stacks.data, stacks.identity, stacks.compute, stacks.workflows, stacks.api, stacks.web]) {
      const policies = Object.values(template(stack).findResources('AWS::IAM::Policy')) as {
        Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: { Action: string | string[] }[] } };
      }[];
      for (const policy of policies) {
        const actions = policy.Properties.PolicyDocument.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
        if (actions.some((action) => action === 'events:PutEvents' || action === 'events:*'))
          putters.push(...policy.Properties.Roles.map((role) => `${stack.stackName}/${role.Ref}`));
      }
    }
    expect(putters).toHaveLength(1);
    expect(putters[0]).toMatch(new RegExp(`^${stacks.workflows.stackName}/RelayRole`));
  });

  it('carries the bus name; no other function of the stage does', () => {
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ QM_EVENT_BUS_NAME: { Ref: logicalId(stacks.workflows.eventBus) } }) },
    });
    const withBus = [stacks.workflows, stacks.api].flatMap((stack) =>
      (
        Object.values(template(stack).findResources('AWS::Lambda::Function')) as {
          Properties: { Environment?: { Variables?: Record<string, unknown> } };
        }[]
      ).filter((fn) => fn.Properties.Environment?.Variables?.QM_EVENT_BUS_NAME !== undefined),
    );
    expect(withBus).toHaveLength(1);
  });
});

describe('workflows stack: reconciler', () => {
  const reconciler = logicalId(stacks.workflows.reconciler);
  const statements = policyStatementsOfRole(workflows, 'ReconcilerRole');

  it('runs every 5 minutes, one pass at a time', () => {
    workflows.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [reconciler, 'Arn'] } })],
    });
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Handler: Match.anyValue(),
      ReservedConcurrentExecutions: 1,
      Environment: { Variables: Match.objectLike({ QM_ECS_CLUSTER_ARN: Match.anyValue() }) },
    });
  });

  it('may only describe tasks of the Quartermaster cluster: no launch, stop or pass-role', () => {
    const ecsActions = statements.flatMap(actionsOf).filter((action) => action.startsWith('ecs:') || action.startsWith('iam:'));
    expect(ecsActions).toEqual(['ecs:DescribeTasks']);
    const [describeTasks] = statements.filter((statement) => actionsOf(statement).includes('ecs:DescribeTasks'));
    expect(describeTasks!.Condition?.ArnEquals?.['ecs:cluster']).toBeDefined();
    expect(JSON.stringify(describeTasks!.Resource)).toContain(':task/quartermaster-');
  });
});

import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { APPROVAL_FLOW_STATES, APPROVAL_FLOW_TIMEOUT } from '#lib/constructs/approval-flow';
import { LOCAL_STEPS_ARN, synthesizedApprovalFlowDefinition } from '#scripts/local/approval-flow/synthesized-definition';
import { actionsOf, policyStatementsOfRole, synthQuartermaster } from './quartermaster-app.fixture';

const { stacks, template } = synthQuartermaster();
const workflows = template(stacks.workflows);
const [machine] = Object.values(workflows.findResources('AWS::StepFunctions::StateMachine')) as {
  Properties: { StateMachineType: string; DefinitionString: unknown; LoggingConfiguration: Record<string, unknown>; RoleArn: unknown };
}[];

/** The deployed definition with the step function's ARN replaced by the local placeholder. */
function deployedDefinition(): { StartAt: string; TimeoutSeconds?: number; States: Record<string, Record<string, any>> } {
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const node = value as Record<string, any>;
    if (node['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map(resolve).join(node['Fn::Join'][0]);
    if (node.Ref === 'AWS::Partition') return 'aws';
    if (node['Fn::GetAtt']?.[0]?.startsWith('ApprovalSteps')) return LOCAL_STEPS_ARN;
    throw new Error(`unexpected ${JSON.stringify(value)}`);
  };
  return JSON.parse(resolve(machine!.Properties.DefinitionString));
}

describe('approval flow state machine', () => {
  const definition = deployedDefinition();

  it('is one Standard state machine whose states are the ones its construct header lists', () => {
    expect(machine!.Properties.StateMachineType).toBe('STANDARD');
    expect(Object.keys(definition.States).sort()).toEqual(Object.values(APPROVAL_FLOW_STATES).sort());
    expect(definition.StartAt).toBe(APPROVAL_FLOW_STATES.record);
  });

  it('is the very definition the local stack runs', () => {
    expect(synthesizedApprovalFlowDefinition()).toEqual(definition);
  });

  it('times every wait out (escalation, then expiry) and bounds the whole execution', () => {
    expect(definition.TimeoutSeconds).toBe(APPROVAL_FLOW_TIMEOUT.toSeconds());
    for (const name of [APPROVAL_FLOW_STATES.await, APPROVAL_FLOW_STATES.awaitEscalated]) {
      const state = definition.States[name]!;
      expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(state.TimeoutSecondsPath).toBe('$.Payload.waitSeconds');
      expect(state.Catch.map((c: { ErrorEquals: string[] }) => c.ErrorEquals[0])).toContain('States.Timeout');
    }
    expect(definition.States[APPROVAL_FLOW_STATES.await]!.Catch.find((c: any) => c.ErrorEquals[0] === 'States.Timeout').Next).toBe(
      APPROVAL_FLOW_STATES.escalate,
    );
    expect(definition.States[APPROVAL_FLOW_STATES.awaitEscalated]!.Catch.find((c: any) => c.ErrorEquals[0] === 'States.Timeout').Next).toBe(
      APPROVAL_FLOW_STATES.expire,
    );
  });

  it('logs every execution event without execution data (inputs and outputs would carry the task token)', () => {
    expect(machine!.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  it('passes ids only: no task reads anything from the input but the request and org ids and the timer', () => {
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task') continue;
      const payload = state.Parameters.Payload ?? state.Parameters;
      const paths = Object.entries(payload as Record<string, string>)
        .filter(([key]) => key.endsWith('.$'))
        .map(([key, path]) => `${key}=${path}`)
        .sort();
      const expected = ['approvalId.$=$.approvalId', 'orgId.$=$.orgId'];
      if (name.startsWith('Await')) expected.push('taskToken.$=$$.Task.Token', 'waitSeconds.$=$.Payload.waitSeconds');
      expect(paths, name).toEqual(expected.sort());
    }
  });

  it('may invoke the step function and nothing else; the step function holds no Step Functions rights', () => {
    const machineStatements = policyStatementsOfRole(workflows, 'ApprovalFlowStateMachineRole');
    const actions = machineStatements.flatMap(actionsOf);
    expect(actions.filter((action) => !action.startsWith('logs:')).sort()).toEqual(['lambda:InvokeFunction']);
    const steps = policyStatementsOfRole(workflows, 'ApprovalStepsRole').flatMap(actionsOf);
    expect(steps.some((action) => action.startsWith('states:'))).toBe(false);
  });
});

describe('Step Functions calls: least privilege', () => {
  const api = template(stacks.api);
  const statesStatements = (t: ReturnType<typeof template>, role: string) =>
    policyStatementsOfRole(t, role).filter((statement) => actionsOf(statement).some((action) => action.startsWith('states:')));
  const machineRef = { Ref: stacks.workflows.getLogicalId(stacks.workflows.approvalFlow.stateMachine.node.defaultChild as never) };

  it('gives no API function any Step Functions permission: the request path records flow signals in its outbox', () => {
    const roles = Object.keys(api.findResources('AWS::IAM::Role'));
    expect(roles.some((id) => id.startsWith('FunctionsJobsRole'))).toBe(true);
    for (const role of roles) expect(statesStatements(api, role.replace(/[A-F0-9]{8}$/, '')), role).toEqual([]);
  });

  it('lets the approval bridge start executions and end waits of the approval state machine only, and touch approval requests only', () => {
    const statements = statesStatements(workflows, 'ApprovalBridgeFunctionRole');
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
      'states:StartExecution',
    ]);
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).toContain('ApprovalFlowStateMachine');
    const table = policyStatementsOfRole(workflows, 'ApprovalBridgeFunctionRole').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    );
    expect(table.length).toBeGreaterThan(0);
    for (const statement of table) {
      expect(statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual(['ORG#*#APPROVALS']);
    }
  });

  it('feeds the bridge the flow signals of the bus, with retries and a DLQ', () => {
    const bridge = stacks.workflows.getLogicalId(stacks.workflows.approvalBridge.fn.node.defaultChild as never);
    workflows.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['quartermaster'], 'detail-type': ['approval.flow_signal'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [bridge, 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
    workflows.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: bridge },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Handler: Match.anyValue(),
      Description: Match.stringLikeRegexp('^Starts approval flows'),
      Environment: { Variables: Match.objectLike({ QM_APPROVAL_STATE_MACHINE_ARN: machineRef }) },
    });
  });

  it('gives Step Functions rights in the workflows stack to the bridge and the re-drive only', () => {
    const roles = Object.keys(workflows.findResources('AWS::IAM::Role')).filter(
      (id) => statesStatements(workflows, id.replace(/[A-F0-9]{8}$/, '')).length > 0,
    );
    expect(roles.map((id) => id.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual(['ApprovalBridgeFunctionRole', 'ApprovalRedriveRole']);
  });
});

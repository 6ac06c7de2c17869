import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { ApprovalFlow } from '#lib/constructs/approval-flow';

/** The step function's ARN in the local definition: never called (every task state is overridden locally). */
export const LOCAL_STEPS_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:quartermaster-approval-steps';

const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '000000000000',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** CloudFormation intrinsics the definition may carry: string joins of pseudo parameters, nothing else. */
function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(resolve).join(join[0]);
    const ref = (value as { Ref?: string }).Ref;
    if (ref && PSEUDO_PARAMETERS[ref]) return PSEUDO_PARAMETERS[ref];
  }
  throw new Error(`Unexpected intrinsic in the approval flow definition: ${JSON.stringify(value)}`);
}

/**
 * The approval flow's ASL exactly as CDK synthesizes it: the `ApprovalFlow` construct in a throwaway stack,
 * with the step function imported by ARN (nothing is bundled), its `DefinitionString` read from the
 * template and its pseudo parameters filled in. The deployed stack synthesizes the same construct.
 */
export function synthesizedApprovalFlowDefinition(): StateMachineDefinition {
  const app = new App();
  const stack = new Stack(app, 'LocalApprovalFlow');
  new ApprovalFlow(stack, 'Flow', { steps: LambdaFunction.fromFunctionArn(stack, 'Steps', LOCAL_STEPS_ARN) });
  const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines) as { Properties: { DefinitionString: unknown } }[];
  if (!machine) throw new Error('The ApprovalFlow construct synthesized no state machine');
  return JSON.parse(resolve(machine.Properties.DefinitionString)) as StateMachineDefinition;
}

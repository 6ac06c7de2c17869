import { Tags, type App } from 'aws-cdk-lib';
import type { StageConfig } from './config/stage-config';
import { ApiStack } from './stacks/api-stack';
import { ComputeStack } from './stacks/compute-stack';
import { DataStack } from './stacks/data-stack';
import { IdentityStack } from './stacks/identity-stack';
import { WebStack } from './stacks/web-stack';
import { WorkflowsStack } from './stacks/workflows-stack';

/** The stacks of one stage, by lifecycle. */
export interface QuartermasterStacks {
  readonly data: DataStack;
  readonly identity: IdentityStack;
  readonly compute: ComputeStack;
  readonly workflows: WorkflowsStack;
  readonly api: ApiStack;
  readonly web: WebStack;
}

/**
 * Adds one stage of Quartermaster to `app`: six stacks split by lifecycle, named `qm-<stage>-<lifecycle>`.
 * Stateful stacks (data, identity) have termination protection. The stacks are environment-agnostic, so
 * synth needs no credentials; `cdk deploy` resolves account and region from the caller's profile.
 *
 * Dependencies point one way: data ← compute (its catalog seed writes the table); data, identity, compute ←
 * workflows ← api ← web (the console's config.json names the API and the Cognito client).
 */
export function addQuartermasterStacks(app: App, config: StageConfig): QuartermasterStacks {
  const name = (lifecycle: string) => `qm-${config.stage}-${lifecycle}`;
  const common = { config };

  const data = new DataStack(app, name('data'), {
    ...common,
    description: 'Quartermaster: single table and its KMS key',
    terminationProtection: true,
  });
  const identity = new IdentityStack(app, name('identity'), {
    ...common,
    description: 'Quartermaster: Cognito user pool and SPA client',
    terminationProtection: true,
  });
  const compute = new ComputeStack(app, name('compute'), {
    ...common,
    data,
    description: 'Quartermaster: VPC, ECS cluster, GPU capacity',
  });
  const workflows = new WorkflowsStack(app, name('workflows'), {
    ...common,
    data,
    compute,
    description: 'Quartermaster: event bus, scheduler, dispatch queue, dispatcher, status',
  });
  const api = new ApiStack(app, name('api'), {
    ...common,
    data,
    workflows,
    compute,
    identity,
    description: 'Quartermaster: HTTP API, authorizer, route functions',
  });
  const web = new WebStack(app, name('web'), {
    ...common,
    api,
    identity,
    description: 'Quartermaster: web console on S3 and CloudFront',
  });

  Tags.of(app).add('project', 'quartermaster');
  Tags.of(app).add('stage', config.stage);
  return { data, identity, compute, workflows, api, web };
}

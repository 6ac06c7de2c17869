import { Tags, type App } from 'aws-cdk-lib';
import type { StageConfig } from './config/stage-config';
import { ApiStack } from './stacks/api-stack';
import { ComputeStack } from './stacks/compute-stack';
import { DataStack } from './stacks/data-stack';
import { EdgeStack } from './stacks/edge-stack';
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
  /** Only for a stage with a `region` other than us-east-1: the CloudFront web ACL, in us-east-1. */
  readonly edge?: EdgeStack;
}

/**
 * Adds one stage of Quartermaster to `app`: six stacks split by lifecycle, named `qm-<stage>-<lifecycle>`
 * (seven outside us-east-1: the `edge` stack holds the CloudFront web ACL there).
 * Stateful stacks (data, identity) have termination protection. The stacks are account-agnostic, so synth
 * needs no credentials; `cdk deploy` resolves the account, and the region unless the stage names one, from the
 * caller's profile.
 *
 * Dependencies point one way: data ← compute (its catalog seed writes the table); data, identity, compute ←
 * workflows ← api ← web (the console's config.json names the Cognito client; the distribution fronts the API)
 * ← edge (the web ACL, outside us-east-1).
 */
export function addQuartermasterStacks(app: App, config: StageConfig): QuartermasterStacks {
  const name = (lifecycle: string) => `qm-${config.stage}-${lifecycle}`;
  // A stage's `region` pins every stack to it (cross-region references need explicit regions); none: as the profile says.
  const common = { config, ...(config.region ? { env: { region: config.region } } : {}) };

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
  // CloudFront takes web ACLs from us-east-1 only: elsewhere, a small edge stack there holds it.
  const edge =
    config.region && config.region !== 'us-east-1'
      ? new EdgeStack(app, name('edge'), { config, description: 'Quartermaster: WAF web ACL for CloudFront (us-east-1)' })
      : undefined;
  const web = new WebStack(app, name('web'), {
    ...common,
    api,
    identity,
    ...(edge ? { webAclArn: edge.webAcl.webAcl.attrArn, crossRegionReferences: true } : {}),
    description: 'Quartermaster: web console and API front door on CloudFront, behind WAF',
  });

  Tags.of(app).add('project', 'quartermaster');
  Tags.of(app).add('stage', config.stage);
  return { data, identity, compute, workflows, api, web, ...(edge ? { edge } : {}) };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfigFromContext, type StageConfigInput } from '#lib/config/stage-config';
import { REPO_ROOT } from '#lib/constructs/qm-function';
import { addQuartermasterStacks, type QuartermasterStacks } from '#lib/quartermaster-app';

/** The context the CLI would use: feature flags and stage settings from cdk.json. */
const cdkContext = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export interface SynthOptions {
  /** Register cdk-nag's AwsSolutions pack, as `bin/app.ts` does. */
  readonly nag?: boolean;
  /** Run esbuild for every function. Off, assets get a placeholder hash: the templates are identical otherwise. */
  readonly bundle?: boolean;
  /** Stage settings laid over cdk.json's `quartermaster` object (as a deployment's own context would). */
  readonly config?: Partial<StageConfigInput>;
}

export interface SynthesizedApp {
  readonly app: App;
  readonly stacks: QuartermasterStacks;
  readonly assembly: CloudAssembly;
  readonly template: (stack: Stack) => Template;
  /** Every stack of the stage. */
  readonly allStacks: readonly Stack[];
}

/**
 * Builds and synthesizes the whole app the way `bin/app.ts` does. Call it once per test file (at module
 * level) and share the result: a synth is the slow part of every CDK test.
 */
export function synthQuartermaster(options: SynthOptions = {}): SynthesizedApp {
  const context: Record<string, unknown> = { ...cdkContext };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  if (options.config) context.quartermaster = { ...(context.quartermaster as object), ...options.config };
  const app = new App({ context });
  const stacks = addQuartermasterStacks(app, stageConfigFromContext(app.node));
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  const templates = new Map<Stack, Template>();
  const template = (stack: Stack): Template => {
    let cached = templates.get(stack);
    if (!cached) {
      cached = Template.fromStack(stack);
      templates.set(stack, cached);
    }
    return cached;
  };
  const allStacks = [
    stacks.data,
    stacks.identity,
    stacks.compute,
    stacks.workflows,
    stacks.api,
    stacks.web,
    ...(stacks.edge ? [stacks.edge] : []),
  ];
  return { app, stacks, assembly, template, allStacks };
}

/** Statements of every IAM policy attached to `roleLogicalIdPrefix` (a role's logical id starts with its construct id). */
export function policyStatementsOfRole(template: Template, roleConstructId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const statements: Statement[] = [];
  for (const policy of Object.values(policies) as {
    Properties: {
      Roles: { Ref: string }[];
      PolicyDocument: { Statement: Statement[] };
    };
  }[]) {
    if (policy.Properties.Roles.some((role) => role.Ref.startsWith(roleConstructId)))
      statements.push(...policy.Properties.PolicyDocument.Statement);
  }
  return statements;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** A statement's actions as an array. */
export const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

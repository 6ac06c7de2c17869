import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { healthEnvSchema } from '#functions/api/health/health.env';
import { jobsEnvSchema } from '#functions/api/jobs/jobs.env';
import { LOCAL_ONLY_ENV_KEYS, QmFunction, type DeployedEnv, type QmFunctionProps } from '#lib/constructs/qm-function';
import type * as z from 'zod/mini';
import { synthQuartermaster } from './quartermaster-app.fixture';

const { allStacks, template } = synthQuartermaster();

interface CfnFunction {
  Properties: {
    Runtime?: string;
    Architectures?: string[];
    Environment?: { Variables?: Record<string, unknown> };
    LoggingConfig?: { LogGroup?: unknown };
  };
}
/** Quartermaster's own functions (not CDK's custom-resource providers) all carry QM_TABLE_NAME. */
const functions = allStacks.flatMap((stack) =>
  (Object.entries(template(stack).findResources('AWS::Lambda::Function')) as [string, CfnFunction][]).filter(
    ([, fn]) => fn.Properties.Environment?.Variables?.QM_TABLE_NAME !== undefined,
  ),
);

describe('every Quartermaster function', () => {
  it('exists once per entry point', () => {
    expect(functions.map(([id]) => id.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual(
      [
        ...API_ROUTE_GROUPS.map((group) => `Functions${group.name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`),
        'ApprovalBridgeFunction',
        'ApprovalRedrive',
        'ApprovalSteps',
        'Authorizer',
        'Dispatcher',
        'NotifierFunction',
        'Relay',
        'Reconciler',
        'Scheduler',
        'Status',
      ].sort(),
    );
  });

  it('runs nodejs24.x on arm64 and logs JSON to its own log group', () => {
    for (const [id, fn] of functions) {
      expect(fn.Properties.Runtime, id).toBe('nodejs24.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
      expect(JSON.stringify(fn.Properties.LoggingConfig?.LogGroup), id).toMatch(/^\{"Ref":"\w+Logs[0-9A-F]{8}"\}$/);
    }
  });

  it('never carries local-stack settings', () => {
    for (const [id, fn] of functions) {
      const env = fn.Properties.Environment?.Variables ?? {};
      for (const key of LOCAL_ONLY_ENV_KEYS) expect(env[key], `${id} ${key}`).toBeUndefined();
      expect(
        Object.keys(env).filter((key) => /ENDPOINT/.test(key)),
        id,
      ).toEqual([]);
      const backends = env.QM_BACKENDS;
      if (backends !== undefined) {
        // A literal, so the test can read it (a token could hide `local`).
        expect(typeof backends, id).toBe('string');
        if (typeof backends === 'string') expect(backends.split(','), id).not.toContain('local');
      }
    }
  });

  it('uses no AWS managed policy on any role of ours', () => {
    for (const stack of allStacks) {
      for (const [id, role] of Object.entries(template(stack).findResources('AWS::IAM::Role'))) {
        // CDK's own custom-resource provider (restricting the VPC's default security group) is not ours to shape.
        if (id.startsWith('Custom')) continue;
        expect((role as { Properties: { ManagedPolicyArns?: unknown } }).Properties.ManagedPolicyArns, id).toBeUndefined();
      }
    }
  });

  it('has a retention on every log group of the app', () => {
    for (const stack of allStacks) {
      for (const [id, group] of Object.entries(template(stack).findResources('AWS::Logs::LogGroup'))) {
        expect((group as { Properties: { RetentionInDays?: number } }).Properties.RetentionInDays, id).toBeGreaterThan(0);
      }
    }
  });
});

describe('QmFunction', () => {
  const entry = 'functions/api/health/health.handler.ts';
  const scopeWithoutBundling = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Probe');
  /** Building the function, deferred so that `toThrow` sees what the constructor refuses. */
  const building =
    <S extends z.core.$ZodType>(props: QmFunctionProps<S>) =>
    () =>
      new QmFunction(scopeWithoutBundling(), 'Probe', props);

  it('refuses local-only variables even when the type system is bypassed', () => {
    const env = {
      QM_TABLE_NAME: 'table',
      QM_LOCAL_STACK: 'true',
    } as unknown as DeployedEnv<typeof healthEnvSchema>;
    expect(building({ entry, envSchema: healthEnvSchema, env })).toThrow(/QM_LOCAL_STACK/);
  });

  it('refuses the local backend', () => {
    const env = {
      QM_TABLE_NAME: 'table',
      QM_BACKENDS: 'ecs,local',
    };
    expect(building({ entry: 'functions/api/jobs/jobs.handler.ts', envSchema: jobsEnvSchema, env })).toThrow(/local/);
  });

  it('checks literal values against the env schema at synth', () => {
    const env = { QM_TABLE_NAME: 'table', QM_JOB_RETENTION_DAYS: 'ninety' };
    expect(building({ entry, envSchema: healthEnvSchema, env })).toThrow(/QM_JOB_RETENTION_DAYS/);
  });

  it('types the environment from the schema', () => {
    // Compile-time checks: `npm run typecheck` fails if these stop being errors.
    const withLocal: DeployedEnv<typeof healthEnvSchema> = {
      QM_TABLE_NAME: 'table',
      // @ts-expect-error a local-only key is not part of a deployed environment
      QM_LOCAL_STACK: 'false',
    };
    // @ts-expect-error QM_TABLE_NAME is required
    const missing: DeployedEnv<typeof healthEnvSchema> = {};
    expect([withLocal, missing]).toHaveLength(2);
  });
});

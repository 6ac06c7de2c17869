import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { authorizerEnvSchema } from '#functions/authorizer/authorizer.env';
import { dispatcherEnvSchema } from '#functions/dispatcher/dispatcher.env';
import { healthEnvSchema } from '#functions/api/health/health.env';
import { jobsEnvSchema } from '#functions/api/jobs/jobs.env';
import { schedulerEnvSchema } from '#functions/scheduler/scheduler.env';
import { statusEnvSchema } from '#functions/events/status/status.env';
import { parseBackends } from '#config/backends';
import { assertNotLocalInLambda, loadEnv } from '#config/env';

/**
 * docs/architecture.md#identity: anything that skips verification exists only in the local stack and must be impossible to
 * enable in a deployed stack — the deployed authorizer refuses to start with it. "Deployed" is detected by
 * AWS_LAMBDA_FUNCTION_NAME, which the Lambda runtime always sets.
 */

const IN_LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: 'qm-authorizer' };
/** Enough for every function's schema to parse. */
const validEnv: Record<string, string> = {
  QM_TABLE_NAME: 'quartermaster',
  QM_API_BASE_URL: 'https://api.example.com',
  QM_DISPATCH_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/qm-dispatch',
  QM_ECS_CLUSTER_ARN: 'arn:aws:ecs:eu-west-1:123456789012:cluster/qm',
  QM_ECS_SUBNET_IDS: 'subnet-1,subnet-2',
  QM_ECS_SECURITY_GROUP_ID: 'sg-1',
  QM_ECS_EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/exec',
  QM_ECS_TASK_ROLE_ARN: 'arn:aws:iam::123456789012:role/task',
  QM_APPROVAL_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:quartermaster-approvals-prod',
};
const LOCAL_SETTINGS = {
  QM_LOCAL_STACK: 'true',
  QM_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
  QM_SQS_ENDPOINT: 'http://127.0.0.1:9324',
} as const;

describe('loadEnv refuses local-stack settings inside Lambda', () => {
  it('refuses QM_LOCAL_STACK=true for the authorizer (the dev principal cannot be enabled)', () => {
    expect(() => loadEnv(authorizerEnvSchema, { ...validEnv, QM_LOCAL_STACK: 'true', ...IN_LAMBDA })).toThrow(
      /Refusing to start inside Lambda.*QM_LOCAL_STACK/,
    );
  });

  it('refuses a DynamoDB endpoint override for the authorizer', () => {
    expect(() =>
      loadEnv(authorizerEnvSchema, { ...validEnv, QM_DYNAMODB_ENDPOINT: LOCAL_SETTINGS.QM_DYNAMODB_ENDPOINT, ...IN_LAMBDA }),
    ).toThrow(/Refusing to start inside Lambda.*QM_DYNAMODB_ENDPOINT/);
  });

  it('loads the same settings outside Lambda (the local stack)', () => {
    const env = loadEnv(authorizerEnvSchema, {
      ...validEnv,
      QM_LOCAL_STACK: 'true',
      QM_DYNAMODB_ENDPOINT: LOCAL_SETTINGS.QM_DYNAMODB_ENDPOINT,
    });
    expect(env.QM_LOCAL_STACK).toBe('true');
    expect(env.QM_DYNAMODB_ENDPOINT).toBe(LOCAL_SETTINGS.QM_DYNAMODB_ENDPOINT);
  });

  it('loads a deployed configuration inside Lambda', () => {
    expect(loadEnv(authorizerEnvSchema, { ...validEnv, ...IN_LAMBDA }).QM_LOCAL_STACK).toBe('false');
    expect(loadEnv(authorizerEnvSchema, { ...validEnv, QM_LOCAL_STACK: 'false', ...IN_LAMBDA }).QM_LOCAL_STACK).toBe('false');
  });

  it('cannot be sidestepped with another spelling of true', () => {
    for (const value of ['TRUE', 'True', '1', 'yes', ' true']) {
      expect(() => loadEnv(authorizerEnvSchema, { ...validEnv, QM_LOCAL_STACK: value, ...IN_LAMBDA }), value).toThrow(/QM_LOCAL_STACK/);
      expect(() => loadEnv(authorizerEnvSchema, { ...validEnv, QM_LOCAL_STACK: value }), value).toThrow(/Invalid environment/);
    }
  });

  const FUNCTIONS: Array<[string, z.core.$ZodType]> = [
    ['authorizer', authorizerEnvSchema],
    ['health', healthEnvSchema],
    ['jobs', jobsEnvSchema],
    ['scheduler', schedulerEnvSchema],
    ['dispatcher', dispatcherEnvSchema],
    ['status', statusEnvSchema],
  ];

  it.each(FUNCTIONS)('%s: loads in Lambda when deployed, refuses every local setting it declares', (_name, schema) => {
    expect(() => loadEnv(schema, { ...validEnv, ...IN_LAMBDA })).not.toThrow();
    const declared = Object.keys(loadEnv(schema, { ...validEnv, ...LOCAL_SETTINGS }) as Record<string, unknown>);
    expect(declared).toEqual(expect.arrayContaining(['QM_LOCAL_STACK', 'QM_DYNAMODB_ENDPOINT']));
    for (const [key, value] of Object.entries(LOCAL_SETTINGS)) {
      if (!declared.includes(key)) continue;
      expect(() => loadEnv(schema, { ...validEnv, [key]: value, ...IN_LAMBDA }), key).toThrow(new RegExp(`Refusing.*${key}`));
    }
  });

  it('assertNotLocalInLambda names every offending setting at once', () => {
    expect(() => assertNotLocalInLambda({ ...LOCAL_SETTINGS }, IN_LAMBDA)).toThrow(
      'Refusing to start inside Lambda with local-stack settings: QM_LOCAL_STACK, QM_DYNAMODB_ENDPOINT, QM_SQS_ENDPOINT',
    );
    expect(() => assertNotLocalInLambda({ ...LOCAL_SETTINGS }, {})).not.toThrow();
  });
});

describe('the deployed authorizer entry point', () => {
  const saved = { ...process.env };
  const event = (authorization: string) => ({ headers: { authorization } }) as unknown as APIGatewayRequestAuthorizerEventV2;

  beforeEach(() => {
    vi.resetModules();
    for (const key of ['QM_LOCAL_STACK', 'QM_DYNAMODB_ENDPOINT', 'QM_SQS_ENDPOINT', 'AWS_LAMBDA_FUNCTION_NAME']) delete process.env[key];
    process.env.QM_TABLE_NAME = 'quartermaster';
    process.env.QM_API_BASE_URL = 'https://api.example.com';
    process.env.AWS_REGION ??= 'eu-west-1';
  });

  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    vi.resetModules();
  });

  it('refuses to load inside Lambda with QM_LOCAL_STACK=true', async () => {
    Object.assign(process.env, { ...IN_LAMBDA, QM_LOCAL_STACK: 'true' });
    await expect(import('#functions/authorizer/authorizer.handler')).rejects.toThrow(/Refusing to start inside Lambda.*QM_LOCAL_STACK/);
  });

  it('refuses to load inside Lambda with a DynamoDB endpoint override', async () => {
    Object.assign(process.env, { ...IN_LAMBDA, QM_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' });
    await expect(import('#functions/authorizer/authorizer.handler')).rejects.toThrow(/QM_DYNAMODB_ENDPOINT/);
  });

  it('loads inside Lambda without them, and then denies a dev credential', async () => {
    Object.assign(process.env, IN_LAMBDA);
    const { handler } = await import('#functions/authorizer/authorizer.handler');
    // No verifier accepts `dev:` in a deployed stack, so the user table is never even consulted.
    await expect(handler(event('Bearer dev:admin'))).resolves.toMatchObject({ isAuthorized: false });
  });
});

describe('parseBackends', () => {
  it('refuses the local backend outside the local stack', () => {
    expect(() => parseBackends('ecs,local', false)).toThrow(/local backend exists only in the local stack/);
    expect(() => parseBackends('local', false)).toThrow(/local stack/);
    expect(() => parseBackends(' ecs , local ', false)).toThrow(/local stack/);
  });

  it('accepts it in the local stack', () => {
    expect(parseBackends('local', true)).toEqual(['local']);
    expect(parseBackends('ecs,local', true)).toEqual(['ecs', 'local']);
  });

  it('parses deployed lists in order, trimming blanks', () => {
    expect(parseBackends('ecs', false)).toEqual(['ecs']);
    expect(parseBackends(' kubernetes , ecs ,', false)).toEqual(['kubernetes', 'ecs']);
  });

  it('refuses empty lists and unknown or differently spelled kinds', () => {
    for (const value of ['', ' , ', 'gpu', 'ECS', 'LOCAL', 'Local'])
      expect(() => parseBackends(value, false), JSON.stringify(value)).toThrow();
  });
});

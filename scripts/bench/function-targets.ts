import * as z from 'zod';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { envNamedBy } from '#lib/constructs/function-env';
import { authorizerEnvSchema } from '#functions/authorizer/authorizer.env';
import { dispatcherEnvSchema } from '#functions/dispatcher/dispatcher.env';
import { emailSenderEnvSchema } from '#functions/events/email-sender/email-sender.env';
import { notifierEnvSchema } from '#functions/events/notifier/notifier.env';
import { relayEnvSchema } from '#functions/events/relay/relay.env';
import { statusEnvSchema } from '#functions/events/status/status.env';
import { kubePollerEnvSchema } from '#functions/kube-poller/kube-poller.env';
import { reconcilerEnvSchema } from '#functions/reconciler/reconciler.env';
import { schedulerEnvSchema } from '#functions/scheduler/scheduler.env';
import { approvalBridgeEnvSchema } from '#functions/workflows/approval/approval-bridge.env';
import { approvalRedriveEnvSchema } from '#functions/workflows/approval/approval-redrive.env';
import { approvalStepsEnvSchema } from '#functions/workflows/approval/approval-steps.env';

/** One Lambda function the cold-start bench bundles and imports. `entry` is relative to the repo root. */
export interface FunctionTarget {
  name: string;
  entry: string;
  /** The function's own env schema, checked before measuring so a bad dummy env fails loudly, not as a crash. */
  envSchema: z.core.$ZodType | undefined;
  /** Plausible values for what the deployed stack sets (lib/stacks/*); nothing local-only. */
  env: Record<string, string>;
  /**
   * Budgeted against this reference point instead of the GetItem floor (docs/budgets.md): the founders'
   * decision for the two interactive sign-in functions, whose required libraries alone nearly fill the floor budget.
   */
  budgetReference?: string;
}

/** The sign-in functions (OIDC; LDAP and break-glass), budgeted against {@link signInLibrariesTarget}. */
const SIGN_IN_FUNCTIONS: readonly string[] = ['api-auth', 'api-password-auth'];

export const FLOOR_ENTRY = 'scripts/bench/floor/get-item.handler.ts';

/**
 * What Lambda itself puts in the environment that matters at import, minus AWS_LAMBDA_FUNCTION_NAME: with it
 * set, loadEnv would apply its inside-Lambda checks, which are not what we measure. Fake credentials keep
 * the SDK from probing ~/.aws or the metadata service (nothing is called at import anyway).
 */
export const LAMBDA_LIKE_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIABENCHFAKEKEY0000',
  AWS_SECRET_ACCESS_KEY: 'bench-fake-secret-access-key',
  AWS_SESSION_TOKEN: 'bench-fake-session-token',
  AWS_EC2_METADATA_DISABLED: 'true',
  TZ: ':UTC',
  LANG: 'en_US.UTF-8',
};

const ACCOUNT = '123456789012';
const base = {
  QM_TABLE_NAME: 'quartermaster-bench',
  QM_STAGE: 'bench',
  QM_JOB_RETENTION_DAYS: '90',
  POWERTOOLS_SERVICE_NAME: 'quartermaster',
};
/** Only the outbox relay puts events on the bus; every other function records them in the table. */
const events = { QM_EVENT_BUS_NAME: 'quartermaster-bench' };
const identity = { QM_API_BASE_URL: 'https://abcdef1234.execute-api.us-east-1.amazonaws.com' };
const limits = { QM_MAX_CONCURRENT: '100', QM_USER_MAX_CONCURRENT: '10' };
const ecs = {
  QM_ECS_CLUSTER_ARN: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/qm-gpu`,
  QM_ECS_SUBNET_IDS: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
  QM_ECS_SECURITY_GROUP_ID: 'sg-0123456789abcdef0',
  QM_ECS_EXECUTION_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/qm-ecs-execution`,
  QM_ECS_TASK_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/qm-ecs-task`,
  QM_JOB_LOG_GROUP: '/quartermaster/jobs',
};

const KUBERNETES_STAGE_BACKENDS = 'ecs,kubernetes';
const access = { QM_AUDIT_RETENTION_DAYS: '90', QM_PERMISSION_CACHE_SECONDS: '60' };
/** Plausible stage values of every variable an API function may need; each group takes those its env schema names. */
const APPROVAL_STATE_MACHINE_ARN = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:quartermaster-approvals-bench`;
const API_STAGE_VALUES: Record<string, string> = {
  ...base,
  ...identity,
  ...limits,
  ...access,
  // A stage offering both backends: the functions that serve Kubernetes jobs then set up their (lazily loaded)
  // Kubernetes adapters at import, the heavier case.
  QM_BACKENDS: KUBERNETES_STAGE_BACKENDS,
  QM_JOB_LOG_GROUP: '/quartermaster/jobs',
  QM_SESSION_KMS_KEY_ID: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`,
  QM_BREAK_GLASS_SECRET_ID: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:quartermaster/bench/break-glass-AbCdEf`,
  QM_APPROVAL_LINK_KEY_SECRET_ID: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:quartermaster/bench/approval-link-key-AbCdEf`,
  QM_SECRET_NAME_PREFIX: 'quartermaster/bench/',
  QM_COGNITO_USER_POOL_ID: 'us-east-1_AbCdEf123',
  QM_EMAIL_FROM: 'quartermaster@example.com',
  QM_CONSOLE_URL: 'https://console.example.com',
};

export function functionTargets(): FunctionTarget[] {
  const api = API_ROUTE_GROUPS.map((group): FunctionTarget => {
    return {
      name: `api-${group.name}`,
      entry: group.entry,
      envSchema: group.envSchema,
      env: envNamedBy(group.envSchema, API_STAGE_VALUES),
      ...(SIGN_IN_FUNCTIONS.includes(`api-${group.name}`) ? { budgetReference: signInLibrariesTarget().name } : {}),
    };
  });
  return [
    {
      name: 'authorizer',
      entry: 'functions/authorizer/authorizer.handler.ts',
      envSchema: authorizerEnvSchema,
      env: { ...base, ...identity, QM_COGNITO_USER_POOL_ID: 'us-east-1_AbCdEf123', QM_COGNITO_CLIENT_IDS: '1example23456789' },
    },
    ...api,
    {
      name: 'scheduler',
      entry: 'functions/scheduler/scheduler.handler.ts',
      envSchema: schedulerEnvSchema,
      env: { ...base, ...limits },
    },
    {
      name: 'dispatcher',
      entry: 'functions/dispatcher/dispatcher.handler.ts',
      envSchema: dispatcherEnvSchema,
      env: { ...base, ...ecs, QM_BACKENDS: KUBERNETES_STAGE_BACKENDS, QM_SECRET_NAME_PREFIX: 'quartermaster/bench/' },
    },
    { name: 'status', entry: 'functions/events/status/status.handler.ts', envSchema: statusEnvSchema, env: base },
    { name: 'relay', entry: 'functions/events/relay/relay.handler.ts', envSchema: relayEnvSchema, env: { ...base, ...events } },
    {
      name: 'kube-poller',
      entry: 'functions/kube-poller/kube-poller.handler.ts',
      envSchema: kubePollerEnvSchema,
      env: { ...base, ...events, QM_SECRET_NAME_PREFIX: 'quartermaster/bench/' },
    },
    {
      name: 'notifier',
      entry: 'functions/events/notifier/notifier.handler.ts',
      envSchema: notifierEnvSchema,
      env: {
        ...base,
        ...events,
        QM_SECRET_NAME_PREFIX: 'quartermaster/bench/',
        QM_EMAIL_FROM: 'quartermaster@example.com',
        QM_CONSOLE_URL: 'https://console.example.com',
        QM_NOTIFICATION_QUEUE_URL: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/qm-notifications`,
        QM_NOTIFY_MAX_ATTEMPTS: '6',
        QM_APPROVAL_LINK_KEY_SECRET_ID: 'quartermaster/bench/approval-link-key',
        QM_APPROVAL_LINK_BASE_URL: 'https://console.example.com',
        QM_EMAIL_QUEUE_URL: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/qm-email`,
      },
    },
    {
      name: 'email-sender',
      entry: 'functions/events/email-sender/email-sender.handler.ts',
      envSchema: emailSenderEnvSchema,
      env: {
        QM_STAGE: 'bench',
        POWERTOOLS_SERVICE_NAME: 'quartermaster',
        QM_EMAIL_FROM: 'quartermaster@example.com',
        QM_EMAIL_MAX_ATTEMPTS: '6',
      },
    },
    {
      name: 'reconciler',
      entry: 'functions/reconciler/reconciler.handler.ts',
      envSchema: reconcilerEnvSchema,
      env: { ...base, QM_ECS_CLUSTER_ARN: ecs.QM_ECS_CLUSTER_ARN },
    },
    {
      name: 'approval-steps',
      entry: 'functions/workflows/approval/approval-steps.handler.ts',
      envSchema: approvalStepsEnvSchema,
      env: base,
    },
    {
      name: 'approval-redrive',
      entry: 'functions/workflows/approval/approval-redrive.handler.ts',
      envSchema: approvalRedriveEnvSchema,
      env: { ...base, QM_APPROVAL_STATE_MACHINE_ARN: APPROVAL_STATE_MACHINE_ARN },
    },
    {
      name: 'approval-bridge',
      entry: 'functions/workflows/approval/approval-bridge.handler.ts',
      envSchema: approvalBridgeEnvSchema,
      env: { ...base, QM_APPROVAL_STATE_MACHINE_ARN: APPROVAL_STATE_MACHINE_ARN },
    },
  ];
}

export const floorTarget = (): FunctionTarget => ({
  name: 'floor',
  entry: FLOOR_ENTRY,
  envSchema: undefined,
  env: { TABLE_NAME: 'floor' },
});

/**
 * Reference point printed beside the sign-in function: its required third-party libraries alone (see the
 * entry's comment). Measured like a function, never counted as one.
 */
export const signInLibrariesTarget = (): FunctionTarget => ({
  name: 'sign-in-libraries',
  entry: 'scripts/bench/floor/sign-in-libraries.handler.ts',
  envSchema: undefined,
  env: {},
});

/**
 * Reference point printed beside the functions that talk to Kubernetes clusters: DynamoDB, Secrets Manager and
 * @kubernetes/client-node alone (see the entry's comment). Measured like a function, never counted as one.
 */
export const kubernetesClientTarget = (): FunctionTarget => ({
  name: 'kubernetes-client',
  entry: 'scripts/bench/floor/kubernetes-client.handler.ts',
  envSchema: undefined,
  env: {},
});

/** Throws naming every function whose dummy env its own schema rejects. */
export function assertEnvsValid(targets: readonly FunctionTarget[]): void {
  const problems = targets.flatMap((target) => {
    const result = target.envSchema && z.safeParse(target.envSchema, target.env);
    return result && !result.success
      ? [`${target.name}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(', ')}`]
      : [];
  });
  if (problems.length > 0) throw new Error(`bench: dummy env rejected: ${problems.join('; ')}`);
}

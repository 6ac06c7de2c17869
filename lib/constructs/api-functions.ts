import { Aws, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type * as z from 'zod/mini';
import type { AwsPermission, RouteGroup } from '#http/route';
import type { StageConfig } from '#lib/config/stage-config';
import type { ComputeStack } from '#lib/stacks/compute-stack';
import type { DataStack } from '#lib/stacks/data-stack';
import type { IdentityStack } from '#lib/stacks/identity-stack';
import { accessFunctionEnv, baseFunctionEnv, envNamedBy, limitsFunctionEnv } from './function-env';
import { grantClusterSecrets, secretPrefixOf } from './kubernetes-access';
import { QmFunction } from './qm-function';

export interface ApiFunctionsProps {
  readonly groups: readonly RouteGroup[];
  readonly config: StageConfig;
  readonly data: DataStack;
  readonly compute: ComputeStack;
  readonly identity: IdentityStack;
  /** `iss` of session tokens and default OIDC redirect base: the HTTP API's endpoint. */
  readonly apiBaseUrl: string;
  readonly logRetention: RetentionDays;
}

/**
 * One function per route group, built the one way: entry, description and env schema from the group; the
 * environment is the stage's value of every variable the schema names (and nothing else); the table grant is
 * the group's declared partitions (`dynamodb:LeadingKeys`), and every other grant is one of the group's
 * declared `aws` permissions. No function gets a grant its group does not declare.
 */
export class ApiFunctions extends Construct {
  /** The function serving each route group, by group name. */
  readonly byGroup: ReadonlyMap<string, QmFunction<z.core.$ZodObject>>;

  constructor(scope: Construct, id: string, props: ApiFunctionsProps) {
    super(scope, id);
    const values = stageEnvValues(props);
    const grants = awsPermissionGrants(props);
    const byGroup = new Map<string, QmFunction<z.core.$ZodObject>>();
    for (const group of props.groups) {
      const fn = new QmFunction(this, constructIdOf(group.name), {
        entry: group.entry,
        envSchema: group.envSchema,
        // The stage values hold no local-only key, and QmFunction refuses one anyway.
        env: envNamedBy(group.envSchema, values),
        description: group.description,
        logRetention: props.logRetention,
      });
      props.data.grantPartitions(fn, group.table);
      for (const permission of group.aws ?? []) grants[permission](fn);
      byGroup.set(group.name, fn);
    }
    this.byGroup = byGroup;
  }
}

/** `password-auth` → `PasswordAuth`. */
const constructIdOf = (groupName: string): string =>
  groupName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Every variable an API function may need, with this stage's value; a function takes those its schema names. */
function stageEnvValues({ config, data, compute, identity, apiBaseUrl }: ApiFunctionsProps): Record<string, string> {
  return {
    ...baseFunctionEnv(config, data.table.tableName),
    ...limitsFunctionEnv(config),
    ...accessFunctionEnv(config),
    QM_BACKENDS: config.backends.join(','),
    QM_JOB_LOG_GROUP: compute.jobLogGroup.logGroupName,
    QM_API_BASE_URL: apiBaseUrl,
    QM_SESSION_KMS_KEY_ID: identity.sessionSigningKey.keyArn,
    QM_FIRST_USER_ADMIN: config.firstUserBecomesAdmin ? 'true' : 'false',
    QM_BREAK_GLASS_ENABLED: config.breakGlassEnabled ? 'true' : 'false',
    QM_BREAK_GLASS_SECRET_ID: identity.breakGlassSecret.secretArn,
    QM_APPROVAL_LINK_KEY_SECRET_ID: identity.approvalLinkKey.secretArn,
    QM_SECRET_NAME_PREFIX: secretPrefixOf(config),
    // Reserved: no run-time identity provider may claim the stack's own pool (the authorizer's built-in provider).
    QM_COGNITO_USER_POOL_ID: identity.userPool.userPoolId,
  };
}

/** The grant behind each `AwsPermission` a route group may declare. */
function awsPermissionGrants({
  config,
  compute,
  identity,
}: ApiFunctionsProps): Record<AwsPermission, (fn: QmFunction<z.core.$ZodObject>) => void> {
  const idpSecretsArn = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretPrefixOf(config)}idp/*`;
  const notificationSecretsArn = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretPrefixOf(config)}notifications/*`;
  // cdk-nag: the wildcard is the stage's IdP secret prefix, not a service-wide one.
  const acknowledgeIdpSecrets = (fn: QmFunction<z.core.$ZodObject>) =>
    Validations.of(fn.role ?? fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${secretPrefixOf(config)}idp/*]`,
      reason: 'Identity-provider secrets are created at run time through the admin API, one per provider, under this stage prefix only',
    });
  return {
    'sessions.sign': (fn) =>
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [identity.sessionSigningKey.keyArn] }),
      ),
    'idp-secrets.read': (fn) => {
      fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [idpSecretsArn] }));
      acknowledgeIdpSecrets(fn);
    },
    'idp-secrets.write': (fn) => {
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'], resources: [idpSecretsArn] }),
      );
      acknowledgeIdpSecrets(fn);
    },
    'break-glass-secret.read': (fn) =>
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [identity.breakGlassSecret.secretArn] }),
      ),
    'approval-link-key.read': (fn) => identity.approvalLinkKey.grantRead(fn),
    'job-output.read': (fn) => compute.jobLogGroup.grantRead(fn),
    // Channel secrets (Slack URLs, webhook signing secrets): written through the admin API; read back only to
    // keep the replaced signing secret during a rotation.
    'notification-secrets.write': (fn) => {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:GetSecretValue'],
          resources: [notificationSecretsArn],
        }),
      );
      Validations.of(fn.role ?? fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${secretPrefixOf(config)}notifications/*]`,
        reason: 'Notification-channel secrets are created at run time through the admin API, one per channel, under this stage prefix only',
      });
    },
    'cluster-secrets.read': (fn) => grantClusterSecrets(fn, config, 'read'),
    'cluster-secrets.write': (fn) => grantClusterSecrets(fn, config, 'write'),
  };
}

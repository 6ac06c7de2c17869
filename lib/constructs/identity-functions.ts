import { Aws, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { authEnvSchema } from '#functions/api/auth/auth.env';
import { identityEnvSchema } from '#functions/api/identity/identity.env';
import { meEnvSchema } from '#functions/api/me/me.env';
import { passwordAuthEnvSchema } from '#functions/api/password-auth/password-auth.env';
import { sessionsEnvSchema } from '#functions/api/sessions/sessions.env';
import type { baseEnvSchema } from '#config/env';
import type { StageConfig } from '#lib/config/stage-config';
import type { DataStack } from '#lib/stacks/data-stack';
import type { IdentityStack } from '#lib/stacks/identity-stack';
import type { WorkflowsStack } from '#lib/stacks/workflows-stack';
import { accessFunctionEnv } from './authz-functions';
import { QmFunction, type DeployedEnv } from './qm-function';

/** Table items the authorizer may write: users (JIT provisioning, login-time sync), identity links, API-key last use, the bootstrap claim. */
export const AUTHORIZER_WRITABLE_KEY_PREFIXES = ['USER#*', 'IDENTITY#*', 'APIKEY#*', 'SETTINGS'] as const;

export interface IdentityFunctionsProps {
  readonly config: StageConfig;
  readonly data: DataStack;
  readonly identity: IdentityStack;
  readonly workflows: WorkflowsStack;
  readonly base: DeployedEnv<typeof baseEnvSchema>;
  /** `iss` of session tokens and default OIDC redirect base: the HTTP API's endpoint. */
  readonly apiBaseUrl: string;
  readonly logRetention: RetentionDays;
}

/**
 * The sign-in functions (`auth`: OIDC; `password-auth`: LDAP, break-glass), the sessions function (refresh, JWKS),
 * the me function (`/v1/me`, the caller's API keys) and the identity function (IdP administration).
 */
export class IdentityFunctions extends Construct {
  readonly auth: QmFunction<typeof authEnvSchema>;
  readonly passwordAuth: QmFunction<typeof passwordAuthEnvSchema>;
  readonly sessions: QmFunction<typeof sessionsEnvSchema>;
  readonly me: QmFunction<typeof meEnvSchema>;
  readonly identityApi: QmFunction<typeof identityEnvSchema>;

  constructor(scope: Construct, id: string, props: IdentityFunctionsProps) {
    super(scope, id);
    const { config, data, identity, workflows, base, apiBaseUrl, logRetention } = props;
    const stack = Stack.of(this);
    const secretPrefix = `quartermaster/${config.stage}/`;
    // Both functions that issue session tokens: same key, same issuer, same events.
    const sessionIssuerEnv = {
      QM_EVENT_BUS_NAME: workflows.eventBus.eventBusName,
      QM_API_BASE_URL: apiBaseUrl,
      QM_SESSION_KMS_KEY_ID: identity.sessionSigningKey.keyArn,
      QM_FIRST_USER_ADMIN: config.firstUserBecomesAdmin ? 'true' : 'false',
    } as const;
    const grantSessionIssuing = (fn: NodejsFunction): void => {
      data.grantReadWrite(fn);
      workflows.eventBus.grantPutEventsTo(fn);
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [identity.sessionSigningKey.keyArn] }),
      );
    };

    this.auth = new QmFunction(stack, 'Auth', {
      entry: 'functions/api/auth/auth.handler.ts',
      envSchema: authEnvSchema,
      env: { ...base, ...accessFunctionEnv(config), ...sessionIssuerEnv },
      description: 'Sign-in: server-side OIDC',
      logRetention,
    });
    grantSessionIssuing(this.auth);
    // IdP client secrets live under the stage's prefix.
    const idpSecretsArn = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretPrefix}idp/*`;
    this.auth.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [idpSecretsArn] }));

    // Password sign-ins: the only function that loads ldapts.
    this.passwordAuth = new QmFunction(stack, 'PasswordAuth', {
      entry: 'functions/api/password-auth/password-auth.handler.ts',
      envSchema: passwordAuthEnvSchema,
      env: {
        ...base,
        ...accessFunctionEnv(config),
        ...sessionIssuerEnv,
        QM_BREAK_GLASS_ENABLED: config.breakGlassEnabled ? 'true' : 'false',
        QM_BREAK_GLASS_SECRET_ID: identity.breakGlassSecret.secretArn,
      },
      description: 'Sign-in: LDAP / Active Directory, break-glass',
      logRetention,
    });
    grantSessionIssuing(this.passwordAuth);
    // LDAP bind passwords live under the stage's prefix; the break-glass secret too.
    this.passwordAuth.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [idpSecretsArn, identity.breakGlassSecret.secretArn] }),
    );

    // Refresh and the JWKS: called all day, so kept free of the IdP libraries and of Secrets Manager.
    this.sessions = new QmFunction(stack, 'Sessions', {
      entry: 'functions/api/sessions/sessions.handler.ts',
      envSchema: sessionsEnvSchema,
      env: { ...base, ...accessFunctionEnv(config), ...sessionIssuerEnv },
      description: 'Session refresh and the session-token JWKS',
      logRetention,
    });
    grantSessionIssuing(this.sessions);

    this.me = new QmFunction(stack, 'Me', {
      entry: 'functions/api/me/me.handler.ts',
      envSchema: meEnvSchema,
      env: { ...base, ...accessFunctionEnv(config) },
      description: 'Who am I, my API keys',
      logRetention,
    });
    data.grantReadWrite(this.me);

    this.identityApi = new QmFunction(stack, 'Identity', {
      entry: 'functions/api/identity/identity.handler.ts',
      envSchema: identityEnvSchema,
      env: {
        ...base,
        ...accessFunctionEnv(config),
        QM_SECRET_NAME_PREFIX: secretPrefix,
        QM_API_BASE_URL: apiBaseUrl,
        // Reserved: no run-time provider may claim the stack's own pool (the authorizer's built-in provider).
        QM_COGNITO_USER_POOL_ID: identity.userPool.userPoolId,
      },
      description: 'Identity-provider administration',
      logRetention,
    });
    data.grantReadWrite(this.identityApi);
    // Write-only secrets: the admin API creates and updates them, and never reads them back.
    this.identityApi.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'],
        resources: [`arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretPrefix}idp/*`],
      }),
    );
    const idpSecrets = {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${secretPrefix}idp/*]`,
      reason: 'Identity-provider secrets are created at run time through the admin API, one per provider, under this stage prefix only',
    };
    Validations.of(this.auth.role ?? this.auth).acknowledge(idpSecrets);
    Validations.of(this.passwordAuth.role ?? this.passwordAuth).acknowledge(idpSecrets);
    Validations.of(this.identityApi.role ?? this.identityApi).acknowledge(idpSecrets);
  }
}

/**
 * The authorizer writes only identity items (JIT users, links, API-key last use, the bootstrap claim): the
 * writes are limited by `dynamodb:LeadingKeys`, on the table only (no index), and the key only through DynamoDB.
 */
export function grantAuthorizerIdentityWrites(grantee: IGrantable, data: DataStack): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [data.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...AUTHORIZER_WRITABLE_KEY_PREFIXES] } },
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [data.tableKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
    }),
  );
}

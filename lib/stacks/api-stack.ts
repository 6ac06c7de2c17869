import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { authorizerEnvSchema } from '#functions/authorizer/authorizer.env';
import { ApiFunctions } from '#lib/constructs/api-functions';
import { baseFunctionEnv } from '#lib/constructs/function-env';
import { EksAccessEntries, type EksAccessEntriesProps } from '#lib/constructs/kubernetes-access';
import { QmFunction } from '#lib/constructs/qm-function';
import type { ComputeStack } from './compute-stack';
import type { DataStack } from './data-stack';
import type { IdentityStack } from './identity-stack';
import type { QmStackProps } from './stack-props';
import type { WorkflowsStack } from './workflows-stack';

/**
 * Table items the authorizer may write: users (JIT provisioning, login-time sync), identity links, API-key last
 * use, the bootstrap claim, and outbox events (`auth.login_failure`; the relay puts them on the bus).
 */
export const AUTHORIZER_WRITABLE_KEY_PREFIXES = ['USER#*', 'IDENTITY#*', 'APIKEY#*', 'SETTINGS', 'OUTBOX#*'] as const;

/** Route groups whose functions read cluster health and capacity (nodes and pods cluster-wide). */
const KUBERNETES_CAPACITY_GROUPS = ['clusters', 'health-deep'] as const;

/** `health-deep` → `HealthDeep` (construct ids). */
const constructNameOf = (group: string) =>
  group
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

export interface ApiStackProps extends QmStackProps {
  /** The table route functions and the authorizer read (and jobs writes). */
  readonly data: DataStack;
  /** The event bus and dispatch queue the jobs function publishes to. */
  readonly workflows: WorkflowsStack;
  /** The job log group the jobs function reads job output from. */
  readonly compute: ComputeStack;
  /** The user pool (built-in Cognito provider), session-signing key and break-glass secret. */
  readonly identity: IdentityStack;
}

/**
 * API lifecycle: the HTTP API, its one Lambda authorizer and one function per route group. Routes come from
 * `API_ROUTE_GROUPS` (the same declarations the local server and the OpenAPI generator read); a route whose
 * access is `public` has no authorizer, every other route goes through the authorizer.
 */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
  readonly authorizerFunction: QmFunction<typeof authorizerEnvSchema>;
  /** The function serving each route group, by group name. */
  readonly routeFunctions: Readonly<Record<string, IFunction>>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data, workflows, compute, identity } = props;
    const logRetention = config.logRetentionDays as RetentionDays;
    const base = baseFunctionEnv(config, data.table.tableName);

    // Created first: the authorizer and the sign-in function need its URL (session-token issuer).
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `quartermaster-${config.stage}`,
      description: 'Quartermaster REST API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: config.corsAllowedOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
        maxAge: Duration.hours(1),
      },
    });

    this.authorizerFunction = new QmFunction(this, 'Authorizer', {
      entry: 'functions/authorizer/authorizer.handler.ts',
      envSchema: authorizerEnvSchema,
      env: {
        ...base,
        QM_API_BASE_URL: this.httpApi.apiEndpoint,
        QM_FIRST_USER_ADMIN: config.firstUserBecomesAdmin ? 'true' : 'false',
        QM_COGNITO_USER_POOL_ID: identity.userPool.userPoolId,
        QM_COGNITO_CLIENT_IDS: identity.spaClient.userPoolClientId,
        QM_COGNITO_DEFAULT_ORG: config.cognitoDefaultOrgId,
      },
      description: 'Verifies JWTs and API keys and returns the principal',
      logRetention,
    });
    data.grantRead(this.authorizerFunction);
    data.grantPartitionWrites(this.authorizerFunction, AUTHORIZER_WRITABLE_KEY_PREFIXES, ['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    const authorizer = new HttpLambdaAuthorizer('QmAuthorizer', this.authorizerFunction, {
      authorizerName: 'quartermaster',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // The cache key is the Authorization header alone, so a cached decision is never reused for another caller.
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.seconds(config.authorizerCacheTtlSeconds),
    });

    const functions = new ApiFunctions(this, 'Functions', {
      groups: API_ROUTE_GROUPS,
      config,
      data,
      compute,
      identity,
      apiBaseUrl: this.httpApi.apiEndpoint,
      logRetention,
    });
    this.routeFunctions = Object.fromEntries(functions.byGroup);
    this.addEksAccessEntries(config, workflows);

    this.addStage(logRetention, config.apiRateLimit, config.apiBurstLimit);
    this.addRoutes(authorizer);

    new CfnOutput(this, 'ApiUrl', {
      value: this.httpApi.apiEndpoint,
      description: 'Base URL of the Quartermaster API',
    });
  }

  /**
   * EKS access entries for every function that talks to clusters (docs/kubernetes.md#deploying-with-eks): the
   * dispatcher launches, the poller and job output read, the clusters API and deep health also read capacity.
   */
  private addEksAccessEntries(config: ApiStackProps['config'], workflows: WorkflowsStack): void {
    if (config.eksAccess.length === 0) return;
    const roleOf = (group: string) => {
      const role = this.routeFunctions[group]?.role;
      if (!role) throw new Error(`Route group "${group}" has no function role for its EKS access entry`);
      return role;
    };
    const principals: EksAccessEntriesProps['principals'] = [
      ...(workflows.dispatcher.role ? [{ name: 'Dispatcher', role: workflows.dispatcher.role, access: 'launch' as const }] : []),
      ...(workflows.kubePoller?.role ? [{ name: 'KubePoller', role: workflows.kubePoller.role, access: 'read' as const }] : []),
      { name: 'Logs', role: roleOf('logs'), access: 'read' },
      ...KUBERNETES_CAPACITY_GROUPS.map((group) => ({ name: constructNameOf(group), role: roleOf(group), access: 'capacity' as const })),
    ];
    new EksAccessEntries(this, 'EksAccess', { config, principals });
  }

  private addStage(retention: RetentionDays, rateLimit: number, burstLimit: number): void {
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
  }

  private addRoutes(authorizer: IHttpRouteAuthorizer): void {
    const none = new HttpNoneAuthorizer();
    for (const group of API_ROUTE_GROUPS) {
      const fn = this.routeFunctions[group.name];
      if (!fn) throw new Error(`Route group "${group.name}" has no function in ApiStack; wire one before adding routes`);
      const integration = new HttpLambdaIntegration(`${group.name}Integration`, fn);
      for (const route of group.routes) {
        const isPublic = route.access === 'public';
        const [httpRoute] = this.httpApi.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration,
          authorizer: isPublic ? none : authorizer,
        });
        if (isPublic && httpRoute) {
          Validations.of(httpRoute).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `${route.method} ${route.path} is declared public (access: public): a health probe, or a sign-in/JWKS endpoint that authenticates the caller itself`,
          });
        }
      }
    }
  }
}

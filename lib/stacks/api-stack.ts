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
import { healthEnvSchema } from '#functions/api/health/health.env';
import { jobsEnvSchema } from '#functions/api/jobs/jobs.env';
import { logsEnvSchema } from '#functions/api/logs/logs.env';
import { explainEnvSchema } from '#functions/api/explain/explain.env';
import { catalogEnvSchema } from '#functions/api/catalog/catalog.env';
import { quotasEnvSchema } from '#functions/api/quotas/quotas.env';
import { authorizerEnvSchema } from '#functions/authorizer/authorizer.env';
import type { RouteGroup } from '#http/route';
import { baseFunctionEnv, limitsFunctionEnv } from '#lib/constructs/function-env';
import { accessFunctionEnv, AuthzFunctions } from '#lib/constructs/authz-functions';
import { grantAuthorizerIdentityWrites, IdentityFunctions } from '#lib/constructs/identity-functions';
import { QmFunction } from '#lib/constructs/qm-function';
import type { ComputeStack } from './compute-stack';
import type { DataStack } from './data-stack';
import type { IdentityStack } from './identity-stack';
import type { QmStackProps } from './stack-props';
import type { WorkflowsStack } from './workflows-stack';

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
        QM_EVENT_BUS_NAME: workflows.eventBus.eventBusName,
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
    grantAuthorizerIdentityWrites(this.authorizerFunction, data);
    workflows.eventBus.grantPutEventsTo(this.authorizerFunction);
    const authorizer = new HttpLambdaAuthorizer('QmAuthorizer', this.authorizerFunction, {
      authorizerName: 'quartermaster',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // The cache key is the Authorization header alone, so a cached decision is never reused for another caller.
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.seconds(config.authorizerCacheTtlSeconds),
    });

    const health = new QmFunction(this, 'Health', {
      entry: groupNamed('health').entry,
      envSchema: healthEnvSchema,
      env: base,
      description: 'Liveness and readiness probes',
      logRetention,
    });
    data.grantProbe(health);

    const jobs = new QmFunction(this, 'Jobs', {
      entry: groupNamed('jobs').entry,
      envSchema: jobsEnvSchema,
      env: {
        ...base,
        ...limitsFunctionEnv(config),
        ...accessFunctionEnv(config),
        QM_EVENT_BUS_NAME: workflows.eventBus.eventBusName,
        QM_BACKENDS: config.backends.join(','),
      },
      description: 'Submit, explain, list, view and cancel jobs',
      logRetention,
    });
    data.grantReadWrite(jobs);
    workflows.eventBus.grantPutEventsTo(jobs);
    // Dispatch requests (launch, stop) are events: the bus delivers them to the dispatch queue.

    // The submission dry run: same reads and settings as jobs, no event-bus grant.
    const explain = new QmFunction(this, 'JobExplain', {
      entry: groupNamed('explain').entry,
      envSchema: explainEnvSchema,
      env: { ...base, ...limitsFunctionEnv(config), ...accessFunctionEnv(config), QM_BACKENDS: config.backends.join(',') },
      description: 'Dry-run a job submission (writes nothing but refusals to the audit log)',
      logRetention,
    });
    data.grantReadWrite(explain);

    // Job output: the only function with the CloudWatch Logs client and read access to the job log group.
    const logs = new QmFunction(this, 'JobLogs', {
      entry: groupNamed('logs').entry,
      envSchema: logsEnvSchema,
      env: { ...base, ...accessFunctionEnv(config), QM_JOB_LOG_GROUP: compute.jobLogGroup.logGroupName },
      description: "Read a job's output",
      logRetention,
    });
    data.grantReadWrite(logs);
    compute.jobLogGroup.grantRead(logs);

    const catalog = new QmFunction(this, 'Catalog', {
      entry: groupNamed('catalog').entry,
      envSchema: catalogEnvSchema,
      env: { ...base, ...accessFunctionEnv(config) },
      description: 'Hardware catalog: list, view, create, disable',
      logRetention,
    });
    data.grantReadWrite(catalog);

    const quotas = new QmFunction(this, 'Quotas', {
      entry: groupNamed('quotas').entry,
      envSchema: quotasEnvSchema,
      env: { ...base, ...limitsFunctionEnv(config), ...accessFunctionEnv(config) },
      description: 'Quotas, budgets, concurrency limits, usage and cost-limit status',
      logRetention,
    });
    data.grantReadWrite(quotas);

    const identityFunctions = new IdentityFunctions(this, 'IdentityFunctions', {
      config,
      data,
      identity,
      workflows,
      base,
      apiBaseUrl: this.httpApi.apiEndpoint,
      logRetention,
    });

    const authz = new AuthzFunctions(this, 'AuthzFunctions', { config, data, base, logRetention });

    this.routeFunctions = {
      health,
      jobs,
      explain,
      logs,
      catalog,
      quotas,
      auth: identityFunctions.auth,
      'password-auth': identityFunctions.passwordAuth,
      sessions: identityFunctions.sessions,
      me: identityFunctions.me,
      identity: identityFunctions.identityApi,
      admin: authz.admin,
      tenancy: authz.tenancy,
      templates: authz.templates,
      audit: authz.audit,
    };

    this.addStage(logRetention, config.apiRateLimit, config.apiBurstLimit);
    this.addRoutes(authorizer);

    new CfnOutput(this, 'ApiUrl', {
      value: this.httpApi.apiEndpoint,
      description: 'Base URL of the Quartermaster API',
    });
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

function groupNamed(name: string): RouteGroup {
  const group = API_ROUTE_GROUPS.find((candidate) => candidate.name === name);
  if (!group) throw new Error(`API_ROUTE_GROUPS has no group named "${name}"`);
  return group;
}

import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { routeKey } from '#http/route';
import { actionsOf, policyStatementsOfRole, synthQuartermaster } from './quartermaster-app.fixture';

const { stacks, template } = synthQuartermaster();
const api = template(stacks.api);

interface CfnRoute {
  Properties: {
    RouteKey: string;
    AuthorizationType: string;
    AuthorizerId?: unknown;
  };
}
const routes = Object.values(api.findResources('AWS::ApiGatewayV2::Route')) as CfnRoute[];
const declared = API_ROUTE_GROUPS.flatMap((group) => group.routes);

const WRITE_ACTION = /^dynamodb:(Put|Update|Delete|BatchWrite)|^sqs:Send|^events:Put|^kms:(Encrypt|GenerateDataKey|ReEncrypt)/;

describe('api stack: routes', () => {
  it('deploys exactly the routes declared in API_ROUTE_GROUPS', () => {
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(declared.map(routeKey).sort());
  });

  it('puts the Lambda authorizer on every route except the declared public ones', () => {
    const [authorizerId] = Object.keys(api.findResources('AWS::ApiGatewayV2::Authorizer'));
    const publicKeys = new Set(declared.filter((route) => route.access === 'public').map(routeKey));
    for (const route of routes) {
      if (publicKeys.has(route.Properties.RouteKey)) {
        expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe('NONE');
      } else {
        expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe('CUSTOM');
        expect(route.Properties.AuthorizerId, route.Properties.RouteKey).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('declares public access only for health probes, sign-in endpoints and the approval-link pages', () => {
    const publicPaths = declared.filter((route) => route.access === 'public').map((route) => route.path);
    expect(
      publicPaths.every(
        (path) =>
          path.startsWith('/health/') || path.startsWith('/v1/auth/') || path === '/.well-known/jwks.json' || path === '/v1/approval-links',
      ),
    ).toBe(true);
  });
});

describe('api stack: authorizer and stage', () => {
  it('uses one REQUEST authorizer with simple responses, cached on the Authorization header', () => {
    api.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 60,
    });
  });

  it('logs access to a log group and throttles the default stage', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('requestId'),
      },
      DefaultRouteSettings: {
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
      },
    });
  });
});

describe('api stack: least privilege', () => {
  const health = policyStatementsOfRole(api, 'FunctionsHealthRole');
  const authorizer = policyStatementsOfRole(api, 'AuthorizerRole');
  const jobs = policyStatementsOfRole(api, 'FunctionsJobsRole');

  it('lets the health function only read the settings partition (the readiness probe reads one item)', () => {
    const dynamo = health.filter((s) => actionsOf(s).some((action) => action.startsWith('dynamodb:')));
    expect(dynamo.map((s) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'])).toEqual([['SETTINGS']]);
    expect(health.flatMap(actionsOf).filter((action) => WRITE_ACTION.test(action))).toEqual([]);
  });

  it('lets the authorizer write only identity items (JIT users, links, API-key last use) and outbox events, by leading key', () => {
    expect(authorizer.flatMap(actionsOf)).toContain('dynamodb:GetItem');
    const tableWrites = authorizer.filter((s) => actionsOf(s).some((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action)));
    expect(tableWrites.length).toBeGreaterThan(0);
    for (const statement of tableWrites) {
      expect(actionsOf(statement).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
      expect(statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
        'USER#*',
        'IDENTITY#*',
        'APIKEY#*',
        'SETTINGS',
        'OUTBOX#*',
      ]);
    }
    expect(authorizer.flatMap(actionsOf).filter((action) => /^sqs:|^secretsmanager:|^kms:Sign/.test(action))).toEqual([]);
  });

  it('gives the sign-in functions KMS signing on its key only, and secrets read under the stage prefix (break-glass: password sign-in only)', () => {
    for (const role of ['FunctionsAuthRole', 'FunctionsPasswordAuthRole']) {
      const statements = policyStatementsOfRole(api, role);
      const kms = statements.filter((s) => actionsOf(s).includes('kms:Sign'));
      expect(kms).toHaveLength(1);
      expect(actionsOf(kms[0]!).sort()).toEqual(['kms:GetPublicKey', 'kms:Sign']);
      const secrets = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
      expect([...new Set(secrets.flatMap(actionsOf))]).toEqual(['secretsmanager:GetSecretValue']);
      const resources = JSON.stringify(secrets.map((s) => (s as { Resource?: unknown }).Resource));
      expect(resources.includes('BreakGlass')).toBe(role === 'FunctionsPasswordAuthRole');
    }
    const identity = policyStatementsOfRole(api, 'FunctionsIdentityRole');
    expect(
      identity
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('secretsmanager:'))
        .sort(),
    ).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue']);
  });

  it('gives the sessions function (refresh, JWKS) KMS signing on the session key and no secret at all', () => {
    const sessions = policyStatementsOfRole(api, 'FunctionsSessionsRole');
    const kms = sessions.filter((s) => actionsOf(s).includes('kms:Sign'));
    expect(kms.flatMap(actionsOf).sort()).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    expect(sessions.flatMap(actionsOf).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
  });

  it('gives the me function (who am I, API keys) neither secrets nor KMS signing', () => {
    const actions = policyStatementsOfRole(api, 'FunctionsMeRole').flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem']));
    expect(actions.filter((a) => a.startsWith('secretsmanager:') || a === 'kms:Sign')).toEqual([]);
  });

  it('lets jobs write the table (its events, dispatch requests included, go to the outbox), never put events, scan or touch SQS', () => {
    const actions = jobs.flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(actions.filter((action) => action.startsWith('events:'))).toEqual([]);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => action.startsWith('sqs:'))).toEqual([]);
    // Its own log group only (CreateLogStream/PutLogEvents): job output is read by the job-output function.
    expect(actions.filter((action) => /^logs:(Get|Filter|Describe)/.test(action))).toEqual([]);
  });

  it('gives the submission dry run no event-bus, queue or log-read grant', () => {
    const actions = policyStatementsOfRole(api, 'FunctionsExplainRole').flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actions.filter((a) => a.startsWith('events:') || a.startsWith('sqs:') || /^logs:(Get|Filter)/.test(a))).toEqual([]);
  });

  it('lets only the job-output function read the job log group, and never publish events', () => {
    const logs = policyStatementsOfRole(api, 'FunctionsLogsRole');
    const reads = logs.filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
    expect(reads.flatMap(actionsOf)).toEqual(expect.arrayContaining(['logs:FilterLogEvents', 'logs:GetLogEvents']));
    expect(logs.flatMap(actionsOf).filter((a) => a.startsWith('events:') || a.startsWith('sqs:'))).toEqual([]);
  });

  it('limits KMS use to calls through DynamoDB', () => {
    for (const statement of [...health, ...authorizer, ...jobs].filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))) {
      expect(statement.Condition?.StringEquals?.['kms:ViaService']).toBeDefined();
    }
  });

  it('uses no wildcard action anywhere', () => {
    for (const statement of [...health, ...authorizer, ...jobs]) {
      expect(actionsOf(statement).filter((action) => action.includes('*'))).toEqual([]);
    }
  });
});

import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_ROUTE_GROUPS } from '../../functions/api/api.routes';
import { routeKey } from '../../shared/http/route';
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

  it('puts the Lambda authorizer on every route except the public /health/* probes', () => {
    const [authorizerId] = Object.keys(api.findResources('AWS::ApiGatewayV2::Authorizer'));
    for (const route of routes) {
      const isHealth = route.Properties.RouteKey.split(' ')[1]?.startsWith('/health/') ?? false;
      if (isHealth) {
        expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe('NONE');
      } else {
        expect(route.Properties.AuthorizationType, route.Properties.RouteKey).toBe('CUSTOM');
        expect(route.Properties.AuthorizerId, route.Properties.RouteKey).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('declares public access only for health probes', () => {
    const publicPaths = declared.filter((route) => route.access === 'public').map((route) => route.path);
    expect(publicPaths.every((path) => path.startsWith('/health/'))).toBe(true);
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
  const health = policyStatementsOfRole(api, 'HealthRole');
  const authorizer = policyStatementsOfRole(api, 'AuthorizerRole');
  const jobs = policyStatementsOfRole(api, 'JobsRole');

  it('lets the health function only describe the table and read an item', () => {
    const dynamo = health.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'));
    expect(dynamo.sort()).toEqual(['dynamodb:DescribeTable', 'dynamodb:GetItem']);
    expect(health.flatMap(actionsOf).filter((action) => WRITE_ACTION.test(action))).toEqual([]);
  });

  it('keeps the authorizer read-only', () => {
    expect(authorizer.flatMap(actionsOf).filter((action) => WRITE_ACTION.test(action))).toEqual([]);
    expect(authorizer.flatMap(actionsOf)).toContain('dynamodb:GetItem');
  });

  it('lets jobs write the table and publish events (dispatch requests included), never scan or touch SQS', () => {
    const actions = jobs.flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'events:PutEvents']));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => action.startsWith('sqs:'))).toEqual([]);
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

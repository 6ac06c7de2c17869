import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_WAF_RULES, SIGN_IN_PATH_PREFIX } from '#lib/constructs/api-web-acl';
import { API_PATH_PATTERNS } from '#lib/stacks/web-stack';
import { synthQuartermaster } from './quartermaster-app.fixture';

/**
 * The API behind CloudFront and WAF (docs/deploy.md): the console's distribution also serves the API's paths,
 * uncached, behind a CLOUDFRONT-scope web ACL. Three placements of the ACL, by the stage's `region`.
 */
interface CfnDistribution {
  Properties: {
    DistributionConfig: {
      WebACLId?: unknown;
      CustomErrorResponses?: unknown;
      CacheBehaviors?: { PathPattern: string; TargetOriginId: string; CachePolicyId: string; AllowedMethods: string[] }[];
      DefaultCacheBehavior: { TargetOriginId: string; FunctionAssociations?: unknown[] };
      Origins: { Id: string; DomainName: unknown; CustomOriginConfig?: { OriginProtocolPolicy: string } }[];
    };
  };
}
const distributionOf = (template: Template): CfnDistribution => {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as CfnDistribution[];
  if (!distribution) throw new Error('no distribution');
  return distribution;
};
/** CachingDisabled, the managed cache policy. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

describe('the API behind the console distribution (no region set: the default config)', () => {
  const { stacks, template } = synthQuartermaster();
  const web = template(stacks.web);
  const config = distributionOf(web).Properties.DistributionConfig;

  it('serves /v1/*, /.well-known/* and /health* from the HTTP API, uncached, every method, HTTPS only to the origin', () => {
    const behaviors = config.CacheBehaviors ?? [];
    expect(behaviors.map((behavior) => behavior.PathPattern).sort()).toEqual([...API_PATH_PATTERNS].sort());
    const apiOrigin = config.Origins.find((origin) => origin.CustomOriginConfig);
    expect(apiOrigin?.CustomOriginConfig?.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(apiOrigin?.DomainName)).toMatch(/HttpApi/);
    for (const behavior of behaviors) {
      expect(behavior.TargetOriginId).toBe(apiOrigin?.Id);
      expect(behavior.CachePolicyId).toBe(CACHING_DISABLED);
      expect(behavior.AllowedMethods).toContain('POST');
    }
  });

  it("keeps the API's own 403 and 404: the console's client-side routes are rewritten by a function on its behaviour only", () => {
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
    web.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp('index\\.html'),
    });
  });

  it('creates the web ACL only where CloudFront accepts it (us-east-1), and associates it there', () => {
    const acls = web.findResources('AWS::WAFv2::WebACL');
    expect(Object.values(acls)).toHaveLength(1);
    const [acl] = Object.values(acls) as { Condition?: string }[];
    expect(acl?.Condition).toBeDefined();
    web.hasCondition(acl!.Condition!, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(JSON.stringify(config.WebACLId)).toContain('Fn::If');
  });

  it('rate-limits every client address, tighter on sign-in, after the AWS managed common rules', () => {
    web.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Name: API_WAF_RULES.commonRuleSet,
          Statement: { ManagedRuleGroupStatement: Match.objectLike({ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' }) },
        }),
        Match.objectLike({
          Name: API_WAF_RULES.ratePerIp,
          Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
          Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP', Limit: 2000, EvaluationWindowSec: 300 }) },
        }),
        Match.objectLike({
          Name: API_WAF_RULES.signInRatePerIp,
          Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
          Statement: {
            RateBasedStatement: Match.objectLike({
              AggregateKeyType: 'IP',
              Limit: 100,
              ScopeDownStatement: {
                ByteMatchStatement: Match.objectLike({ SearchString: SIGN_IN_PATH_PREFIX, PositionalConstraint: 'STARTS_WITH' }),
              },
            }),
          },
        }),
      ],
    });
  });
});

describe('a stage in us-east-1', () => {
  const { stacks, template } = synthQuartermaster({ config: { region: 'us-east-1', apiRequestsPerIpPer5Minutes: 500 } });

  it('keeps the web ACL in the web stack, unconditionally, with the configured limit; no edge stack', () => {
    expect(stacks.edge).toBeUndefined();
    const web = template(stacks.web);
    const [acl] = Object.values(web.findResources('AWS::WAFv2::WebACL')) as { Condition?: string }[];
    expect(acl?.Condition).toBeUndefined();
    expect(JSON.stringify(distributionOf(web).Properties.DistributionConfig.WebACLId)).toMatch(/ApiWebAcl/);
    web.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 500 }) } })]),
    });
  });
});

describe('a stage outside us-east-1 (eu-west-1)', () => {
  const { stacks, template, allStacks, assembly } = synthQuartermaster({ config: { region: 'eu-west-1' }, nag: true });

  it('puts the web ACL in an edge stack in us-east-1 and hands its ARN to the distribution across regions', () => {
    expect(stacks.edge?.region).toBe('us-east-1');
    for (const stack of allStacks.filter((s) => s !== stacks.edge)) expect(stack.region, stack.stackName).toBe('eu-west-1');
    template(stacks.edge!).resourceCountIs('AWS::WAFv2::WebACL', 1);
    const web = template(stacks.web);
    web.resourceCountIs('AWS::WAFv2::WebACL', 0);
    // CDK's cross-region reference: the edge stack's output, read by CloudFormation from us-east-1.
    expect(distributionOf(web).Properties.DistributionConfig.WebACLId).toMatchObject({
      'Fn::GetStackOutput': { StackName: stacks.edge?.stackName, Region: 'us-east-1' },
    });
  });

  it('passes cdk-nag AwsSolutions with the cross-region machinery in place', () => {
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
    };
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`),
    );
    expect(findings).toEqual([]);
  });
});

import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Path prefix of the sign-in routes: the tighter WAF rate applies to it. */
export const SIGN_IN_PATH_PREFIX = '/v1/auth/';

/** Names of the web ACL's rules, as they appear in WAF metrics and sampled requests. */
export const API_WAF_RULES = {
  commonRuleSet: 'aws-common-rule-set',
  ratePerIp: 'api-rate-per-ip',
  signInRatePerIp: 'sign-in-rate-per-ip',
} as const;

export interface ApiWebAclProps {
  /** Stage name: part of the ACL and metric names. */
  readonly stage: string;
  /** Requests one address may send to anything behind the distribution in 5 minutes. */
  readonly requestsPerIpPer5Minutes: number;
  /** Requests one address may send to `/v1/auth/*` in 5 minutes. */
  readonly signInRequestsPerIpPer5Minutes: number;
}

/**
 * The WAFv2 web ACL in front of the API and the console (scope CLOUDFRONT, so it must be created in
 * us-east-1: see `lib/stacks/edge-stack.ts`). Rules, in order:
 * 1. AWS managed common rule set (OWASP-style bad input), with the 8 KB body-size rule only counting: job
 *    specs and templates may be larger, and the API refuses oversized bodies itself (413).
 * 2. A rate-based rule per client address over everything (`requestsPerIpPer5Minutes`).
 * 3. A tighter rate-based rule per client address on the sign-in routes, in front of the application's own
 *    sign-in throttling (which counts failures in DynamoDB; this counts every request).
 * A blocked request gets CloudFront's 403; a rate-limited one 429.
 */
export class ApiWebAcl extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiWebAclProps) {
    super(scope, id);
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `qm-${props.stage}-${metricName}`,
    });
    const tooMany: CfnWebACL.RuleActionProperty = { block: { customResponse: { responseCode: 429 } } };
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `quartermaster-${props.stage}-api`,
      description: 'Quartermaster: managed common rules and per-address rate limits in front of the API and console',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('web-acl'),
      rules: [
        {
          name: API_WAF_RULES.commonRuleSet,
          priority: 0,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: visibility(API_WAF_RULES.commonRuleSet),
        },
        {
          name: API_WAF_RULES.ratePerIp,
          priority: 1,
          action: tooMany,
          statement: {
            rateBasedStatement: { aggregateKeyType: 'IP', limit: props.requestsPerIpPer5Minutes, evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility(API_WAF_RULES.ratePerIp),
        },
        {
          name: API_WAF_RULES.signInRatePerIp,
          priority: 2,
          action: tooMany,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.signInRequestsPerIpPer5Minutes,
              evaluationWindowSec: 300,
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: SIGN_IN_PATH_PREFIX,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: visibility(API_WAF_RULES.signInRatePerIp),
        },
      ],
    });
  }
}

import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthQuartermaster } from './quartermaster-app.fixture';

const { stacks, template } = synthQuartermaster();
const web = template(stacks.web);
const identity = template(stacks.identity);

describe('web stack', () => {
  it('deploys the built console with a runtime config.json naming the API (this distribution) and the Cognito client, then invalidates it', () => {
    const deployments = Object.values(web.findResources('Custom::CDKBucketDeployment')) as Array<{ Properties: Record<string, unknown> }>;
    expect(deployments).toHaveLength(2);
    const shell = deployments.find((deployment) => deployment.Properties.DistributionPaths !== undefined);
    expect(shell?.Properties.DistributionPaths).toEqual(['/index.html', '/config.json']);
    // config.json is rendered at deploy time from the distribution's domain (the API is served under it, same
    // origin) and the user pool client (tokens).
    expect(JSON.stringify(shell?.Properties)).toMatch(/Distribution[A-Z0-9]*", *"DomainName"/);
    expect(JSON.stringify(shell?.Properties)).toMatch(/SpaClient/);
  });

  it('keeps both buckets private, encrypted and TLS-only', () => {
    const buckets = web.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const bucket of Object.values(buckets) as {
      Properties: Record<string, unknown>;
    }[]) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
    }
    const policies = Object.values(web.findResources('AWS::S3::BucketPolicy')) as {
      Properties: { PolicyDocument: { Statement: unknown[] } };
    }[];
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('logs site-bucket access to the log bucket', () => {
    web.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: {
          Ref: Match.stringLikeRegexp('AccessLogBucket'),
        },
        LogFilePrefix: 's3/site/',
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('serves the bucket through CloudFront with origin access control and security headers', () => {
    web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        // The site bucket, and the API (test/cdk/api-edge.test.ts).
        Origins: Match.arrayWith([
          Match.objectLike({
            OriginAccessControlId: { 'Fn::GetAtt': [Match.anyValue(), 'Id'] },
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ]),
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          ResponseHeadersPolicyId: Match.anyValue(),
        }),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      }),
    });
    web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ Override: true }),
          StrictTransportSecurity: Match.objectLike({
            AccessControlMaxAgeSec: 31536000,
          }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
        }),
      }),
    });
  });

  it("allows the console to call exactly the API and Cognito's origins, and no frame at all", () => {
    const [policy] = Object.values(web.findResources('AWS::CloudFront::ResponseHeadersPolicy')) as Array<{
      Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } } } };
    }>;
    const csp = flatten(policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    const directives = new Map(csp.split('; ').map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)]));
    expect(directives.get('connect-src')).toEqual([
      "'self'",
      expect.stringMatching(/^<output:.*HttpApi.*ApiEndpoint/),
      'https://cognito-idp.<ref:AWS::Region>.<ref:AWS::URLSuffix>',
    ]);
    // Sessions renew with refresh tokens: no hidden iframe, so nothing is framed either way.
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('form-action')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/https:(;| |$)/);
  });

  it('lets only this distribution read the site bucket', () => {
    web.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe('identity stack', () => {
  it('has no self sign-up and a strong password policy', () => {
    identity.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      MfaConfiguration: 'OPTIONAL',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('gives the SPA a public client with the code grant only', () => {
    identity.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: ['http://localhost:5173/auth/callback'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });
});

/** A CloudFormation string (literal or Fn::Join of tokens) as text, with each token named: `<ref:X>`, `<output:X>`. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (Array.isArray(node['Fn::Join'])) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(separator);
  }
  if ('Ref' in node) return `<ref:${String(node.Ref)}>`;
  // Another stack's output (the API endpoint), however CDK wires it across stacks.
  const output =
    (node['Fn::GetStackOutput'] as { OutputName?: string } | undefined)?.OutputName ?? JSON.stringify(node['Fn::ImportValue'] ?? '');
  if ('Fn::GetStackOutput' in node || 'Fn::ImportValue' in node) return `<output:${output}>`;
  return `<${Object.keys(node).join(',')}>`;
}

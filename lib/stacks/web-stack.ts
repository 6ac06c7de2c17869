import {
  Annotations,
  Aws,
  type CfnResource,
  CfnCondition,
  CfnOutput,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  Function as CloudFrontFunction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiWebAcl } from '#lib/constructs/api-web-acl';
import { consoleCsp } from '#lib/constructs/console-csp';
import { REPO_ROOT } from '#lib/constructs/qm-function';
import type { ApiStack } from './api-stack';
import type { IdentityStack } from './identity-stack';
import type { QmStackProps } from './stack-props';

export interface WebStackProps extends QmStackProps {
  /** The API the console calls (its URL goes into config.json). */
  readonly api: ApiStack;
  /** The stack's Cognito user pool and its public SPA client (the console's sign-in). */
  readonly identity: IdentityStack;
  /**
   * ARN of the CloudFront web ACL when it lives in the us-east-1 edge stack (stages deployed elsewhere);
   * otherwise this stack creates it.
   */
  readonly webAclArn?: string;
}

/** How cdk-nag writes a stack value in a finding: literal when the stage pins a region, else the pseudo parameter. */
const nagValue = (value: string, pseudo: string): string => (Token.isUnresolved(value) ? `<${pseudo}>` : value);

/** Paths of the API, served by the same distribution as the console (same origin: no CORS for the console). */
export const API_PATH_PATTERNS = ['/v1/*', '/.well-known/*', '/health*'] as const;

/** Where `npm --prefix web run build` writes the console (npm run synth, dev and test build it first). */
export const CONSOLE_DIST = join(REPO_ROOT, 'web', 'dist');

/**
 * Web lifecycle: the console and the API's front door. One CloudFront distribution serves the static console
 * (a private, versioned S3 bucket read only through origin access control, strict security headers) and, under
 * `/v1/*`, `/.well-known/*` and `/health*`, the HTTP API (no caching, every viewer header but Host forwarded),
 * behind a WAF web ACL (managed common rules, per-address rate limits: `lib/constructs/api-web-acl.ts`). Access
 * logs (S3 server access logs and CloudFront standard logs) go to a separate log bucket. The SPA reads its
 * runtime settings from `config.json` in the bucket; its API URL is the distribution itself.
 */
export class WebStack extends Stack {
  readonly siteBucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** The web ACL, when this stack holds it (stages in us-east-1, or with no region set). */
  readonly webAcl?: ApiWebAcl;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.logBucket = new Bucket(this, 'AccessLogBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs, so the bucket must accept them.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging its own access would log the log writes',
    });

    this.siteBucket = new Bucket(this, 'SiteBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Quartermaster console security headers',
      securityHeadersBehavior: {
        // Exactly the origins the console calls: the API, the user pool's issuer (discovery, JWKS) and its
        // managed-login domain (token and revocation endpoints). Sessions renew with Cognito's refresh token, so
        // no frame is needed (see console-csp.ts).
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleCsp([
            props.api.httpApi.apiEndpoint,
            `https://cognito-idp.${this.region}.${this.urlSuffix}`,
            ...(props.identity.hostedUiOrigin ? [props.identity.hostedUiOrigin] : []),
          ]),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });

    // The API behind the same distribution: nothing cached, every viewer header (Authorization, Idempotency-Key,
    // content type) forwarded but Host, which must name the API's own domain. Its answers keep their own headers.
    const apiBehavior: BehaviorOptions = {
      origin: new HttpOrigin(Fn.parseDomainName(props.api.httpApi.apiEndpoint), {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    const { webAclId, webAcl } = this.webAclFor(props);
    this.webAcl = webAcl;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Quartermaster console and API (${config.stage})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        // Client-side routes serve the app shell, which renders its own 404. A viewer-request function on the
        // console's behaviour only: distribution-wide error pages would turn the API's 403 and 404 into HTML.
        functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: this.appShellRewrite() }],
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, apiBehavior])),
      webAclId,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Teams using Quartermaster may work from any country; access is controlled by sign-in, not geography',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'Uses the default *.cloudfront.net certificate, which CloudFront pins to its own TLS policy; a custom domain with TLSv1.2_2021 is a per-deployment option',
      },
    );

    this.deployConsole(props);

    new CfnOutput(this, 'SiteBucketName', {
      value: this.siteBucket.bucketName,
    });
    new CfnOutput(this, 'ConsoleUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
    });
  }

  /**
   * The web ACL the distribution uses: the edge stack's (by cross-region reference), or one of this stack's.
   * CloudFront accepts only web ACLs created in us-east-1: a stage with no `region` may deploy anywhere, so its
   * ACL (and the association) exist only when it is deployed to us-east-1 (a CloudFormation condition).
   */
  private webAclFor(props: WebStackProps): { webAclId: string; webAcl?: ApiWebAcl } {
    if (props.webAclArn) return { webAclId: props.webAclArn };
    const { config } = props;
    const acl = new ApiWebAcl(this, 'ApiWebAcl', {
      stage: config.stage,
      requestsPerIpPer5Minutes: config.apiRequestsPerIpPer5Minutes,
      signInRequestsPerIpPer5Minutes: config.signInRequestsPerIpPer5Minutes,
    });
    if (!Token.isUnresolved(this.region)) return { webAclId: acl.webAcl.attrArn, webAcl: acl };
    const inUsEast1 = new CfnCondition(this, 'DeployedInUsEast1', { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
    acl.webAcl.cfnOptions.condition = inUsEast1;
    // Information, not a warning: cdk.json's default stage has no region, and every synth would warn.
    Annotations.of(this).addInfo(
      'Stage has no `region`: the WAF web ACL in front of the API is created only when this stack deploys to us-east-1. Set `region` in the stage config to get it anywhere (docs/deploy.md).',
    );
    return { webAclId: Token.asString(Fn.conditionIf(inUsEast1.logicalId, acl.webAcl.attrArn, Aws.NO_VALUE)), webAcl: acl };
  }

  /** Paths without a file extension (client-side routes) are the app shell. */
  private appShellRewrite(): CloudFrontFunction {
    return new CloudFrontFunction(this, 'AppShellRewrite', {
      comment: 'Quartermaster console: client-side routes serve index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (!/\\.[A-Za-z0-9]+$/.test(r.uri)) r.uri = '/index.html'; return r; }",
      ),
    });
  }

  /**
   * The built console plus its runtime `config.json` (API URL, the stack's Cognito pool as the sign-in
   * provider), then a CloudFront invalidation so a new build is served at once. Hashed assets are cached
   * for good; index.html and config.json revalidate.
   */
  private deployConsole(props: WebStackProps): void {
    if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
      throw new Error(`The web console is not built (${CONSOLE_DIST}): run 'npm --prefix web run build' (npm run synth does it)`);
    }
    const { identity } = props;
    const config = {
      // Same origin: the console calls the API through this distribution (and its WAF), so no CORS.
      apiUrl: `https://${this.distribution.distributionDomainName}`,
      stage: props.config.stage,
      providers: [
        {
          type: 'oidc',
          id: 'cognito',
          label: 'Cognito',
          authority: identity.userPool.userPoolProviderUrl,
          clientId: identity.spaClient.userPoolClientId,
          scope: 'openid email profile',
        },
      ],
    };
    const deployment = new BucketDeployment(this, 'Console', {
      destinationBucket: this.siteBucket,
      sources: [Source.asset(CONSOLE_DIST, { exclude: ['index.html'] })],
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
      memoryLimit: 512,
    });
    const shell = new BucketDeployment(this, 'ConsoleShell', {
      destinationBucket: this.siteBucket,
      sources: [Source.asset(CONSOLE_DIST, { exclude: ['assets/*'] }), Source.jsonData('config.json', config)],
      cacheControl: [CacheControl.noCache()],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    // The shell names the hashed assets: upload them first so a visitor never gets a page whose scripts 404.
    shell.node.addDependency(deployment);
    // Findings of the BucketDeployment custom resource (aws-cdk-lib's own Lambda): what it may touch is
    // the CDK asset bucket (read) and this stack's site bucket (write), each object-wildcarded by design.
    const acknowledgements: Array<[string, string]> = [
      ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'its own logs only'],
      ['AwsSolutions-IAM5[Action::s3:GetBucket*]', 'reads the console asset from the CDK asset bucket'],
      ['AwsSolutions-IAM5[Action::s3:GetObject*]', 'reads the console asset from the CDK asset bucket'],
      ['AwsSolutions-IAM5[Action::s3:List*]', 'lists the asset and the site bucket to copy files'],
      ['AwsSolutions-IAM5[Action::s3:Abort*]', 'aborts its own multipart uploads into the site bucket'],
      ['AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'replaces console files in the site bucket'],
      [
        `AwsSolutions-IAM5[Resource::arn:${nagValue(this.partition, 'AWS::Partition')}:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${nagValue(this.region, 'AWS::Region')}/*]`,
        'the CDK asset bucket holding the console build',
      ],
      [
        `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.siteBucket.node.defaultChild as CfnResource)}.Arn>/*]`,
        'objects of the site bucket',
      ],
      ['AwsSolutions-IAM5[Resource::*]', 'CloudFront CreateInvalidation has no resource-level scoping in the deployment handler'],
      ['AwsSolutions-L1', 'its runtime is chosen by aws-cdk-lib and moves forward with it'],
    ];
    Validations.of(this).acknowledge(
      ...acknowledgements.map(([id, why]) => ({ id, reason: `CDK BucketDeployment custom resource: ${why}` })),
    );
  }
}

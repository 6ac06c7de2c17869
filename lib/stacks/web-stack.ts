import { type CfnResource, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
}

/** Where `npm --prefix web run build` writes the console (npm run synth, dev and test build it first). */
export const CONSOLE_DIST = join(REPO_ROOT, 'web', 'dist');

/**
 * Web lifecycle: the static console. A private, versioned S3 bucket read only by CloudFront through origin
 * access control, strict security headers, and access logs (S3 server access logs and CloudFront standard
 * logs) in a separate log bucket. The SPA reads its runtime settings from `config.json` in the bucket.
 */
export class WebStack extends Stack {
  readonly siteBucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;

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

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Quartermaster console (${config.stage})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      // Client-side routes: unknown paths serve the app shell, which renders its own 404.
      errorResponses: [
        {
          httpStatus: 403,
          responseHttpStatus: 200,
          responsePagePath: '/index.html',
          ttl: Duration.minutes(5),
        },
        {
          httpStatus: 404,
          responseHttpStatus: 200,
          responsePagePath: '/index.html',
          ttl: Duration.minutes(5),
        },
      ],
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
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves static files only; the API (where WAF would matter) is not behind it. Attach a web ACL per deployment if required',
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
   * The built console plus its runtime `config.json` (API URL, the stack's Cognito pool as the sign-in
   * provider), then a CloudFront invalidation so a new build is served at once. Hashed assets are cached
   * for good; index.html and config.json revalidate.
   */
  private deployConsole(props: WebStackProps): void {
    if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
      throw new Error(`The web console is not built (${CONSOLE_DIST}): run 'npm --prefix web run build' (npm run synth does it)`);
    }
    const { api, identity } = props;
    const config = {
      apiUrl: api.httpApi.apiEndpoint,
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
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
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

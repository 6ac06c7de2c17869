import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { QmStackProps } from './stack-props';
import { approvalLinkKeyName } from '#lib/constructs/kubernetes-access';

/**
 * Identity lifecycle: the Cognito user pool (the built-in identity provider; external OIDC and LDAP
 * providers are configured at run time through the API) and the web console's public SPA client.
 */
export class IdentityStack extends Stack {
  readonly userPool: UserPool;
  readonly spaClient: UserPoolClient;
  /** Origin of the Cognito managed-login domain (authorize, token, revoke endpoints), when one is configured. */
  readonly hostedUiOrigin?: string;
  /** Signs Quartermaster session tokens (RS256); the private key never leaves KMS. */
  readonly sessionSigningKey: Key;
  /** The generated break-glass secret (the login path itself is off unless the stage enables it). */
  readonly breakGlassSecret: Secret;
  /**
   * Signs approval-email links (HMAC-SHA256; docs/approvals.md, "Approve by email"): its own generated key, so
   * that minting a link never needs the power to mint a session.
   */
  readonly approvalLinkKey: Secret;

  constructor(scope: Construct, id: string, props: QmStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `quartermaster-${config.stage}`,
      // Admins invite users (or users arrive through a federated provider); nobody registers themselves.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: adaptive authentication and compromised-credential checks (threat protection).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional: most people sign in through their corporate IdP, which enforces its own MFA; local users can enrol TOTP and threat protection (Plus) forces step-up on risky sign-ins',
    });

    if (config.cognitoDomainPrefix) {
      const domain = this.userPool.addDomain('Domain', {
        cognitoDomain: { domainPrefix: config.cognitoDomainPrefix },
        managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
      this.hostedUiOrigin = domain.baseUrl();
    }

    // A public client: the SPA cannot keep a secret, so it uses the authorization code grant with PKCE
    // (Cognito verifies the code_verifier whenever the authorize request carried a code_challenge).
    this.spaClient = this.userPool.addClient('SpaClient', {
      userPoolClientName: 'quartermaster-web',
      generateSecret: false,
      authFlows: {
        user: false,
        userPassword: false,
        userSrp: false,
        adminUserPassword: false,
        custom: false,
      },
      oAuth: {
        flows: {
          authorizationCodeGrant: true,
          implicitCodeGrant: false,
          clientCredentials: false,
        },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: config.callbackUrls,
        logoutUrls: config.logoutUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });

    this.sessionSigningKey = new Key(this, 'SessionSigningKey', {
      description: `Quartermaster ${config.stage}: signs session tokens (RS256)`,
      alias: `alias/quartermaster/${config.stage}/session-signing`,
      keySpec: KeySpec.RSA_2048,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.sessionSigningKey).acknowledge({
      id: 'AwsSolutions-KMS5',
      reason: 'KMS does not rotate asymmetric keys; rotating means a new key and a JWKS with both, which the auth function supports by kid',
    });
    this.breakGlassSecret = new Secret(this, 'BreakGlassSecret', {
      secretName: `quartermaster/${config.stage}/break-glass`,
      description: 'Quartermaster break-glass admin secret (generated at deploy time; the path is disabled unless enabled per stage)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.breakGlassSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The break-glass secret is rotated by an operator after each use (every use is audited); automatic rotation would lock operators out',
    });

    this.approvalLinkKey = new Secret(this, 'ApprovalLinkKey', {
      secretName: approvalLinkKeyName(config),
      description: 'Quartermaster approval-link signing key (HMAC-SHA256, generated at deploy time)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.approvalLinkKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the approval-link key invalidates the links in flight (at most 24 hours old); an operator rotates it by putting a new random value (docs/approvals.md)',
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolIssuer', {
      value: this.userPool.userPoolProviderUrl,
    });
    new CfnOutput(this, 'SpaClientId', {
      value: this.spaClient.userPoolClientId,
    });
  }
}

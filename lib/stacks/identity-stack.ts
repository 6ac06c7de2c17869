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
import type { Construct } from 'constructs';
import type { QmStackProps } from './stack-props';

/**
 * Identity lifecycle: the Cognito user pool (the built-in identity provider; external OIDC and LDAP
 * providers are configured at run time through the API) and the web console's public SPA client.
 */
export class IdentityStack extends Stack {
  readonly userPool: UserPool;
  readonly spaClient: UserPoolClient;

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
      this.userPool.addDomain('Domain', {
        cognitoDomain: { domainPrefix: config.cognitoDomainPrefix },
        managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
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

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolIssuer', {
      value: this.userPool.userPoolProviderUrl,
    });
    new CfnOutput(this, 'SpaClientId', {
      value: this.spaClient.userPoolClientId,
    });
  }
}

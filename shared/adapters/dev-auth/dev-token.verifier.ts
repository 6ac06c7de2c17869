import type { CredentialVerifier, VerifiedIdentity } from '../../domain/identity/authenticate.service';

/**
 * LOCAL STACK ONLY. Accepts `dev:<userId>` as a credential without any signature, so a newcomer can use the
 * API before an identity provider is configured. It is wired only when QM_LOCAL_STACK=true, and `loadEnv`
 * refuses that flag inside Lambda (AWS_LAMBDA_FUNCTION_NAME set), so a deployed authorizer cannot use it.
 */
export class DevTokenVerifier implements CredentialVerifier {
  async verify(credential: string): Promise<VerifiedIdentity | undefined> {
    const match = /^dev:([A-Za-z0-9._-]{1,64})$/.exec(credential);
    return match?.[1] ? { userId: match[1], method: 'dev' } : undefined;
  }
}

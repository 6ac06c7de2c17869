import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { authenticate, bearerCredential, type CredentialVerifier } from '../../shared/domain/identity/authenticate.service';
import type { UserRepository } from '../../shared/domain/identity/user.schema';

export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<{ principal: string }>;

/**
 * The Lambda authorizer (HTTP API, simple responses). It verifies the bearer credential and hands the
 * principal to the route as JSON under `principal` (simple-response context values must be flat).
 * Anything unverifiable is a plain deny: the reason is never echoed to the caller.
 */
export function createAuthorizer(deps: { verifiers: readonly CredentialVerifier[]; users: UserRepository }) {
  return async (event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> => {
    const header = event.headers?.authorization ?? event.headers?.Authorization;
    try {
      const principal = await authenticate(bearerCredential(header), deps);
      if (!principal) return { isAuthorized: false, context: { principal: '' } };
      return { isAuthorized: true, context: { principal: JSON.stringify(principal) } };
    } catch {
      return { isAuthorized: false, context: { principal: '' } };
    }
  };
}

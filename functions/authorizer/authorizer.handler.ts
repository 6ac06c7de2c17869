import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client';
import { DynamoUserRepository } from '../../shared/adapters/dynamodb/dynamo-user.repository';
import { DevTokenVerifier } from '../../shared/adapters/dev-auth/dev-token.verifier';
import { loadEnv } from '../../shared/config/env';
import type { CredentialVerifier } from '../../shared/domain/identity/authenticate.service';
import { createAuthorizer } from './authorizer.app';
import { authorizerEnvSchema } from './authorizer.env';

// Composition root. loadEnv refuses QM_LOCAL_STACK inside Lambda, so the development verifier can only
// ever be active in the local stack. Identity-provider verifiers (OIDC, Cognito, sessions, API keys) join
// this list with the identity work; until then a deployed authorizer denies every request.
const env = loadEnv(authorizerEnvSchema);
const verifiers: CredentialVerifier[] = env.QM_LOCAL_STACK === 'true' ? [new DevTokenVerifier()] : [];
const users = new DynamoUserRepository(createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }), env.QM_TABLE_NAME);

export const handler = createAuthorizer({ verifiers, users });

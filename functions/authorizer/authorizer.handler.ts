import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { CachedIdentityProviders } from '#adapters/dynamodb/dynamo-identity-provider.repository';
import { dynamoIdentityStores } from '#adapters/dynamodb/identity-stores';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { ApiKeyVerifier, SessionTokenVerifier } from '#adapters/jwt/credential.verifier';
import { IdpTokenVerifier } from '#adapters/jwt/idp-token.verifier';
import { getLogger } from '#adapters/logging/logger';
import { LoggerAuditLog } from '#adapters/logging/logger-audit-log.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { builtInCognitoProvider } from '#domain/identity/built-in-providers';
import { signIn, type LoginDeps } from '#domain/identity/login.service';
import { createAuthorizer } from './authorizer.app';
import { authorizerEnvSchema } from './authorizer.env';

// Composition root. No development shortcut exists any more: API keys, our session tokens and access
// tokens of the configured identity providers are the only credentials, here and in the local stack.
const env = loadEnv(authorizerEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const stores = dynamoIdentityStores(doc, env.QM_TABLE_NAME);
const logger = getLogger();
const login: LoginDeps = {
  ...stores,
  audit: new LoggerAuditLog(logger),
  // Refused sign-ins are recorded in the outbox; the relay puts them on the bus.
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  clock: systemClock,
  ids: ulidSource(),
  firstUserBecomesAdmin: env.QM_FIRST_USER_ADMIN === 'true',
};

const tableProviders = new CachedIdentityProviders(stores.providers);
const cognito =
  env.QM_COGNITO_USER_POOL_ID && env.QM_COGNITO_CLIENT_IDS
    ? builtInCognitoProvider({
        userPoolId: env.QM_COGNITO_USER_POOL_ID,
        clientIds: env.QM_COGNITO_CLIENT_IDS.split(','),
        orgId: env.QM_COGNITO_DEFAULT_ORG,
      })
    : undefined;

export const handler = createAuthorizer({
  resultCacheMs: env.QM_AUTHORIZER_CACHE_SECONDS * 1000,
  users: stores.users,
  verifiers: [
    new ApiKeyVerifier({ apiKeys: stores.apiKeys, clock: systemClock, ids: login.ids }),
    new SessionTokenVerifier({ issuer: env.QM_API_BASE_URL, audience: env.QM_SESSION_AUDIENCE }),
    new IdpTokenVerifier({
      providers: { list: async () => [...(await tableProviders.list()), ...(cognito ? [cognito] : [])] },
      signIn: (provider, profile) => signIn(provider, profile, login),
    }),
  ],
  onError: (error) =>
    error instanceof Error
      ? logger.error('authorizer: verification failed', error)
      : logger.error('authorizer: verification failed', { error: String(error) }),
});

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoApiKeyRepository } from './dynamo-api-key.repository';
import { DynamoExternalIdentityRepository } from './dynamo-identity.repository';
import { DynamoIdentityProviderRepository } from './dynamo-identity-provider.repository';
import { DynamoLoginStateStore, DynamoRefreshTokenStore } from './dynamo-session.repository';
import { DynamoSignInThrottle } from './dynamo-sign-in-throttle.repository';
import { DynamoUserRepository } from './dynamo-user.repository';

/** Every identity store on one table, as the composition roots (deployed and local) wire them. */
export function dynamoIdentityStores(doc: DynamoDBDocumentClient, tableName: string) {
  const identities = new DynamoExternalIdentityRepository(doc, tableName);
  return {
    users: new DynamoUserRepository(doc, tableName),
    identities,
    bootstrap: identities,
    providers: new DynamoIdentityProviderRepository(doc, tableName),
    apiKeys: new DynamoApiKeyRepository(doc, tableName),
    states: new DynamoLoginStateStore(doc, tableName),
    refreshTokens: new DynamoRefreshTokenStore(doc, tableName),
    /** Sign-in failure counts (throttling), shared by every instance. */
    throttle: new DynamoSignInThrottle(doc, tableName),
  };
}
export type IdentityStores = ReturnType<typeof dynamoIdentityStores>;

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { dynamoIdentityStores } from '#adapters/dynamodb/identity-stores';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.store';
import type { AccessEnv } from '#config/access-env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { kmsSessions, type SessionTokenEnv } from './kms-sessions';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';

/** What both deployed sign-in functions (OIDC; LDAP and break-glass) compose before adding their protocol. */
export function deployedSignIn(
  env: SessionTokenEnv &
    Pick<AccessEnv, 'QM_AUDIT_RETENTION_DAYS' | 'QM_PERMISSION_CACHE_SECONDS'> & {
      QM_TABLE_NAME: string;
      QM_DYNAMODB_ENDPOINT?: string | undefined;
      QM_EVENT_BUS_NAME: string;
      QM_FIRST_USER_ADMIN: string;
    },
) {
  const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
  const stores = dynamoIdentityStores(doc, env.QM_TABLE_NAME);
  // Login outcomes go to the org's hash-chained audit log (DESIGN §4.10), like every other audited action.
  const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);
  const clock = systemClock;
  const ids = ulidSource();
  return {
    guard: { principalGate, audit },
    deps: {
      ...stores,
      audit,
      events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
      clock,
      ids,
      firstUserBecomesAdmin: env.QM_FIRST_USER_ADMIN === 'true',
      secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: 'quartermaster/' }),
      sessions: kmsSessions(env, stores, { clock, ids }),
    },
  };
}

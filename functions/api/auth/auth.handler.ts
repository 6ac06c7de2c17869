import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { dynamoIdentityStores } from '../../../shared/adapters/dynamodb/identity-stores';
import { EventBridgePublisher } from '../../../shared/adapters/eventbridge/eventbridge-publisher';
import { OpenIdClientAdapter } from '../../../shared/adapters/oidc/openid-client.adapter';
import { systemClock, ulidSource } from '../../../shared/adapters/runtime/system-runtime';
import { SecretsManagerStore } from '../../../shared/adapters/secrets/secrets-manager.store';
import { loadEnv } from '../../../shared/config/env';
import { dynamoApiAccess } from '../api-access';
import { createAuthHandler } from './auth.app';
import { kmsSessions } from './kms-sessions';
import { authEnvSchema } from './auth.env';

// Composition root of the OIDC sign-in function: clients are built once per cold start, nothing else runs.
const env = loadEnv(authEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const stores = dynamoIdentityStores(doc, env.QM_TABLE_NAME);
// Login outcomes go to the org's hash-chained audit log (DESIGN §4.10), like every other audited action.
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);
const secrets = new SecretsManagerStore(new SecretsManagerClient({}), { namePrefix: 'quartermaster/' });
const clock = systemClock;
const ids = ulidSource();

export const handler = createAuthHandler(
  {
    ...stores,
    audit,
    events: new EventBridgePublisher(new EventBridgeClient({}), env.QM_EVENT_BUS_NAME),
    clock,
    ids,
    firstUserBecomesAdmin: env.QM_FIRST_USER_ADMIN === 'true',
    secrets,
    oidc: new OpenIdClientAdapter(),
    sessions: kmsSessions(env, stores, { clock, ids }),
  },
  { principalGate, audit },
);

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { dynamoIdentityStores } from '../../../shared/adapters/dynamodb/identity-stores';
import { EventBridgePublisher } from '../../../shared/adapters/eventbridge/eventbridge-publisher';
import { LdaptsDirectory } from '../../../shared/adapters/ldap/ldap.directory';
import { systemClock, ulidSource } from '../../../shared/adapters/runtime/system-runtime';
import { SecretsManagerStore } from '../../../shared/adapters/secrets/secrets-manager.store';
import { loadEnv } from '../../../shared/config/env';
import { dynamoApiAccess } from '../api-access';
import { kmsSessions } from '../auth/kms-sessions';
import { createPasswordAuthHandler } from './password-auth.app';
import { passwordAuthEnvSchema } from './password-auth.env';

// Composition root of the password sign-in function (LDAP, break-glass): clients are built once per cold start, nothing else runs.
const env = loadEnv(passwordAuthEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const stores = dynamoIdentityStores(doc, env.QM_TABLE_NAME);
// Login outcomes go to the org's hash-chained audit log (DESIGN §4.10), like every other audited action.
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);
const secrets = new SecretsManagerStore(new SecretsManagerClient({}), { namePrefix: 'quartermaster/' });
const clock = systemClock;
const ids = ulidSource();
const breakGlassSecretId = env.QM_BREAK_GLASS_SECRET_ID;

export const handler = createPasswordAuthHandler(
  {
    ...stores,
    audit,
    events: new EventBridgePublisher(new EventBridgeClient({}), env.QM_EVENT_BUS_NAME),
    clock,
    ids,
    firstUserBecomesAdmin: env.QM_FIRST_USER_ADMIN === 'true',
    secrets,
    ldap: new LdaptsDirectory(),
    sessions: kmsSessions(env, stores, { clock, ids }),
    breakGlass: {
      enabled: env.QM_BREAK_GLASS_ENABLED === 'true' && breakGlassSecretId !== undefined,
      secret: () => (breakGlassSecretId ? secrets.get(breakGlassSecretId) : Promise.reject(new Error('no break-glass secret'))),
    },
  },
  { principalGate, audit },
);

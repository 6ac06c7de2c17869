import { LdaptsDirectory } from '#adapters/ldap/ldap-directory.client';
import { loadEnv } from '#config/env';
import { deployedSignInEdges } from '#functions/api/deployed-sign-in';
import { composePasswordAuth } from './password-auth.app';
import { passwordAuthEnvSchema } from './password-auth.env';

// Composition root of the password sign-in function (LDAP, break-glass): the one composition, with the deployed clients.
const env = loadEnv(passwordAuthEnvSchema);

export const handler = composePasswordAuth(env, { ...deployedSignInEdges(env), ldap: new LdaptsDirectory() });

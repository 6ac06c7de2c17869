import { LdaptsDirectory } from '#adapters/ldap/ldap.directory';
import { loadEnv } from '#config/env';
import { deployedSignIn } from '#functions/api/auth/sign-in-composition';
import { createPasswordAuthHandler } from './password-auth.app';
import { passwordAuthEnvSchema } from './password-auth.env';

// Composition root of the password sign-in function (LDAP, break-glass): clients are built once per cold start.
const env = loadEnv(passwordAuthEnvSchema);
const { deps, guard } = deployedSignIn(env);
const breakGlassSecretId = env.QM_BREAK_GLASS_SECRET_ID;

export const handler = createPasswordAuthHandler(
  {
    ...deps,
    ldap: new LdaptsDirectory(),
    breakGlass: {
      enabled: env.QM_BREAK_GLASS_ENABLED === 'true' && breakGlassSecretId !== undefined,
      secret: () => (breakGlassSecretId ? deps.secrets.get(breakGlassSecretId) : Promise.reject(new Error('no break-glass secret'))),
    },
  },
  guard,
);

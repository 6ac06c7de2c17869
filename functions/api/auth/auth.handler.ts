import { OpenIdClientAdapter } from '#adapters/oidc/oidc-provider.client';
import { loadEnv } from '#config/env';
import { deployedSignInEdges } from '#functions/api/deployed-sign-in';
import { composeAuth } from './auth.app';
import { authEnvSchema } from './auth.env';

// Composition root of the OIDC sign-in function: the one composition (`composeAuth`), with the deployed clients.
const env = loadEnv(authEnvSchema);

export const handler = composeAuth(env, { ...deployedSignInEdges(env), oidc: new OpenIdClientAdapter() });

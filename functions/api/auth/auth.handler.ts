import { OpenIdClientAdapter } from '#adapters/oidc/openid-client.adapter';
import { loadEnv } from '#config/env';
import { createAuthHandler } from './auth.app';
import { authEnvSchema } from './auth.env';
import { deployedSignIn } from './sign-in-composition';

// Composition root of the OIDC sign-in function: clients are built once per cold start, nothing else runs.
const { deps, guard } = deployedSignIn(loadEnv(authEnvSchema));

export const handler = createAuthHandler({ ...deps, oidc: new OpenIdClientAdapter() }, guard);

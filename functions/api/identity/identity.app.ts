import { toIdentityProviderView, type IdentityProviderInput } from '#contracts/identity-providers.contract';
import {
  deleteIdentityProvider,
  getIdentityProvider,
  listIdentityProviders,
  saveIdentityProvider,
  type IdentityProviderAdminDeps,
  type IdentityProviderDraft,
  type SavedIdentityProvider,
} from '#domain/identity/identity-provider-admin.service';
import { notFound } from '#domain/errors/app-error';
import { createApiHandler, type ApiHandlerOptions, type AuditNote } from '#http/api-handler';
import { identityRoutes } from './identity.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoIdentityProviderRepository } from '#adapters/dynamodb/dynamo-identity-provider.repository';
import { DynamoClusterRepository } from '#adapters/dynamodb/dynamo-cluster.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { cognitoIssuer } from '#domain/identity/provider-uniqueness';
import type { SecretStore } from '#domain/secrets/secrets.port';
import type { IdentityEnv } from './identity.env';

export type IdentityDeps = IdentityProviderAdminDeps;

const draft = (input: IdentityProviderInput): IdentityProviderDraft => input;

/** What the audit entry of a save records: never the secret, only whether the request set one. */
const savedAudit = (action: string, { provider, secretChanged }: SavedIdentityProvider): AuditNote => ({
  action,
  target: `identity-provider/${provider.id}`,
  details: { type: provider.type, enabled: provider.enabled, secretChanged },
});

/** The identity-provider admin API (`admin.config`; org admins see and manage their own org's providers only). */
export function createIdentityHandler(deps: IdentityDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    identityRoutes,
    {
      listIdentityProviders: async ({ principal }) => ({
        status: 200,
        body: { items: (await listIdentityProviders(principal, deps)).map(toIdentityProviderView) },
      }),
      createIdentityProvider: async ({ principal, body }) => {
        const saved = await saveIdentityProvider(principal, draft(body), 'create', deps);
        return { status: 201, body: toIdentityProviderView(saved.provider), audit: savedAudit('identity_provider.create', saved) };
      },
      getIdentityProvider: async ({ principal, params }) => ({
        status: 200,
        body: toIdentityProviderView(await getIdentityProvider(principal, params.id, deps)),
      }),
      replaceIdentityProvider: async ({ principal, params, body }) => {
        if (body.id !== params.id) throw notFound('Identity provider');
        const saved = await saveIdentityProvider(principal, draft(body), 'replace', deps);
        return { status: 200, body: toIdentityProviderView(saved.provider), audit: savedAudit('identity_provider.update', saved) };
      },
      deleteIdentityProvider: async ({ principal, params }) => {
        await deleteIdentityProvider(principal, params.id, deps);
        return { status: 204, audit: { action: 'identity_provider.delete', target: `identity-provider/${params.id}` } };
      },
    },
    options,
  );
}

/**
 * The identity-provider admin function, as Lambda, the local stack and the tests build it. `secrets` is Secrets
 * Manager when deployed (write-only). Plain-http issuers and plain LDAP are allowed on the local stack only.
 */
export function composeIdentity(env: IdentityEnv, runtime: ApiRuntime & { secrets: SecretStore }) {
  const { access, options, clock } = composeApiAccess(env, runtime);
  return createIdentityHandler(
    {
      providers: new DynamoIdentityProviderRepository(runtime.doc, env.QM_TABLE_NAME),
      secrets: runtime.secrets,
      clock,
      allowInsecure: env.QM_LOCAL_STACK === 'true',
      apiBaseUrl: env.QM_API_BASE_URL,
      tenancy: new DynamoTenancyRepository(runtime.doc, env.QM_TABLE_NAME, access.orgStatus),
      levels: access.levels,
      clusters: new DynamoClusterRepository(runtime.doc, env.QM_TABLE_NAME),
      // No provider may claim Quartermaster's own session issuer, nor the stack's Cognito pool.
      reservedIssuers: [env.QM_API_BASE_URL, ...(env.QM_COGNITO_USER_POOL_ID ? [cognitoIssuer(env.QM_COGNITO_USER_POOL_ID)] : [])],
    },
    options,
  );
}

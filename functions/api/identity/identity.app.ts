import { apiKeyListSchema, toApiKeyView, toIdentityProviderView, type IdentityProviderInput } from '../../../shared/contracts/identity.contract';
import { effectivePermissions } from '../../../shared/domain/authz/policy';
import { notFound } from '../../../shared/domain/errors/app-error';
import { createApiKey, revokeApiKey, type ApiKeyDeps } from '../../../shared/domain/identity/api-key.service';
import {
  deleteIdentityProvider,
  saveIdentityProvider,
  type IdentityProviderAdminDeps,
  type IdentityProviderDraft,
} from '../../../shared/domain/identity/identity-provider-admin.service';
import type { UserRepository } from '../../../shared/domain/identity/user.schema';
import { createApiHandler, type ApiHandlerOptions } from '../../../shared/http/api-handler';
import { identityRoutes } from './identity.routes';

export interface IdentityDeps extends ApiKeyDeps, IdentityProviderAdminDeps {
  users: UserRepository;
}

const draft = (input: IdentityProviderInput): IdentityProviderDraft => input;

/** `/v1/me`, the caller's API keys, and the identity-provider admin API. */
export function createIdentityHandler(deps: IdentityDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    identityRoutes,
    {
      getMe: async ({ principal }) => {
        const user = await deps.users.get(principal.userId);
        if (!user) throw notFound('User');
        return {
          status: 200,
          body: {
            id: user.id,
            email: user.email,
            displayName: user.displayName,
            orgId: principal.orgId,
            level: principal.level,
            platformAdmin: principal.platformAdmin,
            teamIds: principal.teamIds,
            authMethod: principal.authMethod,
            ...(principal.scopes ? { scopes: principal.scopes } : {}),
            permissions: [...effectivePermissions(principal)].sort(),
          },
        };
      },
      createApiKey: async ({ principal, body }) => {
        const { key, record } = await createApiKey(principal, body, deps);
        await deps.audit.append({
          actor: principal.userId,
          orgId: principal.orgId,
          action: 'api_key.create',
          target: `api-key/${record.id}`,
          outcome: 'success',
          details: { scopes: record.scopes, expiresAt: record.expiresAt },
        });
        return { status: 201, body: { ...toApiKeyView(record, deps.clock.now()), key } };
      },
      listApiKeys: async ({ principal }) => {
        const now = deps.clock.now();
        const body = apiKeyListSchema.parse({ items: (await deps.apiKeys.listByOwner(principal.userId)).map((r) => toApiKeyView(r, now)) });
        return { status: 200, body };
      },
      revokeApiKey: async ({ principal, params }) => {
        await revokeApiKey(principal, params.id, deps);
        await deps.audit.append({ actor: principal.userId, orgId: principal.orgId, action: 'api_key.revoke', target: `api-key/${params.id}`, outcome: 'success' });
        return { status: 204 };
      },
      listIdentityProviders: async () => ({ status: 200, body: { items: (await deps.providers.list()).map(toIdentityProviderView) } }),
      createIdentityProvider: async ({ principal, body }) => ({
        status: 201,
        body: toIdentityProviderView(await saveIdentityProvider(principal, draft(body), 'create', deps)),
      }),
      getIdentityProvider: async ({ params }) => {
        const provider = await deps.providers.get(params.id);
        if (!provider) throw notFound('Identity provider');
        return { status: 200, body: toIdentityProviderView(provider) };
      },
      replaceIdentityProvider: async ({ principal, params, body }) => {
        if (body.id !== params.id) throw notFound('Identity provider');
        return { status: 200, body: toIdentityProviderView(await saveIdentityProvider(principal, draft(body), 'replace', deps)) };
      },
      deleteIdentityProvider: async ({ principal, params }) => {
        await deleteIdentityProvider(principal, params.id, deps);
        return { status: 204 };
      },
    },
    options,
  );
}

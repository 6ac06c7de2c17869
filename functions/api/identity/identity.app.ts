import { toIdentityProviderView, type IdentityProviderInput } from '#contracts/identity-providers.contract';
import { notFound } from '#domain/errors/app-error';
import {
  deleteIdentityProvider,
  saveIdentityProvider,
  type IdentityProviderAdminDeps,
  type IdentityProviderDraft,
} from '#domain/identity/identity-provider-admin.service';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { identityRoutes } from './identity.routes';

export type IdentityDeps = IdentityProviderAdminDeps;

const draft = (input: IdentityProviderInput): IdentityProviderDraft => input;

/** The identity-provider admin API (`admin.config`). */
export function createIdentityHandler(deps: IdentityDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    identityRoutes,
    {
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

import { toIdentityProviderView, type IdentityProviderInput } from '#contracts/identity-providers.contract';
import {
  deleteIdentityProvider,
  getIdentityProvider,
  listIdentityProviders,
  saveIdentityProvider,
  type IdentityProviderAdminDeps,
  type IdentityProviderDraft,
} from '#domain/identity/identity-provider-admin.service';
import { notFound } from '#domain/errors/app-error';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { identityRoutes } from './identity.routes';

export type IdentityDeps = IdentityProviderAdminDeps;

const draft = (input: IdentityProviderInput): IdentityProviderDraft => input;

/** The identity-provider admin API (`admin.config`; org admins see and manage their own org's providers only). */
export function createIdentityHandler(deps: IdentityDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    identityRoutes,
    {
      listIdentityProviders: async ({ principal }) => ({
        status: 200,
        body: { items: (await listIdentityProviders(principal, deps)).map(toIdentityProviderView) },
      }),
      createIdentityProvider: async ({ principal, body }) => ({
        status: 201,
        body: toIdentityProviderView(await saveIdentityProvider(principal, draft(body), 'create', deps)),
      }),
      getIdentityProvider: async ({ principal, params }) => ({
        status: 200,
        body: toIdentityProviderView(await getIdentityProvider(principal, params.id, deps)),
      }),
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

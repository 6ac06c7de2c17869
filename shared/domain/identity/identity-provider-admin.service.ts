import type { Principal } from '#domain/authz/principal';
import { AppError, notFound, validationFailed } from '#domain/errors/app-error';
import type { Clock } from '#domain/runtime/runtime.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { identityProviderSchema, transportProblems, type IdentityProvider } from './identity-provider.schema';
import type { IdentityProviderRepository } from './identity.port';
import { assertGrantable, type ProviderGrantDeps } from './provider-grants';
import { providerVisibleTo, scopeIssues } from './provider-scope';
import { assertAcceptsOwnSignIns } from './provider-uniqueness';

export interface IdentityProviderAdminDeps extends ProviderGrantDeps {
  providers: IdentityProviderRepository;
  secrets: SecretStore;
  clock: Clock;
  /** Local stack only: plain-http issuers and plain LDAP are allowed. */
  allowInsecure: boolean;
  /** Default server-side redirect URI: `<api>/v1/auth/oidc/<id>/callback`. */
  apiBaseUrl?: string | undefined;
  /**
   * Issuers no provider may claim: Quartermaster's own session tokens (`QM_API_BASE_URL`) and the stack's
   * Cognito pool, whose tokens the authorizer already accepts.
   */
  reservedIssuers: readonly string[];
}

/** Providers the caller may see: every one for platform admins, their own org's for org admins. */
export async function listIdentityProviders(
  principal: Principal,
  deps: Pick<IdentityProviderAdminDeps, 'providers'>,
): Promise<IdentityProvider[]> {
  return (await deps.providers.list()).filter((provider) => providerVisibleTo(principal, provider));
}

/** A provider the caller may see; any other is "not found", whether it exists or not. */
export async function getIdentityProvider(
  principal: Principal,
  id: string,
  deps: Pick<IdentityProviderAdminDeps, 'providers'>,
): Promise<IdentityProvider> {
  const provider = await deps.providers.get(id);
  if (!provider || !providerVisibleTo(principal, provider)) throw notFound('Identity provider');
  return provider;
}

/** A provider as an admin sends it: secrets as write-only values or as references to existing secrets. */
export type IdentityProviderDraft = Record<string, unknown> & {
  id: string;
  type: IdentityProvider['type'];
  clientSecret?: string | undefined;
  bindPassword?: string | undefined;
};

/**
 * Creates or replaces a provider (docs/architecture.md#identity). A secret value in the request goes to the secret store
 * under the provider's name and only its reference is stored; the value is never returned or logged.
 */
/** A saved provider, and whether the request set its secret (for the audit entry the HTTP layer writes). */
export interface SavedIdentityProvider {
  provider: IdentityProvider;
  secretChanged: boolean;
}

/**
 * Creates or replaces a provider (and writes its secret first, when the request carries one). The audit entry
 * is the HTTP layer's: the route returns what to record.
 */
export async function saveIdentityProvider(
  principal: Principal,
  draft: IdentityProviderDraft,
  mode: 'create' | 'replace',
  deps: IdentityProviderAdminDeps,
): Promise<SavedIdentityProvider> {
  const now = deps.clock.now().toISOString();
  const existing = mode === 'replace' ? await getIdentityProvider(principal, draft.id, deps) : undefined;
  if (existing && existing.type !== draft.type)
    throw new AppError('conflict', 'The type of a provider cannot change; delete it and create a new one');
  const { clientSecret, bindPassword, ...rest } = draft;
  const candidate: Record<string, unknown> = { ...rest, schemaVersion: 1, createdAt: existing?.createdAt ?? now, updatedAt: now };
  // Keep the stored secret when a replace sends none: the API never returns it, so clients cannot echo it.
  if (draft.type === 'oidc') {
    if (!candidate.clientSecretRef && existing?.type === 'oidc' && existing.clientSecretRef)
      candidate.clientSecretRef = existing.clientSecretRef;
    if (!candidate.redirectUri && deps.apiBaseUrl)
      candidate.redirectUri = `${deps.apiBaseUrl.replace(/\/$/, '')}/v1/auth/oidc/${draft.id}/callback`;
  }
  if (draft.type === 'ldap' && !candidate.bindPasswordRef && existing?.type === 'ldap')
    candidate.bindPasswordRef = existing.bindPasswordRef;
  const secretValue = draft.type === 'oidc' ? clientSecret : draft.type === 'ldap' ? bindPassword : undefined;
  if (secretValue !== undefined) {
    candidate[draft.type === 'oidc' ? 'clientSecretRef' : 'bindPasswordRef'] = 'pending';
  }
  const parsed = identityProviderSchema.safeParse(candidate);
  if (!parsed.success) {
    throw validationFailed(
      parsed.error.issues.map((issue) => ({ field: ['body', ...issue.path.map(String)].join('.'), message: issue.message })),
    );
  }
  const problems = transportProblems(parsed.data, deps.allowInsecure);
  if (problems.length > 0)
    throw validationFailed(problems.map((message) => ({ field: parsed.data.type === 'ldap' ? 'body.url' : 'body.issuer', message })));
  // Reach first (403/404, audited), then consistency (400): an org admin's attempt at another org is a denial.
  await assertGrantable(principal, parsed.data, deps);
  const scope = scopeIssues(parsed.data);
  if (scope.length > 0) throw validationFailed(scope);
  assertAcceptsOwnSignIns(parsed.data, await deps.providers.list(), deps.reservedIssuers);
  let provider = parsed.data;
  if (secretValue !== undefined) {
    const ref = await deps.secrets.put(`idp/${provider.id}`, secretValue);
    provider =
      provider.type === 'oidc'
        ? { ...provider, clientSecretRef: ref }
        : provider.type === 'ldap'
          ? { ...provider, bindPasswordRef: ref }
          : provider;
  }
  await deps.providers.put(provider, { expectNew: mode === 'create' });
  return { provider, secretChanged: secretValue !== undefined };
}

export async function deleteIdentityProvider(principal: Principal, id: string, deps: IdentityProviderAdminDeps): Promise<void> {
  await getIdentityProvider(principal, id, deps);
  if (!(await deps.providers.delete(id))) throw notFound('Identity provider');
}

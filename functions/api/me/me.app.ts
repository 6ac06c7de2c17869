import { toApiKeyView } from '#contracts/api-keys.contract';
import { toMyNotificationsView } from '#contracts/personal-notifications.contract';
import { effectivePermissions } from '#domain/authz/policy';
import { notFound } from '#domain/errors/app-error';
import { createApiKey, revokeApiKey, type ApiKeyDeps } from '#domain/identity/api-key.service';
import type { UserRepository } from '#domain/identity/identity.port';
import type { PersonalSubscriptionRepository } from '#domain/notifications/notifications.port';
import { getMyNotifications, setMyNotifications } from '#domain/notifications/personal-subscriptions.service';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { meRoutes } from './me.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoApiKeyRepository } from '#adapters/dynamodb/dynamo-api-key.repository';
import { DynamoPersonalSubscriptionRepository } from '#adapters/dynamodb/dynamo-personal-subscription.repository';
import { DynamoUserRepository } from '#adapters/dynamodb/dynamo-user.repository';
import type { MeEnv } from './me.env';

export interface MeDeps extends ApiKeyDeps {
  users: UserRepository;
  subscriptions: Pick<PersonalSubscriptionRepository, 'get' | 'put'>;
}

/** `/v1/me`, the caller's API keys and their personal email notifications. */
export function createMeHandler(deps: MeDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    meRoutes,
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
        return {
          status: 201,
          body: { ...toApiKeyView(record, deps.clock.now()), key },
          audit: {
            action: 'api_key.create',
            target: `api-key/${record.id}`,
            details: { scopes: record.scopes, expiresAt: record.expiresAt },
          },
        };
      },
      listApiKeys: async ({ principal }) => {
        const now = deps.clock.now();
        // toApiKeyView lists every field explicitly: nothing stored (the key hash above all) can leak.
        const body = { items: (await deps.apiKeys.listByOwner(principal.userId)).map((r) => toApiKeyView(r, now)) };
        return { status: 200, body };
      },
      revokeApiKey: async ({ principal, params }) => {
        // Idempotent: revoking a revoked key answers 204 again, and the first revocation's entry stands alone.
        const changed = await revokeApiKey(principal, params.id, deps);
        return { status: 204, audit: changed ? { action: 'api_key.revoke', target: `api-key/${params.id}` } : { unchanged: true } };
      },
      getMyNotifications: async ({ principal }) => ({
        status: 200,
        body: toMyNotificationsView(await getMyNotifications(principal, deps)),
      }),
      replaceMyNotifications: async ({ principal, body }) => {
        const view = await setMyNotifications(principal, body, deps);
        return {
          status: 200,
          body: toMyNotificationsView(view),
          // What was chosen; never the address (it is the user's record's, and not this route's to change).
          audit: {
            action: 'notifications.personal.replace',
            target: `user/${principal.userId}`,
            details: { jobEvents: view.subscription.jobEvents, approvals: view.subscription.approvals },
          },
        };
      },
    },
    options,
  );
}

/** The me function (`/v1/me`, API keys, personal notifications: DynamoDB only), as Lambda, the local stack and the tests build it. */
export function composeMe(env: MeEnv, runtime: ApiRuntime) {
  const { options, clock, ids } = composeApiAccess(env, runtime);
  return createMeHandler(
    {
      users: new DynamoUserRepository(runtime.doc, env.QM_TABLE_NAME),
      apiKeys: new DynamoApiKeyRepository(runtime.doc, env.QM_TABLE_NAME),
      subscriptions: new DynamoPersonalSubscriptionRepository(runtime.doc, env.QM_TABLE_NAME),
      clock,
      ids,
    },
    options,
  );
}

import * as z from 'zod/mini';
import { levelSchema } from '#domain/authz/permissions';

/**
 * Identity providers configured at run time (docs/architecture.md#identity). Secrets never live here: a provider names the
 * secret that holds its client secret or bind password (a Secrets Manager name or ARN, or a local-stack
 * reference), and only the `SecretStore` port ever reads the value.
 */

/** Slug used in URLs (`/v1/auth/oidc/{provider}/login`) and in external-identity keys. */
export const providerIdSchema = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case letters, digits and dashes, 2-40 characters, starting with a letter'));

/** Where a secret lives: `arn:aws:secretsmanager:…`, a Secrets Manager name, `env:NAME` or `file:NAME` (local stack). */
export const secretRefSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(2048), z.regex(/^[A-Za-z0-9/_+=.@:-]+$/, 'a Secrets Manager name or ARN'));

/**
 * One mapping rule: a claim value (OIDC/Cognito) or a group DN (LDAP) grants a level, an org and teams. The
 * highest level among matching rules wins; teams add up; the org comes from the first matching rule that
 * names one (rules are ordered), else from the provider's default org. The org places a user provisioned
 * just in time; an existing user is never moved: a mapping naming another org refuses the sign-in.
 */
export const groupMappingSchema = z.object({
  /** Exact value (OIDC group/role name, LDAP group DN; DNs are compared case-insensitively). */
  group: z.string().check(z.minLength(1), z.maxLength(1024)),
  level: z.optional(levelSchema),
  orgId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  teamIds: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(50)), []),
  /**
   * Clusters (and namespaces there, globs; default all) the group's members may use: allow rules of type
   * `cluster` and `namespace` for the mapping's org, synced at sign-in. Only clusters that org may use can be
   * named (a foreign or missing cluster: 404 naming the field). Absent: none.
   */
  clusterAccess: z.optional(
    z
      .array(
        z.object({
          cluster: z.string().check(z.regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, 'a cluster id')),
          namespaces: z._default(
            z
              .array(z.string().check(z.regex(/^[a-z0-9*?]([-a-z0-9*?]{0,62})$/, 'a namespace name or glob')))
              .check(z.minLength(1), z.maxLength(20)),
            ['*'],
          ),
        }),
      )
      .check(z.maxLength(20)),
  ),
  /** Cross-org platform administration: only through an explicit mapping, never by default. */
  platformAdmin: z._default(z.boolean(), false),
});
export type GroupMapping = z.infer<typeof groupMappingSchema>;

const commonFields = {
  schemaVersion: z._default(z.literal(1), 1),
  id: providerIdSchema,
  displayName: z.string().check(z.minLength(1), z.maxLength(100)),
  enabled: z._default(z.boolean(), true),
  /**
   * Who the provider belongs to (docs/permissions.md#tenancy). `org`: the org `defaultOrgId`, whose admins manage it; every
   * mapping targets that org and none grants `platformAdmin` (enforced when saved and again at every login).
   * `deployment`: may map into any org and grant `platformAdmin`; platform admins only. Stored providers
   * without the field are org-scoped: the narrow reading is the safe one.
   */
  scope: z._default(z.enum(['org', 'deployment']), 'org'),
  /** Create the user at first login (just-in-time). Off: only users an admin linked may sign in. */
  jitProvisioning: z._default(z.boolean(), false),
  /** Org and level of users no mapping places; without a default level, an unmapped user is refused. */
  defaultOrgId: z.string().check(z.minLength(1), z.maxLength(128)),
  defaultLevel: z.optional(levelSchema),
  groupMappings: z._default(z.array(groupMappingSchema).check(z.maxLength(200)), []),
  createdAt: z.optional(z.string()),
  updatedAt: z.optional(z.string()),
};

/** Dotted claim path, e.g. `groups`, `realm_access.roles`, `cognito:groups`. */
const claimPathSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(200), z.regex(/^[A-Za-z0-9_:/.-]+$/, 'a dotted claim path such as realm_access.roles'));

export const oidcProviderSchema = z.object({
  ...commonFields,
  type: z.literal('oidc'),
  /** Issuer URL exactly as in the provider's discovery document (trailing slashes matter). */
  issuer: z.url(),
  clientId: z.string().check(z.minLength(1), z.maxLength(256)),
  /** Confidential clients only (server-side login); the SPA flow needs none. */
  clientSecretRef: z.optional(secretRefSchema),
  scopes: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(30)), ['openid', 'email', 'profile']),
  /** Expected `aud` of access tokens (the API identifier / resource indicator); default: the client id. */
  audience: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  /** Other client ids whose access tokens this API accepts (`client_id` / `azp` claim), e.g. the SPA's. */
  allowedClientIds: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(256))).check(z.maxLength(20)), []),
  /**
   * How an access token is told from an ID token: `rfc9068` requires the `at+jwt` header type; `claim`
   * requires `token_use: access` (Cognito style); `any` accepts any JWT that is not recognisably an ID token.
   */
  accessTokenCheck: z._default(z.enum(['rfc9068', 'claim', 'any']), 'rfc9068'),
  /** Overrides the discovery document's `jwks_uri` (rarely needed). */
  jwksUri: z.optional(z.url()),
  groupsClaim: z._default(claimPathSchema, 'groups'),
  emailClaim: z._default(claimPathSchema, 'email'),
  nameClaim: z._default(claimPathSchema, 'name'),
  /** Server-side login: where the provider sends the browser back (our `/callback` URL). */
  redirectUri: z.optional(z.url()),
});

export const cognitoProviderSchema = z.object({
  ...commonFields,
  type: z.literal('cognito'),
  userPoolId: z.string().check(z.regex(/^[a-z]{2}-[a-z]+-\d_[A-Za-z0-9]+$/, 'a Cognito user pool id such as eu-west-1_AbC123')),
  /** App clients whose access tokens are accepted (the SPA client). */
  clientIds: z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.minLength(1), z.maxLength(20)),
  groupsClaim: z._default(claimPathSchema, 'cognito:groups'),
});

export const ldapProviderSchema = z.object({
  ...commonFields,
  type: z.literal('ldap'),
  /** `ldaps://…`, or `ldap://…` with `startTls` (plain LDAP only in the local stack). */
  url: z.string().check(z.regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'ldap://host:port or ldaps://host:port')),
  startTls: z._default(z.boolean(), false),
  baseDn: z.string().check(z.minLength(1), z.maxLength(1024)),
  bindDn: z.string().check(z.minLength(1), z.maxLength(1024)),
  bindPasswordRef: secretRefSchema,
  /** Search filter with one `{username}` placeholder, e.g. `(uid={username})` or `(sAMAccountName={username})`. */
  userFilter: z.string().check(
    z.minLength(3),
    z.maxLength(512),
    z.refine((filter) => filter.split('{username}').length === 2, 'must contain {username} exactly once'),
  ),
  /** The attribute the username must equal exactly (checked after the search). */
  usernameAttribute: z._default(z.string().check(z.minLength(1), z.maxLength(64)), 'uid'),
  emailAttribute: z._default(z.string().check(z.minLength(1), z.maxLength(64)), 'mail'),
  nameAttribute: z._default(z.string().check(z.minLength(1), z.maxLength(64)), 'cn'),
  /** `memberOf` reads the user entry's attribute; `search` looks for groups with `member={dn}`. */
  groupSource: z._default(z.enum(['memberOf', 'search']), 'memberOf'),
  groupBaseDn: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const identityProviderSchema = z.discriminatedUnion('type', [oidcProviderSchema, cognitoProviderSchema, ldapProviderSchema]);
export type IdentityProvider = z.infer<typeof identityProviderSchema>;
export type OidcProvider = z.infer<typeof oidcProviderSchema>;
export type CognitoProvider = z.infer<typeof cognitoProviderSchema>;
export type LdapProvider = z.infer<typeof ldapProviderSchema>;
export type TokenProvider = OidcProvider | CognitoProvider;

/**
 * Transport rules checked at save time: OIDC issuers over https, LDAP over TLS. `allowInsecure` is the
 * local stack's flag (its slapd listens on plain loopback LDAP); deployed functions never set it.
 */
export function transportProblems(provider: IdentityProvider, allowInsecure: boolean): string[] {
  if (allowInsecure) return [];
  if (provider.type === 'oidc' && !provider.issuer.startsWith('https://')) return ['issuer must be https'];
  if (provider.type === 'ldap' && !provider.url.startsWith('ldaps://') && !provider.startTls) {
    return ['url must be ldaps:// or use startTls'];
  }
  return [];
}

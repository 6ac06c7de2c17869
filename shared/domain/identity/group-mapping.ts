import { LEVELS, type Level } from '#domain/authz/permissions';
import type { ResourceGrant } from '#domain/authz/resource-grant';
import type { GroupMapping, IdentityProvider } from './identity-provider.schema';

/** What a provider says about a user at login: who (subject) and which groups, in its own terms. */
export interface ExternalProfile {
  providerId: string;
  /** `issuer#sub` for OIDC/Cognito, the entry's DN for LDAP: stable for the life of the account. */
  subject: string;
  email?: string | undefined;
  displayName?: string | undefined;
  groups: readonly string[];
}

export interface MappedAccess {
  orgId: string;
  level: Level;
  teamIds: string[];
  platformAdmin: boolean;
  /** Clusters and namespaces the matching mappings grant (sorted, no duplicates). */
  resourceGrants: ResourceGrant[];
}

/** The grants of the matching mappings: `cluster <id>` and `namespace <id>/<glob>` for each cluster entry. */
function grantsOf(mappings: readonly GroupMapping[]): ResourceGrant[] {
  const keys = new Set<string>();
  for (const { cluster, namespaces } of mappings.flatMap((mapping) => mapping.clusterAccess ?? [])) {
    keys.add(`cluster ${cluster}`);
    for (const namespace of namespaces) keys.add(`namespace ${cluster}/${namespace}`);
  }
  return [...keys].sort().map((key) => {
    const [type, pattern] = key.split(' ') as ['cluster' | 'namespace', string];
    return { type, pattern };
  });
}

const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Reads a dotted claim path (`realm_access.roles`) from verified claims. Only own properties are
 * followed, so a crafted claim can never reach `Object.prototype`. A claim name that itself contains dots
 * or colons (`cognito:groups`, `https://example.com/roles`) is tried whole first.
 */
export function claimAt(claims: unknown, path: string): unknown {
  if (typeof claims !== 'object' || claims === null) return undefined;
  const record = claims as Record<string, unknown>;
  if (Object.hasOwn(record, path) && !FORBIDDEN_SEGMENTS.has(path)) return record[path];
  let current: unknown = claims;
  for (const segment of path.split('.')) {
    if (FORBIDDEN_SEGMENTS.has(segment)) return undefined;
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Group names from a claim that is a string array, a single string, or a space/comma separated list. */
export function groupsFromClaim(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return list.filter((item): item is string => typeof item === 'string' && item.length > 0 && item.length <= 1024).slice(0, 500);
}

/** LDAP DNs compare case-insensitively and without spaces after commas; claim values compare exactly. */
function sameGroup(provider: IdentityProvider, a: string, b: string): boolean {
  if (provider.type !== 'ldap') return a === b;
  const normalize = (dn: string) =>
    dn
      .replace(/\s*,\s*/g, ',')
      .trim()
      .toLowerCase();
  return normalize(a) === normalize(b);
}

/**
 * Applies the provider's group → role mapping (docs/architecture.md#identity). Returns `undefined` when no rule places the
 * user and the provider has no default level: such a user may not sign in.
 */
export function mapGroups(provider: IdentityProvider, groups: readonly string[]): MappedAccess | undefined {
  const matching: GroupMapping[] = provider.groupMappings.filter((mapping) =>
    groups.some((group) => sameGroup(provider, group, mapping.group)),
  );
  const levels = matching.map((mapping) => mapping.level).filter((level): level is Level => level !== undefined);
  const level = levels.length > 0 ? levels.reduce((best, next) => (LEVELS[next] > LEVELS[best] ? next : best)) : provider.defaultLevel;
  if (!level) return undefined;
  const orgId = matching.find((mapping) => mapping.orgId)?.orgId ?? provider.defaultOrgId;
  const teamIds = [...new Set(matching.flatMap((mapping) => mapping.teamIds))].sort();
  return { orgId, level, teamIds, platformAdmin: matching.some((mapping) => mapping.platformAdmin), resourceGrants: grantsOf(matching) };
}

import type { Job } from '../../domain/jobs/job.schema';
import { isTerminal } from '../../domain/jobs/job.schema';

/**
 * Every key of the single table is built here, and only here (STYLE §7). Entities:
 *   job            JOB#<id>               / JOB
 *   idempotency    IDEMPOTENCY#<owner>#<key> / IDEMPOTENCY
 *   counter        COUNTER#<counter id>   / COUNTER
 *   daily usage    USAGE#<scope>#<id>     / DAY#<yyyy-mm-dd>   (counter ids `usage-day:<scope>:<id>:<day>`)
 *   quota          ORG#<orgId>#QUOTAS     / QUOTA#<id>
 *   user           USER#<id>              / PROFILE
 *   org            ORG#<id>               / ORG
 *   team           ORG#<orgId>            / TEAM#<teamId>
 *   hardware type  CATALOG#HARDWARE       / HW#<id>
 *   settings       SETTINGS               / LIMITS
 *   identity provider  IDP                 / IDP#<id>
 *   external identity  IDENTITY#<provider>#<sha256(subject)> / IDENTITY
 *   bootstrap admin    SETTINGS            / BOOTSTRAP_ADMIN
 *   API key            APIKEY#<sha256(key)> / APIKEY        (gsi1: USER#<owner>#APIKEYS / <createdAt>#<id>)
 *   refresh token      SESSION#<sha256(token)> / REFRESH
 *   OIDC login state   OAUTHSTATE#<sha256(state)> / STATE  (10-minute TTL)
 *   org (listing)      gsi1: ORGS / <orgId>
 *   user (listing)     gsi1: ORG#<orgId>#USERS / <userId>
 *   custom level       ORG#<orgId>#LEVELS    / LEVEL#<name>
 *   resource rule      ORG#<orgId>#RULES     / RULE#<id>
 *   job template       ORG#<orgId>#TEMPLATES / TEMPLATE#<name>
 *   audit chain head   AUDIT#<orgId>         / HEAD
 *   audit entry        AUDIT#<orgId>         / ENTRY#<seq, 12 digits>   (TTL: retention)
 */
export const keys = {
  job: (id: string) => ({ pk: `JOB#${id}`, sk: 'JOB' }),
  idempotency: (ownerId: string, key: string) => ({ pk: `IDEMPOTENCY#${ownerId}#${key}`, sk: 'IDEMPOTENCY' }),
  /** Daily usage records share a partition per scope, so a date range is one Query. */
  counter: (counter: string) => {
    const usage = /^usage-day:([a-z]+):(.+):(\d{4}-\d{2}-\d{2})$/.exec(counter);
    return usage ? { pk: `USAGE#${usage[1]}#${usage[2]}`, sk: `DAY#${usage[3]}` } : { pk: `COUNTER#${counter}`, sk: 'COUNTER' };
  },
  usagePartition: (scopeType: string, scopeId: string) => `USAGE#${scopeType}#${scopeId}`,
  quota: (orgId: string, id: string) => ({ pk: `ORG#${orgId}#QUOTAS`, sk: `QUOTA#${id}` }),
  quotaPartition: (orgId: string) => `ORG#${orgId}#QUOTAS`,
  user: (id: string) => ({ pk: `USER#${id}`, sk: 'PROFILE' }),
  org: (id: string) => ({ pk: `ORG#${id}`, sk: 'ORG' }),
  team: (orgId: string, teamId: string) => ({ pk: `ORG#${orgId}`, sk: `TEAM#${teamId}` }),
  hardwareType: (id: string) => ({ pk: 'CATALOG#HARDWARE', sk: `HW#${id}` }),
  hardwarePartition: () => 'CATALOG#HARDWARE',
  limits: () => ({ pk: 'SETTINGS', sk: 'LIMITS' }),
  identityProvider: (id: string) => ({ pk: 'IDP', sk: `IDP#${id}` }),
  identityProviderPartition: () => 'IDP',
  /** The subject (an issuer URL + sub, or a DN) is hashed: it can be long and holds characters keys should not. */
  externalIdentity: (providerId: string, subjectHash: string) => ({ pk: `IDENTITY#${providerId}#${subjectHash}`, sk: 'IDENTITY' }),
  bootstrapAdmin: () => ({ pk: 'SETTINGS', sk: 'BOOTSTRAP_ADMIN' }),
  apiKey: (keyHash: string) => ({ pk: `APIKEY#${keyHash}`, sk: 'APIKEY' }),
  /** gsi1: an owner's API keys, oldest first. */
  ownerApiKeysPartition: (ownerId: string) => `USER#${ownerId}#APIKEYS`,
  refreshToken: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: 'REFRESH' }),
  loginState: (stateHash: string) => ({ pk: `OAUTHSTATE#${stateHash}`, sk: 'STATE' }),
  /** gsi1: an owner's jobs, newest last in key order (queries read it backwards). */
  ownerJobsPartition: (ownerId: string) => `USER#${ownerId}#JOBS`,
  /** gsi2: non-terminal jobs by state, in scheduling order. */
  jobStatePartition: (state: Job['state']) => `JOBSTATE#${state}`,
  /** Teams share their org's partition (`ORG#<orgId>`) under this sort-key prefix. */
  teamPrefix: () => 'TEAM#',
  orgPartition: (orgId: string) => `ORG#${orgId}`,
  /** gsi1: every org, by id. */
  orgsIndexPartition: () => 'ORGS',
  /** gsi1: an org's users, by id. */
  orgUsersPartition: (orgId: string) => `ORG#${orgId}#USERS`,
  customLevel: (orgId: string, name: string) => ({ pk: `ORG#${orgId}#LEVELS`, sk: `LEVEL#${name}` }),
  customLevelPartition: (orgId: string) => `ORG#${orgId}#LEVELS`,
  resourceRule: (orgId: string, id: string) => ({ pk: `ORG#${orgId}#RULES`, sk: `RULE#${id}` }),
  resourceRulePartition: (orgId: string) => `ORG#${orgId}#RULES`,
  template: (orgId: string, name: string) => ({ pk: `ORG#${orgId}#TEMPLATES`, sk: `TEMPLATE#${name}` }),
  templatePartition: (orgId: string) => `ORG#${orgId}#TEMPLATES`,
  auditHead: (orgId: string) => ({ pk: `AUDIT#${orgId}`, sk: 'HEAD' }),
  /** Zero-padded so string order is sequence order. */
  auditEntry: (orgId: string, seq: number) => ({ pk: `AUDIT#${orgId}`, sk: `ENTRY#${String(seq).padStart(12, '0')}` }),
  auditPartition: (orgId: string) => `AUDIT#${orgId}`,
  auditEntryPrefix: () => 'ENTRY#',
};

/** gsi1 attributes of an org item: every org is listed under one partition. */
export const orgIndexAttributes = (orgId: string): Record<string, string> => ({ gsi1pk: keys.orgsIndexPartition(), gsi1sk: orgId });

/**
 * gsi1 attributes of a user item (listing by org) and the lower-cased text `GET /v1/orgs/{id}/users?q=`
 * searches; every writer of user items adds them.
 */
export const userIndexAttributes = (user: { id: string; orgId: string; email: string; displayName: string }): Record<string, string> => ({
  gsi1pk: keys.orgUsersPartition(user.orgId),
  gsi1sk: user.id,
  searchText: `${user.id} ${user.email} ${user.displayName}`.toLowerCase(),
});

/** Higher priority class sorts first: store the complement, zero-padded, so string order is numeric order. */
const schedulingKey = (job: Job): string =>
  `${String(9999 - Math.min(job.priorityClass, 9999)).padStart(4, '0')}#${job.createdAt}#${job.id}`;

/** The index attributes a job item carries; terminal jobs leave the sparse state index. */
export function jobIndexAttributes(job: Job): Record<string, string> {
  const attributes: Record<string, string> = {
    gsi1pk: keys.ownerJobsPartition(job.ownerId),
    gsi1sk: `${job.createdAt}#${job.id}`,
  };
  if (!isTerminal(job.state)) {
    attributes.gsi2pk = keys.jobStatePartition(job.state);
    attributes.gsi2sk = schedulingKey(job);
  }
  return attributes;
}

/** Attributes that belong to the table, not to the entity: stripped before validating what we read. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'searchText'] as const;

export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete rest[attribute];
  return rest;
}

import type { Job } from '#domain/jobs/job.schema';
import { scopeKey, type ScopeRef } from '#domain/quotas/counters';

/**
 * Every key of the single table is built here, and only here (one place for every key). Import the module as a namespace
 * (`import * as keys from './table-keys'`): esbuild then bundles only the builders a function uses. Entities:
 *   job            JOB#<id>               / JOB      (gsi1: ORG#<org>#USER#<owner>#JOBS / <createdAt>#<id>)
 *   idempotency    IDEMPOTENCY#<owner>#<key> / IDEMPOTENCY
 *   counter        COUNTER#<counter id>   / COUNTER   (ids name the org: `concurrent_jobs:ORG#<org>#TEAM#<team>`)
 *   daily usage    USAGE#<scope key>      / DAY#<yyyy-mm-dd>   (counter ids `usage-day:<scope key>:<day>`)
 *   quota          ORG#<orgId>#QUOTAS     / QUOTA#<id>
 *   fair share     COUNTER#fairshare:ORG#<org>#TEAM#<team> (or #USER#<user>) / COUNTER   (d<yyyy-mm-dd> = GPU-hours)
 *   scheduling     ORG#<orgId>#SCHEDULING / SETTINGS    (half-life, team weights, aging, pause)
 *   user           USER#<id>              / PROFILE
 *   org            ORG#<id>               / ORG
 *   team           ORG#<orgId>            / TEAM#<teamId>
 *   hardware type  CATALOG#HARDWARE       / HW#<id>
 *   GPU fleet      CATALOG#FLEET          / FLEET#<name>   (written at deploy from the stage config)
 *   cluster        CLUSTERS               / CLUSTER#<id>   (deployment-wide registered Kubernetes clusters)
 *   settings       SETTINGS               / LIMITS
 *   identity provider  IDP                 / IDP#<id>
 *   external identity  IDENTITY#<provider>#<sha256(subject)> / IDENTITY
 *   bootstrap admin    SETTINGS            / BOOTSTRAP_ADMIN
 *   data migration     SETTINGS            / MIGRATION#<id>   (done marker of scripts/migrate)
 *   API key            APIKEY#<sha256(key)> / APIKEY        (gsi1: USER#<owner>#APIKEYS / <createdAt>#<id>)
 *   refresh token      SESSION#<sha256(token)> / REFRESH   (kept, marked used, until its TTL)
 *   refresh family     SESSION#FAMILY#<familyId> / FAMILY  (revoked families; TTL: the family's last expiry)
 *   OIDC login state   OAUTHSTATE#<sha256(state)> / STATE  (10-minute TTL)
 *   sign-in failures   THROTTLE#<sha256(account or source key)> / THROTTLE  (TTL: one window after the latest)
 *   org (listing)      gsi1: ORGS / <orgId>
 *   user (listing)     gsi1: ORG#<orgId>#USERS / <userId>
 *   custom level       ORG#<orgId>#LEVELS    / LEVEL#<name>
 *   resource rule      ORG#<orgId>#RULES     / RULE#<id>
 *   job template       ORG#<orgId>#TEMPLATES / TEMPLATE#<name>
 *   notification chan. ORG#<orgId>#NOTIFICATION_CHANNELS / CHANNEL#<id>
 *   delivery record    ORG#<orgId>#NOTIFICATION_DELIVERIES#<channelId> / DELIVERY#<eventId>   (personal email: channel id `user:<userId>`)
 *   personal subscr.   ORG#<orgId>#PERSONAL_NOTIFICATIONS / USER#<userId>
 *   audit chain head   AUDIT#<orgId>         / HEAD
 *   audit entry        AUDIT#<orgId>         / ENTRY#<seq, 12 digits>   (TTL: retention)
 *   approval rule      ORG#<orgId>#APPROVAL_RULES / RULE#<id>   (platform rules: PLATFORM#APPROVAL_RULES / RULE#<id>)
 *   approval request   ORG#<orgId>#APPROVALS / APPROVAL#<id>     (gsi1 while pending: ORG#<orgId>#APPROVALS#PENDING / <createdAt>#<id>; TTL once closed)
 *   used approval link ORG#<orgId>#APPROVAL_LINKS / USED#<sha256(nonce)>   (TTL: the link's expiry)
 *   outbox event       OUTBOX#<eventId>      / EVENT   (written with the state change it announces; TTL 1 day)
 *
 * Keys that name a team or a user name its org too (`ORG#<org>#TEAM#<team>`, `ORG#<org>#USER#<user>`): team
 * slugs are unique per org only. Data written before this scheme is moved by
 * `scripts/migrate/org-scoped-keys.ts` (the local stack runs it at start; docs/quotas.md, "Keys name the org").
 */
export const job = (id: string) => ({ pk: `JOB#${id}`, sk: 'JOB' });
export const idempotency = (ownerId: string, key: string) => ({ pk: `IDEMPOTENCY#${ownerId}#${key}`, sk: 'IDEMPOTENCY' });
/** Daily usage records share a partition per scope, so a date range is one Query. */
export const counter = (id: string) => {
  const usage = /^usage-day:(ORG#.+):(\d{4}-\d{2}-\d{2})$/.exec(id);
  return usage ? { pk: `USAGE#${usage[1]}`, sk: `DAY#${usage[2]}` } : { pk: `COUNTER#${id}`, sk: 'COUNTER' };
};
export const usagePartition = (scope: ScopeRef) => `USAGE#${scopeKey(scope)}`;
export const quota = (orgId: string, id: string) => ({ pk: `ORG#${orgId}#QUOTAS`, sk: `QUOTA#${id}` });
export const schedulingSettings = (orgId: string) => ({ pk: `ORG#${orgId}#SCHEDULING`, sk: 'SETTINGS' });
export const quotaPartition = (orgId: string) => `ORG#${orgId}#QUOTAS`;
export const user = (id: string) => ({ pk: `USER#${id}`, sk: 'PROFILE' });
export const org = (id: string) => ({ pk: `ORG#${id}`, sk: 'ORG' });
export const team = (orgId: string, teamId: string) => ({ pk: `ORG#${orgId}`, sk: `TEAM#${teamId}` });
export const hardwareType = (id: string) => ({ pk: 'CATALOG#HARDWARE', sk: `HW#${id}` });
export const hardwarePartition = () => 'CATALOG#HARDWARE';
export const fleet = (name: string) => ({ pk: 'CATALOG#FLEET', sk: `FLEET#${name}` });
export const fleetPartition = () => 'CATALOG#FLEET';
export const cluster = (id: string) => ({ pk: 'CLUSTERS', sk: `CLUSTER#${id}` });
/** Every registered cluster shares one partition: a listing is one Query. */
export const clusterPartition = () => 'CLUSTERS';
export const limits = () => ({ pk: 'SETTINGS', sk: 'LIMITS' });
export const identityProvider = (id: string) => ({ pk: 'IDP', sk: `IDP#${id}` });
export const identityProviderPartition = () => 'IDP';
/** The subject (an issuer URL + sub, or a DN) is hashed: it can be long and holds characters keys should not. */
export const externalIdentity = (providerId: string, subjectHash: string) => ({
  pk: `IDENTITY#${providerId}#${subjectHash}`,
  sk: 'IDENTITY',
});
export const bootstrapAdmin = () => ({ pk: 'SETTINGS', sk: 'BOOTSTRAP_ADMIN' });
export const migration = (id: string) => ({ pk: 'SETTINGS', sk: `MIGRATION#${id}` });
export const apiKey = (keyHash: string) => ({ pk: `APIKEY#${keyHash}`, sk: 'APIKEY' });
/** gsi1: an owner's API keys, oldest first. */
export const ownerApiKeysPartition = (ownerId: string) => `USER#${ownerId}#APIKEYS`;
export const refreshToken = (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: 'REFRESH' });
export const signInThrottle = (keyHash: string) => ({ pk: `THROTTLE#${keyHash}`, sk: 'THROTTLE' });
/** Under `SESSION#` so the sessions function's partition grant covers it; token hashes are hex, never `FAMILY#…`. */
export const refreshFamily = (familyId: string) => ({ pk: `SESSION#FAMILY#${familyId}`, sk: 'FAMILY' });
export const loginState = (stateHash: string) => ({ pk: `OAUTHSTATE#${stateHash}`, sk: 'STATE' });
/** gsi1: an owner's jobs in their org, newest last in key order (queries read it backwards). */
export const ownerJobsPartition = (orgId: string, ownerId: string) => `ORG#${orgId}#USER#${ownerId}#JOBS`;
/**
 * gsi2: non-terminal jobs by state, in scheduling order, spread over JOB_STATE_SHARDS partitions by a hash of
 * the job id (`JOBSTATE#<state>#<shard>`), so no single index partition takes every submission and
 * admission of the deployment; readers query the shards in parallel and merge (docs/scheduling.md).
 */
export const JOB_STATE_SHARDS = 4;
export const jobStatePartition = (state: Job['state'], shard: number) => `JOBSTATE#${state}#${shard}`;
export function jobStateShard(jobId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i += 1) hash = Math.imul(hash ^ jobId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % JOB_STATE_SHARDS;
}
/** The one partition per state written before the shards (scripts/migrate/job-state-shards.ts moves it). */
export const legacyJobStatePartition = (state: Job['state']) => `JOBSTATE#${state}`;
/** Teams share their org's partition (`ORG#<orgId>`) under this sort-key prefix. */
export const teamPrefix = () => 'TEAM#';
export const orgPartition = (orgId: string) => `ORG#${orgId}`;
/** gsi1: every org, by id. */
export const orgsIndexPartition = () => 'ORGS';
/** gsi1: an org's users, by id. */
export const orgUsersPartition = (orgId: string) => `ORG#${orgId}#USERS`;
export const customLevel = (orgId: string, name: string) => ({ pk: `ORG#${orgId}#LEVELS`, sk: `LEVEL#${name}` });
export const customLevelPartition = (orgId: string) => `ORG#${orgId}#LEVELS`;
export const resourceRule = (orgId: string, id: string) => ({ pk: `ORG#${orgId}#RULES`, sk: `RULE#${id}` });
export const resourceRulePartition = (orgId: string) => `ORG#${orgId}#RULES`;
export const template = (orgId: string, name: string) => ({ pk: `ORG#${orgId}#TEMPLATES`, sk: `TEMPLATE#${name}` });
export const templatePartition = (orgId: string) => `ORG#${orgId}#TEMPLATES`;
export const notificationChannel = (orgId: string, id: string) => ({ pk: notificationChannelPartition(orgId), sk: `CHANNEL#${id}` });
export const notificationChannelPartition = (orgId: string) => `ORG#${orgId}#NOTIFICATION_CHANNELS`;
/** One partition per channel, sorted by event id (ULIDs: time order), so a channel's log is one query. */
export const notificationDelivery = (orgId: string, eventId: string, channelId: string) => ({
  pk: notificationDeliveryPartition(orgId, channelId),
  sk: `DELIVERY#${eventId}`,
});
export const notificationDeliveryPartition = (orgId: string, channelId: string) => `ORG#${orgId}#NOTIFICATION_DELIVERIES#${channelId}`;
/** One partition per org: the notifier reads an org's approval subscribers with one Query. */
export const personalSubscription = (orgId: string, userId: string) => ({ pk: personalSubscriptionPartition(orgId), sk: `USER#${userId}` });
export const personalSubscriptionPartition = (orgId: string) => `ORG#${orgId}#PERSONAL_NOTIFICATIONS`;
export const auditHead = (orgId: string) => ({ pk: `AUDIT#${orgId}`, sk: 'HEAD' });
/** Zero-padded so string order is sequence order. */
export const auditEntry = (orgId: string, seq: number) => ({ pk: `AUDIT#${orgId}`, sk: `ENTRY#${String(seq).padStart(12, '0')}` });
export const auditPartition = (orgId: string) => `AUDIT#${orgId}`;
export const auditEntryPrefix = () => 'ENTRY#';
export const approvalRule = (orgId: string, id: string) => ({ pk: approvalRulePartition(orgId), sk: `RULE#${id}` });
export const approvalRulePartition = (orgId: string) => `ORG#${orgId}#APPROVAL_RULES`;
/** Platform approval rules apply in every org: one partition, read beside the org's own. */
export const platformApprovalRule = (id: string) => ({ pk: platformApprovalRulePartition(), sk: `RULE#${id}` });
export const platformApprovalRulePartition = () => 'PLATFORM#APPROVAL_RULES';
export const approvalRequest = (orgId: string, id: string) => ({ pk: approvalPartition(orgId), sk: `APPROVAL#${id}` });
export const approvalPartition = (orgId: string) => `ORG#${orgId}#APPROVALS`;
/** gsi1: an org's pending approval requests, oldest first (sparse: closed requests leave it). */
export const pendingApprovalsPartition = (orgId: string) => `ORG#${orgId}#APPROVALS#PENDING`;
/** A used email approval link, by the hash of its nonce: the link itself is never stored. */
export const usedApprovalLink = (orgId: string, nonceHash: string) => ({ pk: `ORG#${orgId}#APPROVAL_LINKS`, sk: `USED#${nonceHash}` });
/**
 * A domain event waiting in the outbox: written in the transaction of the state change it announces, relayed
 * to the bus from the table's stream (the stream's filter admits only this prefix), then left to its TTL.
 * One partition per event: outbox writes never contend with each other.
 */
export const outboxEvent = (eventId: string) => ({ pk: `${OUTBOX_PREFIX}${eventId}`, sk: 'EVENT' });
export const OUTBOX_PREFIX = 'OUTBOX#';

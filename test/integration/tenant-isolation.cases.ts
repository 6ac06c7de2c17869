import type { CallInput } from '#test-support/authz-world';
import { ATTACKER, CALLERS, type Caller, type VictimObjects } from '#test-support/isolation-fixtures';

/**
 * The isolation cases of `tenant-isolation.int.test.ts`, one entry per route (by operationId). The suite walks
 * API_ROUTE_GROUPS and fails for any route that has no entry here: a new route must either say how org B's
 * admin tries it on org A's objects, or state why it takes no org-scoped id (`none`).
 *
 * An attempt is made by org B's admin. Unless it says otherwise it must answer 404; `expect: 403` where the
 * route's permission check refuses first (platform-only routes). Every path parameter must be given (a missing
 * one would make a trivial 404). After a 404 the same request is repeated by org A's admin (`control`), which
 * must succeed: that proves the attempt aimed at an object that exists. `expect: 2xx` marks the attacker acting
 * on their own org's object of the same name (the colliding team slug, a template name): it must succeed and
 * still leave org A untouched.
 */
export interface Attempt {
  what: string;
  input: (a: VictimObjects) => CallInput;
  expect?: number;
  /** Who repeats the request to prove the target exists; false when the request is not org A's to make. */
  control?: Caller | false;
}
export type Isolation = { attempts: readonly Attempt[] } | { none: string };

const period = { from: '2026-11-01', to: '2026-11-30' };
const jobBody = { name: 'iso', image: 'busybox', command: ['true'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 };
const providerBody = (id: string, orgId: string) => ({
  id,
  type: 'oidc',
  displayName: 'Captured',
  defaultOrgId: orgId,
  issuer: `https://${id}.capture.example.test`,
  clientId: 'qm',
});
const channelBody = { kind: 'email', name: 'iso', to: ['ops@globex.example'], subscriptions: [{ events: ['job.failed'] }] };
const PUBLIC_SIGN_IN =
  'public sign-in step: the caller is not yet anyone, so there is no org to cross; which org a sign-in lands in is the provider scope (docs/permissions.md, Identity providers)';

/** Attempts on a path that names org A's object by `param`, for every route of a kind. */
const byId = (what: string, params: (a: VictimObjects) => Record<string, string>, control: Caller = 'victimAdmin'): Attempt => ({
  what,
  input: (a) => ({ params: params(a) }),
  control,
});
const teamPath = (a: VictimObjects) => ({ orgId: a.org, teamId: a.team });

export const ISOLATION: Record<string, Isolation> = {
  // health and sign-in
  healthLive: { none: 'public liveness probe; reads nothing' },
  healthReady: { none: 'public readiness probe; reads one settings item' },
  healthDeep: { none: "lists only clusters the caller's org may use (as listClusters), by id and verdict; names no object" },
  oidcLogin: { none: PUBLIC_SIGN_IN },
  oidcCallback: { none: PUBLIC_SIGN_IN },
  ldapLogin: { none: PUBLIC_SIGN_IN },
  breakGlassLogin: { none: PUBLIC_SIGN_IN },
  refreshSession: { none: 'public: the refresh token is the only input and names its own user' },
  getJwks: { none: 'public key set of the session issuer; deployment-wide, no id' },

  // jobs
  submitJob: {
    attempts: [
      { what: "a template of org A's", input: (a) => ({ body: { name: 'iso', template: a.template } }) },
      { what: 'a cluster only org A may use', input: (a) => ({ body: { ...jobBody, cluster: a.cluster } }) },
      { what: "charging org A's team", input: (a) => ({ body: { ...jobBody, teamId: a.otherTeam } }), expect: 403 },
    ],
  },
  explainJob: {
    // The dry run explains a refusal instead of returning it: 200 with verdict `deny`, nothing written.
    attempts: [
      { what: "charging org A's team (verdict deny)", input: (a) => ({ body: { ...jobBody, teamId: a.otherTeam } }), expect: 200 },
      // A named cluster is an id like a template: another org's answers 404 naming body.cluster, as a missing one.
      { what: 'a cluster only org A may use', input: (a) => ({ body: { ...jobBody, cluster: a.cluster } }) },
    ],
  },
  listJobs: { none: "the caller's own jobs; the query names no object (a cursor is checked against the caller's partition)" },
  getJob: { attempts: [byId("org A's job", (a) => ({ id: a.job }))] },
  cancelJob: { attempts: [byId("org A's job", (a) => ({ id: a.job }))] },
  getJobLogs: { attempts: [byId("org A's job", (a) => ({ id: a.job }))] },

  // the hardware catalog and global limits: deployment-wide, changed by platform admins only
  listHardware: { none: 'deployment-wide catalog, read by every org' },
  getHardware: { none: 'deployment-wide catalog, read by every org' },
  putHardware: {
    attempts: [
      {
        what: 'the shared catalog',
        input: () => ({
          params: { id: 'cpu-small' },
          body: { gpuModel: 'x', gpuCount: 0, vcpu: 1, memoryMiB: 512, pricePerHourUsd: 0, enabled: false },
        }),
        expect: 403,
      },
    ],
  },
  disableHardware: { attempts: [{ what: 'the shared catalog', input: () => ({ params: { id: 'cpu-small' } }), expect: 403 }] },
  // registered clusters: deployment-wide, registered and changed by platform admins; an org sees those it may use
  listClusters: { none: "lists only clusters the caller's org may use, with that org's entry only; names no object" },
  registerCluster: {
    attempts: [
      {
        what: 'a cluster for org A',
        input: (a) => ({
          body: {
            id: 'iso-b-k8s',
            kind: 'generic',
            endpoint: 'https://10.0.0.1',
            caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
            orgs: [{ orgId: a.org, namespaces: ['x'] }],
          },
        }),
        expect: 403,
      },
    ],
  },
  getCluster: { attempts: [byId('a cluster only org A may use', (a) => ({ id: a.cluster }))] },
  getClusterHealth: { attempts: [byId('a cluster only org A may use', (a) => ({ id: a.cluster }))] },
  replaceCluster: {
    attempts: [
      {
        what: 'a cluster only org A may use',
        input: (a) => ({
          params: { id: a.cluster },
          body: { kind: 'generic', endpoint: 'https://10.0.0.1', caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' },
        }),
        expect: 403,
      },
    ],
  },
  disableCluster: { attempts: [{ what: 'a cluster only org A may use', input: (a) => ({ params: { id: a.cluster } }), expect: 403 }] },
  setClusterCredentials: {
    attempts: [
      {
        what: 'a cluster only org A may use',
        input: (a) => ({ params: { id: a.cluster }, body: { kind: 'token', token: 'captured' } }),
        expect: 403,
      },
    ],
  },
  getConcurrencyLimits: { none: 'deployment-wide limits, read by every org' },
  setConcurrencyLimits: {
    attempts: [{ what: 'the global limits', input: () => ({ body: { maxConcurrent: 1, userMaxConcurrent: 1 } }), expect: 403 }],
  },

  // quotas and usage
  listQuotas: { attempts: [{ what: "org A's quotas", input: (a) => ({ query: { orgId: a.org } }) }] },
  createQuota: {
    attempts: [
      {
        what: "org A's colliding team, naming org A",
        input: (a) => ({ query: { orgId: a.org }, body: { metric: 'concurrent_jobs', scopeType: 'team', scopeId: a.team, limit: 3 } }),
      },
      {
        what: "org A's id as an org scope",
        input: (a) => ({ body: { metric: 'concurrent_jobs', scopeType: 'org', scopeId: a.org, limit: 3 } }),
        control: false,
      },
      {
        what: 'a team only org A has',
        input: (a) => ({ body: { metric: 'concurrent_jobs', scopeType: 'team', scopeId: a.otherTeam, limit: 3 } }),
        control: false,
      },
      {
        what: "org A's user",
        input: (a) => ({ body: { metric: 'concurrent_jobs', scopeType: 'user', scopeId: a.user, limit: 3 } }),
        control: false,
      },
      {
        what: "org A's custom level",
        input: (a) => ({ body: { metric: 'concurrent_jobs', scopeType: 'level', scopeId: a.level, limit: 3 } }),
        control: false,
      },
      {
        what: 'its own team of the colliding slug (stored in org B only)',
        input: (a) => ({ body: { metric: 'daily_jobs', scopeType: 'team', scopeId: a.team, limit: 3 } }),
        expect: 201,
      },
    ],
  },
  updateQuota: {
    attempts: [
      { what: "org A's quota", input: (a) => ({ params: { id: a.quota }, body: { limit: 1 } }), control: false },
      { what: "org A's quota, naming org A", input: (a) => ({ params: { id: a.quota }, query: { orgId: a.org }, body: { limit: 1 } }) },
    ],
  },
  deleteQuota: {
    attempts: [
      { what: "org A's quota", input: (a) => ({ params: { id: a.quota } }), control: false },
      { what: "org A's quota, naming org A", input: (a) => ({ params: { id: a.quota }, query: { orgId: a.org } }) },
    ],
  },
  getCostLimitStatus: { none: "the caller's org's backend limits; takes no id" },
  getMyLimits: { none: "the caller's own limits; takes no id" },
  // the queue
  getQueue: {
    attempts: [
      { what: 'the queue of a team only org A has', input: (a) => ({ query: { scope: 'team', teamId: a.otherTeam } }) },
      { what: 'its own team of the colliding slug', input: (a) => ({ query: { scope: 'team', teamId: a.team } }), expect: 200 },
      { what: "its own org's queue (org A's queued job must not appear)", input: () => ({ query: { scope: 'org' } }), expect: 200 },
    ],
  },
  getSchedulingSettings: { none: "the caller's own org's settings; the request names no id" },
  updateSchedulingSettings: {
    attempts: [
      { what: 'a weight for a team only org A has', input: (a) => ({ body: { teamWeights: { [a.otherTeam]: 2 } } }) },
      { what: 'a weight for its own team of the colliding slug', input: (a) => ({ body: { teamWeights: { [a.team]: 2 } } }), expect: 200 },
    ],
  },
  pauseQueue: { none: "acts on the caller's own org; the body names only a backend kind (deployment-wide)" },
  resumeQueue: { none: "acts on the caller's own org; the body names only a backend kind (deployment-wide)" },
  moveJobToFront: { attempts: [byId("org A's queued job", (a) => ({ id: a.job }))] },
  getUsage: {
    attempts: [
      { what: "org A's org usage", input: (a) => ({ query: { scopeType: 'org', scopeId: a.org, ...period } }) },
      { what: 'usage of a team only org A has', input: (a) => ({ query: { scopeType: 'team', scopeId: a.otherTeam, ...period } }) },
      { what: "org A's user's usage", input: (a) => ({ query: { scopeType: 'user', scopeId: a.user, ...period } }) },
      {
        what: "org A's colliding team, naming org A",
        input: (a) => ({ query: { orgId: a.org, scopeType: 'team', scopeId: a.team, ...period } }),
      },
      {
        what: 'its own team of the colliding slug',
        input: (a) => ({ query: { scopeType: 'team', scopeId: a.team, ...period } }),
        expect: 200,
      },
    ],
  },

  // users, levels, resource rules
  listUsers: {
    attempts: [
      { what: "org A's users", input: (a) => ({ params: { orgId: a.org } }) },
      {
        what: 'its own users filtered by a team only org A has',
        input: (a) => ({ params: { orgId: ATTACKER }, query: { teamId: a.otherTeam } }),
        control: false,
      },
      {
        what: "its own users filtered by org A's custom level",
        input: (a) => ({ params: { orgId: ATTACKER }, query: { level: a.level } }),
        control: false,
      },
    ],
  },
  createUser: {
    attempts: [
      {
        what: 'a user in org A',
        input: (a) => ({ params: { orgId: a.org }, body: { id: `${a.user}-new`, email: 'n@x.test', displayName: 'N', level: 'viewer' } }),
      },
      {
        what: 'its own user in a team only org A has',
        input: (a) => ({
          params: { orgId: ATTACKER },
          body: { email: 'n@x.test', displayName: 'N', level: 'viewer', teams: [{ teamId: a.otherTeam }] },
        }),
        control: false,
      },
      {
        what: "its own user at org A's custom level",
        input: (a) => ({ params: { orgId: ATTACKER }, body: { email: 'n@x.test', displayName: 'N', level: a.level } }),
        control: false,
      },
    ],
  },
  getUser: { attempts: [byId("org A's user", (a) => ({ userId: a.user }))] },
  updateUser: {
    attempts: [
      { what: "org A's user", input: (a) => ({ params: { userId: a.user }, body: { displayName: 'Owned' } }), control: 'victimAdmin' },
    ],
  },
  setUserLevel: {
    attempts: [
      { what: "org A's user", input: (a) => ({ params: { userId: a.user }, body: { level: 'admin' } }) },
      {
        what: "its own user at org A's custom level",
        input: (a) => ({ params: { userId: CALLERS.attackerPeer }, body: { level: a.level } }),
        control: false,
      },
    ],
  },
  setUserStatus: { attempts: [{ what: "org A's user", input: (a) => ({ params: { userId: a.user }, body: { status: 'disabled' } }) }] },
  setUserOverrides: {
    attempts: [
      {
        what: "org A's user",
        input: (a) => ({ params: { userId: a.user }, body: { overrides: [{ permission: 'job.submit', effect: 'deny' }] } }),
      },
    ],
  },
  setUserTeams: {
    attempts: [
      { what: "org A's user", input: (a) => ({ params: { userId: a.user }, body: { teams: [{ teamId: a.team, role: 'lead' }] } }) },
      {
        what: 'its own user into a team only org A has',
        input: (a) => ({ params: { userId: CALLERS.attackerPeer }, body: { teams: [{ teamId: a.otherTeam }] } }),
        control: false,
      },
    ],
  },
  getUserAccess: { attempts: [byId("org A's user", (a) => ({ userId: a.user }))] },
  listLevels: { none: "the caller's org's levels; takes no id" },
  putLevel: {
    attempts: [
      {
        what: "its own level of the same name as org A's",
        input: (a) => ({ params: { name: a.level }, body: { priority: 5, permissions: ['job.view.own'] } }),
        expect: 201,
      },
    ],
  },
  deleteLevel: { attempts: [byId("org A's level", (a) => ({ name: a.level }))] },
  listResourceRules: { none: "the caller's org's rules; takes no id" },
  createResourceRule: {
    attempts: [
      {
        what: 'a team only org A has',
        input: (a) => ({ body: { type: 'hardware', pattern: '*', action: 'deny', teamId: a.otherTeam } }),
        control: false,
      },
      {
        what: "org A's custom level",
        input: (a) => ({ body: { type: 'hardware', pattern: '*', action: 'deny', level: a.level } }),
        control: false,
      },
    ],
  },
  getResourceRule: { attempts: [byId("org A's rule", (a) => ({ ruleId: a.rule }))] },
  replaceResourceRule: {
    attempts: [
      { what: "org A's rule", input: (a) => ({ params: { ruleId: a.rule }, body: { type: 'hardware', pattern: '*', action: 'allow' } }) },
    ],
  },
  deleteResourceRule: { attempts: [byId("org A's rule", (a) => ({ ruleId: a.rule }))] },

  // approvals
  listApprovalRules: { none: "the caller's org's rules and the platform's; takes no id" },
  createApprovalRule: {
    attempts: [
      {
        what: "org A's custom level as approver level",
        input: (a) => ({ body: { name: 'iso', condition: 'first_job', required_approver_level: a.level } }),
        control: false,
      },
      {
        what: "org A's custom level as exempt level",
        input: (a) => ({ body: { name: 'iso', condition: 'first_job', exempt_levels: [a.level] } }),
        control: false,
      },
    ],
  },
  getApprovalRule: { attempts: [byId("org A's approval rule", (a) => ({ ruleId: a.approvalRule }))] },
  replaceApprovalRule: {
    attempts: [
      {
        what: "org A's approval rule",
        input: (a) => ({ params: { ruleId: a.approvalRule }, body: { name: 'iso', condition: 'first_job' } }),
      },
    ],
  },
  deleteApprovalRule: { attempts: [byId("org A's approval rule", (a) => ({ ruleId: a.approvalRule }))] },
  listApprovals: { none: "the caller's org's requests (those in the caller's reach); takes no id" },
  getApproval: { attempts: [byId("org A's approval request", (a) => ({ id: a.approval }))] },
  openApprovalLink: {
    none: "public: the only input is a signed link token that names its own org, request and approver; nobody without the deployment's key can make one for another org's request, and a correctly signed link naming a request of another org, or an approver of another org, does nothing (approval-links.int.test.ts)",
  },
  confirmApprovalLink: {
    none: 'public: as openApprovalLink; the decision is made as the approver the token names, with their current rights (approval-links.int.test.ts)',
  },
  approveApproval: {
    attempts: [{ what: "org A's approval request", input: (a) => ({ params: { id: a.approval }, body: { comment: 'iso' } }) }],
  },
  rejectApproval: {
    attempts: [{ what: "org A's approval request", input: (a) => ({ params: { id: a.approval }, body: { comment: 'iso' } }) }],
  },

  // orgs, teams, members
  listOrgs: { none: "lists the caller's own org (every org only for platform admins); takes no id" },
  createOrg: { attempts: [{ what: "org A's slug", input: (a) => ({ body: { slug: a.org, name: 'Taken' } }), expect: 403 }] },
  getOrg: { attempts: [byId('org A', (a) => ({ orgId: a.org }))] },
  updateOrg: { attempts: [{ what: 'org A', input: (a) => ({ params: { orgId: a.org }, body: { name: 'Owned' } }), expect: 403 }] },
  deleteOrg: { attempts: [{ what: 'org A', input: (a) => ({ params: { orgId: a.org } }), expect: 403 }] },
  listTeams: { attempts: [byId("org A's teams", (a) => ({ orgId: a.org }))] },
  createTeam: {
    attempts: [{ what: 'a team in org A', input: (a) => ({ params: { orgId: a.org }, body: { slug: `${a.user}-team`, name: 'New' } }) }],
  },
  getTeam: {
    attempts: [
      byId("org A's colliding team", teamPath),
      {
        what: 'a team only org A has, under its own org',
        input: (a) => ({ params: { orgId: ATTACKER, teamId: a.otherTeam } }),
        control: false,
      },
    ],
  },
  updateTeam: { attempts: [{ what: "org A's colliding team", input: (a) => ({ params: teamPath(a), body: { name: 'Owned' } }) }] },
  deleteTeam: { attempts: [byId("org A's colliding team", teamPath)] },
  listTeamMembers: { attempts: [byId("org A's colliding team", teamPath)] },
  putTeamMember: {
    attempts: [
      { what: "org A's user in org A's team", input: (a) => ({ params: { ...teamPath(a), userId: a.user }, body: { role: 'lead' } }) },
      {
        what: "org A's user into its own team of the colliding slug",
        input: (a) => ({ params: { orgId: ATTACKER, teamId: a.team, userId: a.user }, body: { role: 'member' } }),
        control: false,
      },
    ],
  },
  removeTeamMember: {
    attempts: [
      byId("org A's user in org A's team", (a) => ({ ...teamPath(a), userId: a.user })),
      {
        what: "org A's user from its own team of the colliding slug",
        input: (a) => ({ params: { orgId: ATTACKER, teamId: a.team, userId: a.user } }),
        control: false,
      },
    ],
  },

  // templates
  listTemplates: { none: "the caller's org's templates; takes no id" },
  createTemplate: {
    attempts: [
      {
        what: 'a team only org A has',
        input: (a) => ({ body: { name: `${a.template}-x`, teamId: a.otherTeam, spec: {} } }),
        control: false,
      },
      { what: "its own template of the same name as org A's", input: (a) => ({ body: { name: a.template, spec: {} } }), expect: 201 },
    ],
  },
  getTemplate: { attempts: [byId("org A's template", (a) => ({ name: a.template }))] },
  replaceTemplate: {
    attempts: [{ what: "org A's template", input: (a) => ({ params: { name: a.template }, body: { spec: { image: 'evil' } } }) }],
  },
  deleteTemplate: { attempts: [byId("org A's template", (a) => ({ name: a.template }))] },

  // notification channels
  listNotificationChannels: { none: "the caller's org's channels; takes no id" },
  createNotificationChannel: {
    attempts: [
      {
        what: 'a subscription filtered to a team only org A has',
        input: (a) => ({ body: { ...channelBody, subscriptions: [{ events: ['job.*'], teamIds: [a.otherTeam] }] } }),
        control: false,
      },
      {
        what: 'its own channel for the team slug org A also has',
        input: (a) => ({ body: { ...channelBody, subscriptions: [{ events: ['job.*'], teamIds: [a.team] }] } }),
        expect: 201,
      },
    ],
  },
  getNotificationChannel: { attempts: [byId("org A's channel", (a) => ({ id: a.channel }))] },
  replaceNotificationChannel: {
    attempts: [
      {
        what: "org A's channel (re-aiming its URL)",
        input: (a) => ({
          params: { id: a.channel },
          body: { kind: 'webhook', name: 'iso', url: 'https://evil.example/steal', subscriptions: [{ events: ['*'] }] },
        }),
      },
    ],
  },
  deleteNotificationChannel: { attempts: [byId("org A's channel", (a) => ({ id: a.channel }))] },
  testNotificationChannel: { attempts: [byId("org A's channel (sending to its target)", (a) => ({ id: a.channel }))] },
  listNotificationDeliveries: { attempts: [byId("org A's channel's delivery log", (a) => ({ id: a.channel }))] },

  // audit
  listAuditEntries: { attempts: [{ what: "org A's chain", input: (a) => ({ query: { orgId: a.org } }) }] },
  verifyAuditChain: { attempts: [{ what: "org A's chain", input: (a) => ({ query: { orgId: a.org } }) }] },

  // me and API keys
  getMe: { none: 'the caller themself' },
  createApiKey: { none: 'a key of the caller, with a subset of their own permissions; names no other object' },
  listApiKeys: { none: "the caller's own keys" },
  getMyNotifications: { none: "the caller's own choice" },
  replaceMyNotifications: {
    none: "the caller's own choice; names no address and no other user (mail goes to the caller's own record's address)",
  },
  revokeApiKey: { attempts: [byId("org A's user's API key", (a) => ({ id: a.apiKey }), 'owner')] },

  // identity providers
  listIdentityProviders: {
    attempts: [{ what: "org A's providers (not listed to org B)", input: () => ({}), expect: 200 }],
  },
  createIdentityProvider: {
    attempts: [
      {
        what: 'a provider signing users in to org A',
        input: (a) => ({ body: providerBody(`${a.provider}-capture`, a.org) }),
      },
    ],
  },
  getIdentityProvider: { attempts: [byId("org A's provider", (a) => ({ id: a.provider }))] },
  replaceIdentityProvider: {
    attempts: [
      {
        what: "org A's provider",
        input: (a) => ({ params: { id: a.provider }, body: { ...providerBody(a.provider, a.org), displayName: 'Owned' } }),
      },
    ],
  },
  deleteIdentityProvider: { attempts: [byId("org A's provider", (a) => ({ id: a.provider }))] },
};

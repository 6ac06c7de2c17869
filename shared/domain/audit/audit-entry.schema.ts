import * as z from 'zod/mini';

/**
 * One audit entry as the caller states it (docs/permissions.md#audit-trail). The audit adapter adds the sequence number, the
 * time it was stored and the hash chain. `details` must never hold secrets: callers pass ids and outcomes,
 * not tokens, passwords or request bodies.
 */
export const auditEntryInputSchema = z.object({
  /** Who acted: a user id, `system:<component>`, or `anonymous` for failed logins. */
  actor: z.string().check(z.minLength(1), z.maxLength(256)),
  /** Org the entry belongs to (the actor's, or the target's for platform admins); `platform` for none. */
  orgId: z.string().check(z.minLength(1), z.maxLength(128)),
  /** Dotted verb, e.g. `job.submit`, `auth.login`, `quota.update`, `request.denied`. */
  action: z.string().check(z.minLength(1), z.maxLength(128)),
  /** What was acted upon, e.g. `job/01H…`, `user/rae`, `route/POST /v1/jobs`. */
  target: z._default(z.string().check(z.maxLength(512)), ''),
  outcome: z.enum(['success', 'failure', 'denied']),
  sourceIp: z.optional(z.string().check(z.maxLength(64))),
  requestId: z.optional(z.string().check(z.maxLength(128))),
  details: z._default(z.record(z.string(), z.unknown()), {}),
  /** The actor's teams when it acted: a lead's `admin.audit` reaches entries of their teams' members. */
  actorTeamIds: z.optional(z.array(z.string().check(z.maxLength(128))).check(z.maxLength(100))),
});
export type AuditEntryInput = z.input<typeof auditEntryInputSchema>;

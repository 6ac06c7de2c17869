import * as z from 'zod';

/**
 * One audit entry as the caller states it (DESIGN §4.10). The audit adapter adds the sequence number, the
 * time it was stored and the hash chain. `details` must never hold secrets: callers pass ids and outcomes,
 * not tokens, passwords or request bodies.
 */
export const auditEntryInputSchema = z.object({
  /** Who acted: a user id, `system:<component>`, or `anonymous` for failed logins. */
  actor: z.string().min(1).max(256),
  /** Org the entry belongs to (the actor's, or the target's for platform admins); `platform` for none. */
  orgId: z.string().min(1).max(128),
  /** Dotted verb, e.g. `job.submit`, `auth.login`, `quota.update`, `request.denied`. */
  action: z.string().min(1).max(128),
  /** What was acted upon, e.g. `job/01H…`, `user/rae`, `route/POST /v1/jobs`. */
  target: z.string().max(512).default(''),
  outcome: z.enum(['success', 'failure', 'denied']),
  sourceIp: z.string().max(64).optional(),
  requestId: z.string().max(128).optional(),
  details: z.record(z.string(), z.unknown()).default({}),
  /** The actor's teams when it acted: a lead's `admin.audit` reaches entries of their teams' members. */
  actorTeamIds: z.array(z.string().max(128)).max(100).optional(),
});
export type AuditEntryInput = z.input<typeof auditEntryInputSchema>;

export interface AuditLog {
  append(entry: AuditEntryInput): Promise<void>;
}

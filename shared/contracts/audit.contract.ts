import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';
import type { AuditRecord } from '#domain/audit/audit-chain';
import { slugSchema } from '#domain/tenancy/slug';
import { paginationQuerySchema } from './common.contract';

export const auditQuerySchema = z.extend(paginationQuerySchema, {
  orgId: z.optional(slugSchema).check(z.describe("Platform admins: whose chain to read (default: the caller's org)")),
  actor: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  action: z.optional(z.string().check(z.minLength(1), z.maxLength(128))).check(z.describe('Prefix: `request.` matches request.denied')),
  target: z.optional(z.string().check(z.minLength(1), z.maxLength(512))).check(z.describe('Prefix')),
  from: z.optional(z.iso.datetime()).check(z.describe('Entries at or after this time')),
  to: z.optional(z.iso.datetime()).check(z.describe('Entries at or before this time')),
});

export const auditEntryViewSchema = lazySchema(() =>
  z
    .object({
      seq: z.number(),
      at: z.string(),
      actor: z.string(),
      orgId: z.string(),
      action: z.string(),
      target: z.string(),
      outcome: z.enum(['success', 'failure', 'denied']),
      sourceIp: z.optional(z.string()),
      requestId: z.optional(z.string()),
      details: z.record(z.string(), z.unknown()),
      hash: z.string(),
      prevHash: z.string(),
    })
    .register(z.globalRegistry, { id: 'AuditEntry' }),
);
export const auditListSchema = lazySchema(() =>
  z
    .object({ items: z.array(auditEntryViewSchema()), nextCursor: z.optional(z.string()) })
    .register(z.globalRegistry, { id: 'AuditEntryList' }),
);

export const verifyQuerySchema = z.object({
  orgId: z.optional(slugSchema),
  fromSeq: z.optional(z.coerce.number().check(z.int(), z.gte(1))).check(z.describe('Resume a verification (see nextSeq)')),
  maxEntries: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(50_000)), 10_000),
});

export const verifyReportSchema = lazySchema(() =>
  z
    .object({
      ok: z.boolean(),
      checked: z.number(),
      firstSeq: z.optional(z.number()),
      lastSeq: z.optional(z.number()),
      headSeq: z.number(),
      broken: z.optional(z.object({ seq: z.number(), reason: z.string(), message: z.string() })).check(z.describe('The first broken link')),
      complete: z.boolean(),
      nextSeq: z.optional(z.number()),
    })
    .register(z.globalRegistry, { id: 'AuditVerification' }),
);

export const toAuditEntryView = (record: AuditRecord): z.infer<ReturnType<typeof auditEntryViewSchema>> => ({
  seq: record.seq,
  at: record.at,
  actor: record.actor,
  orgId: record.orgId,
  action: record.action,
  target: record.target,
  outcome: record.outcome,
  ...(record.sourceIp ? { sourceIp: record.sourceIp } : {}),
  ...(record.requestId ? { requestId: record.requestId } : {}),
  details: record.details,
  hash: record.hash,
  prevHash: record.prevHash,
});

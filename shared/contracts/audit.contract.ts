import * as z from 'zod';
import type { AuditRecord } from '../domain/audit/audit-chain';
import { slugSchema } from '../domain/tenancy/tenancy.schema';
import { paginationQuerySchema } from './common.contract';

export const auditQuerySchema = paginationQuerySchema.extend({
  orgId: slugSchema.optional().describe("Platform admins: whose chain to read (default: the caller's org)"),
  actor: z.string().min(1).max(256).optional(),
  action: z.string().min(1).max(128).optional().describe('Prefix: `request.` matches request.denied'),
  target: z.string().min(1).max(512).optional().describe('Prefix'),
  from: z.iso.datetime().optional().describe('Entries at or after this time'),
  to: z.iso.datetime().optional().describe('Entries at or before this time'),
});

export const auditEntryViewSchema = z
  .object({
    seq: z.number(),
    at: z.string(),
    actor: z.string(),
    orgId: z.string(),
    action: z.string(),
    target: z.string(),
    outcome: z.enum(['success', 'failure', 'denied']),
    sourceIp: z.string().optional(),
    requestId: z.string().optional(),
    details: z.record(z.string(), z.unknown()),
    hash: z.string(),
    prevHash: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export const auditListSchema = z.object({ items: z.array(auditEntryViewSchema), nextCursor: z.string().optional() }).meta({ id: 'AuditEntryList' });

export const verifyQuerySchema = z.object({
  orgId: slugSchema.optional(),
  fromSeq: z.coerce.number().int().min(1).optional().describe('Resume a verification (see nextSeq)'),
  maxEntries: z.coerce.number().int().min(1).max(50_000).default(10_000),
});

export const verifyReportSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number(),
    firstSeq: z.number().optional(),
    lastSeq: z.number().optional(),
    headSeq: z.number(),
    broken: z.object({ seq: z.number(), reason: z.string(), message: z.string() }).optional().describe('The first broken link'),
    complete: z.boolean(),
    nextSeq: z.number().optional(),
  })
  .meta({ id: 'AuditVerification' });

export const toAuditEntryView = (record: AuditRecord): z.infer<typeof auditEntryViewSchema> => ({
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

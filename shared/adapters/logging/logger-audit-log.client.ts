import { type AuditLog } from '#domain/audit/audit.port';
import { auditEntryInputSchema, type AuditEntryInput } from '#domain/audit/audit-entry.schema';
import { redact } from './redaction';
import type { Logger } from './logger';

/**
 * An {@link AuditLog} that writes each entry as one structured log line (`audit: true`). It stands in where
 * the hash-chained DynamoDB audit log is not wired (yet); entries are validated and redacted the same way.
 */
export class LoggerAuditLog implements AuditLog {
  constructor(private readonly logger: Pick<Logger, 'info'>) {}

  async append(entry: AuditEntryInput): Promise<void> {
    const parsed = auditEntryInputSchema.parse(entry);
    this.logger.info('audit', { audit: true, ...redact(parsed) });
  }
}

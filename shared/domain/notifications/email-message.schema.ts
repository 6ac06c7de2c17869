import * as z from 'zod/mini';

/**
 * One email as the notifier hands it to the email sender through the email queue (`EmailMessage`, already
 * rendered: approval links and all). The queue is encrypted and messages leave it once sent; the recipient is in
 * the message because the email sender must address it, never in a log line or delivery record.
 */
export const emailMessageSchema = z.strictObject({
  to: z.string().check(z.email()),
  subject: z.string().check(z.minLength(1), z.maxLength(998)),
  text: z.string(),
  html: z.string(),
});

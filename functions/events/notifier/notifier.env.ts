import * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';
import { deliveryEnvSchema } from '#config/notifications-env';

export const notifierEnvSchema = z.extend(z.extend(baseEnvSchema, secretsEnvSchema.shape), {
  ...deliveryEnvSchema.shape,
  /**
   * The email queue (set when the stage has a verified sender): rendered emails go there, and the email sender
   * function sends them through SES. Unset: email channels fail, saying email is not configured.
   */
  QM_EMAIL_QUEUE_URL: z.optional(z.string().check(z.url())),
  /** The notification queue: a failed message's next attempt is scheduled on it (ChangeMessageVisibility). */
  QM_NOTIFICATION_QUEUE_URL: z.string().check(z.url()),
  /** The queue's maxReceiveCount: the attempt that equals it is the last before the DLQ. */
  QM_NOTIFY_MAX_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(20)), 6),
  /** The secret holding the approval-link HMAC key (Secrets Manager ARN; locally `file:approval-link-key`): approval emails carry signed links. */
  QM_APPROVAL_LINK_KEY_SECRET_ID: z.string().check(z.minLength(1)),
  /**
   * Where approval links point: the API's public origin (deployed: the console's CloudFront origin, which serves
   * `/v1/*`; the local stack: the local API). The approval-links function answers there.
   */
  QM_APPROVAL_LINK_BASE_URL: z.url(),
});
export type NotifierEnv = z.infer<typeof notifierEnvSchema>;

import * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';
import { deliveryEnvSchema } from '#config/notifications-env';

export const notifierEnvSchema = z.extend(z.extend(baseEnvSchema, secretsEnvSchema.shape), {
  ...deliveryEnvSchema.shape,
  /** The notification queue: a failed message's next attempt is scheduled on it (ChangeMessageVisibility). */
  QM_NOTIFICATION_QUEUE_URL: z.string().check(z.url()),
  /** The queue's maxReceiveCount: the attempt that equals it is the last before the DLQ. */
  QM_NOTIFY_MAX_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(20)), 6),
});
export type NotifierEnv = z.infer<typeof notifierEnvSchema>;

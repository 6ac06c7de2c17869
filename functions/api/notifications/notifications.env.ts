import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';
import { deliveryEnvSchema } from '#config/notifications-env';

/** The channels API, and for its test route what delivering takes (`deliveryEnvSchema`). */
export const notificationsEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, secretsEnvSchema.shape), accessEnvSchema.shape), {
  ...deliveryEnvSchema.shape,
});
export type NotificationsEnv = z.infer<typeof notificationsEnvSchema>;

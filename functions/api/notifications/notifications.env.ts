import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';

/** The channels API: the table, access, and where channel secrets are written. It delivers nothing (the notifier does). */
export const notificationsEnvSchema = z.extend(z.extend(baseEnvSchema, secretsEnvSchema.shape), accessEnvSchema.shape);
export type NotificationsEnv = z.infer<typeof notificationsEnvSchema>;

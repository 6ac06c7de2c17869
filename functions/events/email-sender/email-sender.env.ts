import * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';

/** The email sender reads no table: the verified sender, the bound on one SES call, the attempts before the DLQ. */
export const emailSenderEnvSchema = z.extend(
  z.pick(baseEnvSchema, { QM_STAGE: true, QM_LOCAL_STACK: true, POWERTOOLS_SERVICE_NAME: true }),
  {
    /** The stage's verified SES sender (`notificationSender.from`); the function exists only when one is configured. */
    QM_EMAIL_FROM: z.string().check(z.email()),
    /** Bound on one SES call, in ms. */
    QM_NOTIFY_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.gte(500), z.lte(15_000)), 5_000),
    /** The email queue's maxReceiveCount: the attempt that equals it is the last before the DLQ. */
    QM_EMAIL_MAX_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(20)), 6),
  },
);
export type EmailSenderEnv = z.infer<typeof emailSenderEnvSchema>;

import * as z from 'zod/mini';

/**
 * What the function that delivers notifications (the notifier) reads: the verified SES sender, where console
 * links point, and how long one attempt may take.
 */
export const deliveryEnvSchema = z.object({
  /** The stage's verified SES sender (`notificationSender.from` in the stage config); unset = email channels fail, saying so. */
  QM_EMAIL_FROM: z.optional(z.string().check(z.email())),
  /** Base URL of the web console, for links in emails and Slack messages. */
  QM_CONSOLE_URL: z._default(z.string().check(z.url()), 'http://localhost:5173'),
  /** Bound on one attempt to one target (connect, TLS, answer), in ms. */
  QM_NOTIFY_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.gte(500), z.lte(15_000)), 5_000),
});
export type DeliveryEnv = z.infer<typeof deliveryEnvSchema>;

import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

/**
 * A confirmed link decides as the approvals API does (events and flow signals through the outbox), and checks links with
 * the deployment's approval-link key.
 */
export const approvalLinksEnvSchema = z.extend(z.extend(baseEnvSchema, accessEnvSchema.shape), {
  /** The API's public base URL: the origin the confirmation page's form posts from. */
  QM_API_BASE_URL: z.url(),
  /** The secret holding the approval-link HMAC key (Secrets Manager ARN; locally `file:approval-link-key`). */
  QM_APPROVAL_LINK_KEY_SECRET_ID: z.string().check(z.minLength(1)),
  /** The console's base URL: CloudFront serves the API under its origin too, and emailed links point there. */
  QM_CONSOLE_URL: z.optional(z.url()),
});
export type ApprovalLinksEnv = z.infer<typeof approvalLinksEnvSchema>;

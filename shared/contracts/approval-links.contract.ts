import * as z from 'zod/mini';
import { MAX_APPROVAL_LINK_TOKEN_LENGTH } from '#domain/approvals/approval-links';

/*
 * The approval-link pages (docs/approvals.md, "Approve by email"). The token is optional here on purpose: a
 * link without one, or with a broken one, gets the same clear "this link is not valid" page as a tampered
 * one, never a JSON error in the approver's browser.
 */
const token = z.optional(z.string().check(z.maxLength(MAX_APPROVAL_LINK_TOKEN_LENGTH)));

export const approvalLinkQuerySchema = z.object({ token });

/** What the confirmation page's form posts (`application/x-www-form-urlencoded`): the token is the credential. */
export const approvalLinkFormSchema = z
  .strictObject({ token, comment: z.optional(z.string().check(z.maxLength(2000))) })
  .register(z.globalRegistry, { id: 'ApprovalLinkConfirmation' });

/** Read to refuse a cross-site form post (CSRF): the page posts only to its own origin. */
export const approvalLinkHeadersSchema = z.object({
  origin: z.optional(z.string()),
  host: z.optional(z.string()),
  'sec-fetch-site': z.optional(z.string()),
});

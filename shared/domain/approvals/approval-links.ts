import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApprovalLinkKey } from './approvals.port';

/**
 * Approve and reject links for approval emails (docs/approvals.md, "Approve by email"). A link is a bearer
 * credential: it carries a token signed with the deployment's approval-link key (HMAC-SHA256), bound to one
 * approver, one request and one decision, valid 24 hours and usable once. The token lives only in the
 * email and in the confirmation page's form: events, logs and table items name the approval id alone.
 *
 * Token: `v1.<claims, base64url JSON>.<HMAC-SHA256 of "quartermaster approval link v1." + claims, base64url>`.
 * The two links of one email share one link id (`lid`): whichever is confirmed first uses both.
 */

/** How long a link may be used after it was minted (the spec's 24 hours). */
export const APPROVAL_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Where the links point, under the API's base URL: GET opens the confirmation page, POST decides. */
export const APPROVAL_LINK_PATH = '/v1/approval-links';
/** A token longer than this is refused before any work (a real one is about 250 characters). */
export const MAX_APPROVAL_LINK_TOKEN_LENGTH = 1024;

const VERSION = 'v1';
/** Domain separation: this key signs approval links and nothing else, but the tag keeps it that way by construction. */
const SIGNING_CONTEXT = 'quartermaster approval link v1.';

export type LinkDecision = 'approve' | 'reject';

/** Who a link is for and what it decides. */
export interface ApprovalLinkTarget {
  orgId: string;
  approvalId: string;
  approverUserId: string;
}

/** What a verified token says. */
export interface ApprovalLinkClaims extends ApprovalLinkTarget {
  decision: LinkDecision;
  /** The link id, shared by the approve and reject links of one email: used once, by either. */
  linkId: string;
  expiresAt: Date;
}

export interface ApprovalLinks {
  approveUrl: string;
  rejectUrl: string;
  /** ISO time after which both links are refused. */
  expiresAt: string;
}

export interface ApprovalLinkSigning {
  /** The API's public base URL (scheme and host, optionally a path prefix), e.g. `https://api.example.com`. */
  apiBaseUrl: string;
  key: ApprovalLinkKey;
}

export type LinkCheck =
  | { ok: true; claims: ApprovalLinkClaims }
  /** `malformed`: not a token at all; `tampered`: the signature does not match; `expired`: past its 24 hours. */
  | { ok: false; reason: 'malformed' | 'tampered' | 'expired' };

const sign = (key: string, claims: string): string =>
  createHmac('sha256', key)
    .update(SIGNING_CONTEXT + claims, 'utf8')
    .digest('base64url');

function tokenFor(target: ApprovalLinkTarget, decision: LinkDecision, linkId: string, expiresAt: Date, key: string): string {
  const claims = Buffer.from(
    JSON.stringify({
      o: target.orgId,
      a: target.approvalId,
      u: target.approverUserId,
      d: decision,
      lid: linkId,
      exp: Math.floor(expiresAt.getTime() / 1000),
    }),
    'utf8',
  ).toString('base64url');
  return `${VERSION}.${claims}.${sign(key, claims)}`;
}

function linkUrl(apiBaseUrl: string, token: string): string {
  const url = new URL(apiBaseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${APPROVAL_LINK_PATH}`;
  url.search = new URLSearchParams({ token }).toString();
  url.hash = '';
  return url.toString();
}

/**
 * Mints the approve and reject links of one approver for one request, when the email is sent. Nothing is
 * stored: the signature makes a link checkable, and its id is written only when it is used.
 */
export async function mintApprovalLinks(target: ApprovalLinkTarget, now: Date, signing: ApprovalLinkSigning): Promise<ApprovalLinks> {
  for (const [field, value] of Object.entries(target)) {
    if (typeof value !== 'string' || value === '') throw new Error(`mintApprovalLinks: ${field} is required`);
  }
  const key = await signing.key.current();
  const linkId = randomBytes(18).toString('base64url');
  // Whole seconds, as the token records it, so `expiresAt` says exactly what verification will enforce.
  const expiresAt = new Date(Math.floor((now.getTime() + APPROVAL_LINK_LIFETIME_MS) / 1000) * 1000);
  return {
    approveUrl: linkUrl(signing.apiBaseUrl, tokenFor(target, 'approve', linkId, expiresAt, key)),
    rejectUrl: linkUrl(signing.apiBaseUrl, tokenFor(target, 'reject', linkId, expiresAt, key)),
    expiresAt: expiresAt.toISOString(),
  };
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;

function parseClaims(encoded: string): ApprovalLinkClaims | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { o, a, u, d, lid, exp } = raw as Record<string, unknown>;
  if (!nonEmpty(o) || !nonEmpty(a) || !nonEmpty(u) || !nonEmpty(lid)) return undefined;
  if ((d !== 'approve' && d !== 'reject') || typeof exp !== 'number' || !Number.isInteger(exp)) return undefined;
  return { orgId: o, approvalId: a, approverUserId: u, decision: d, linkId: lid, expiresAt: new Date(exp * 1000) };
}

/**
 * Checks a link's token: shape, then signature (constant-time), then expiry. Nothing in the token is
 * believed before its signature is: a tampered token is `tampered` whatever its claims say.
 */
export async function verifyApprovalLink(token: string, now: Date, key: ApprovalLinkKey): Promise<LinkCheck> {
  if (typeof token !== 'string' || token.length > MAX_APPROVAL_LINK_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) return { ok: false, reason: 'malformed' };
  const [, encoded, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(await key.current(), encoded), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'tampered' };
  const claims = parseClaims(encoded);
  if (!claims) return { ok: false, reason: 'malformed' };
  if (now.getTime() >= claims.expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** What the used-link record is keyed by: a hash of the link id, so the table never holds a part of a token. */
export const linkIdHash = (linkId: string): string => createHash('sha256').update(linkId, 'utf8').digest('hex');

/** The shortest key accepted: 256 bits of a generated secret (CDK generates 64 characters). */
const MIN_KEY_LENGTH = 32;

/** The approval-link key behind a secret reference (the secret store caches it; docs/approvals.md says where it lives). */
export function approvalLinkKeyFrom(secrets: { get(ref: string): Promise<string> }, ref: string): ApprovalLinkKey {
  return {
    current: async () => {
      const key = (await secrets.get(ref)).trim();
      if (key.length < MIN_KEY_LENGTH) throw new Error(`The approval-link key must have at least ${MIN_KEY_LENGTH} characters`);
      return key;
    },
  };
}

import { describe, expect, it } from 'vitest';
import {
  APPROVAL_LINK_LIFETIME_MS,
  mintApprovalLinks,
  verifyApprovalLink,
  type ApprovalLinkSigning,
} from '#domain/approvals/approval-links';

const KEY = 'k'.repeat(48);
const signing: ApprovalLinkSigning = { apiBaseUrl: 'https://api.example.com', key: { current: async () => KEY } };
const target = { orgId: 'acme', approvalId: '01JAPPROVAL', approverUserId: 'lead-1' };
const now = new Date('2026-12-06T16:00:00.000Z');
const tokenOf = (url: string): string => new URL(url).searchParams.get('token') ?? '';

describe('approval links: minting', () => {
  it('mints an approve and a reject link to the confirmation page, valid 24 hours, bound to approver, request and decision', async () => {
    const links = await mintApprovalLinks(target, now, signing);
    expect(links.expiresAt).toBe(new Date(now.getTime() + APPROVAL_LINK_LIFETIME_MS).toISOString());
    for (const [url, decision] of [
      [links.approveUrl, 'approve'],
      [links.rejectUrl, 'reject'],
    ] as const) {
      expect(new URL(url).origin + new URL(url).pathname).toBe('https://api.example.com/v1/approval-links');
      const check = await verifyApprovalLink(tokenOf(url), now, signing.key);
      expect(check).toEqual({
        ok: true,
        claims: { ...target, decision, linkId: expect.any(String), expiresAt: new Date(links.expiresAt) },
      });
    }
    // One email, one decision: the two links share their id.
    const approve = await verifyApprovalLink(tokenOf(links.approveUrl), now, signing.key);
    const reject = await verifyApprovalLink(tokenOf(links.rejectUrl), now, signing.key);
    expect(approve.ok && reject.ok && approve.claims.linkId === reject.claims.linkId).toBe(true);
  });

  it('keeps a path prefix of the base URL and mints a fresh link id each time', async () => {
    const a = await mintApprovalLinks(target, now, { ...signing, apiBaseUrl: 'https://example.com/api/' });
    expect(a.approveUrl.startsWith('https://example.com/api/v1/approval-links?token=v1.')).toBe(true);
    const b = await mintApprovalLinks(target, now, signing);
    expect(tokenOf(a.approveUrl)).not.toBe(tokenOf(b.approveUrl));
  });

  it('refuses to mint without an org, a request or an approver', async () => {
    await expect(mintApprovalLinks({ ...target, approverUserId: '' }, now, signing)).rejects.toThrow(/approverUserId/);
  });
});

describe('approval links: verification', () => {
  it('refuses a tampered token: another decision, request or approver in the claims, or a foreign key', async () => {
    const links = await mintApprovalLinks(target, now, signing);
    const [version, claims, signature] = tokenOf(links.rejectUrl).split('.') as [string, string, string];
    const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const change of [{ d: 'approve' }, { a: 'other-request' }, { u: 'someone-else' }, { exp: (decoded.exp as number) + 86_400 }]) {
      const forged = Buffer.from(JSON.stringify({ ...decoded, ...change })).toString('base64url');
      expect(await verifyApprovalLink(`${version}.${forged}.${signature}`, now, signing.key)).toEqual({ ok: false, reason: 'tampered' });
    }
    // The approve link's signature on the reject link's claims: bound to the decision.
    const approveSignature = tokenOf(links.approveUrl).split('.')[2];
    expect(await verifyApprovalLink(`${version}.${claims}.${approveSignature}`, now, signing.key)).toEqual({
      ok: false,
      reason: 'tampered',
    });
    expect(await verifyApprovalLink(tokenOf(links.rejectUrl), now, { current: async () => 'x'.repeat(48) })).toEqual({
      ok: false,
      reason: 'tampered',
    });
  });

  it('refuses an expired token from its 24th hour on', async () => {
    const links = await mintApprovalLinks(target, now, signing);
    const token = tokenOf(links.approveUrl);
    expect((await verifyApprovalLink(token, new Date(now.getTime() + APPROVAL_LINK_LIFETIME_MS - 1000), signing.key)).ok).toBe(true);
    expect(await verifyApprovalLink(token, new Date(now.getTime() + APPROVAL_LINK_LIFETIME_MS), signing.key)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('calls anything that is not a token malformed, without throwing', async () => {
    for (const token of ['', 'v1', 'v1..', 'v2.a.b', 'v1.a.b.c', 'x'.repeat(5000), 'v1.%%%.sig']) {
      expect((await verifyApprovalLink(token, now, signing.key)).ok).toBe(false);
    }
    // Correctly signed but not claims: malformed, not accepted.
    const { createHmac } = await import('node:crypto');
    const junk = Buffer.from('"just a string"').toString('base64url');
    const signature = createHmac('sha256', KEY).update(`quartermaster approval link v1.${junk}`).digest('base64url');
    expect(await verifyApprovalLink(`v1.${junk}.${signature}`, now, signing.key)).toEqual({ ok: false, reason: 'malformed' });
  });
});

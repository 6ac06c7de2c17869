import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, issueSession } from '#domain/identity/session.service';
import type { User } from '#domain/users/user.schema';
import { startIdentityFixture, type IdentityFixture } from '#test-support/identity-fixture';

/**
 * Refresh-token rotation with reuse detection (RFC 9700 §4.14.2), through the real sessions function
 * behind the local HTTP server and DynamoDB Local: replaying a spent refresh token revokes every token
 * descended from the same sign-in, and the audit entry names both the replayed token and its successor.
 */
let fx: IdentityFixture;
let seq = 0;

beforeAll(async () => {
  fx = await startIdentityFixture();
});
afterAll(async () => fx?.stop());

async function signedIn(): Promise<{ user: User; refreshToken: string }> {
  const user: User = {
    schemaVersion: 1,
    id: `refresher-${(seq += 1)}`,
    email: `refresher-${seq}@acme.test`,
    displayName: 'Refresher',
    orgId: 'acme',
    level: 'researcher',
    platformAdmin: false,
    teamIds: [],
    status: 'active',
    createdAt: new Date().toISOString(),
  };
  await fx.stores.users.create(user);
  const session = await issueSession(user, 'ldap:corp-ldap', fx.sessions);
  if (!session.refreshToken) throw new Error('no refresh token');
  return { user, refreshToken: session.refreshToken };
}

const refresh = async (refreshToken: string) => {
  const response = await fetch(`${fx.url}/v1/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  const body = (await response.json()) as { refreshToken?: string; accessToken?: string };
  return { status: response.status, body };
};
const tokenId = async (refreshToken: string) => (await fx.stores.refreshTokens.get(hashToken(refreshToken)))?.id;

describe('refresh-token families', () => {
  it('rotates: each refresh token works once and is exchanged for the next of its family', async () => {
    const { refreshToken: first } = await signedIn();
    const second = await refresh(first);
    expect(second.status).toBe(200);
    const third = await refresh(second.body.refreshToken ?? '');
    expect(third.status).toBe(200);
    const [a, b, c] = await Promise.all(
      [first, second.body.refreshToken ?? '', third.body.refreshToken ?? ''].map((t) => fx.stores.refreshTokens.get(hashToken(t))),
    );
    expect(new Set([a?.familyId, b?.familyId, c?.familyId])).toEqual(new Set([a?.id]));
    expect(a?.replacedBy).toBe(b?.id);
  });

  it('a replayed spent token is refused and revokes the whole family: the newest token of the chain stops working', async () => {
    const { user, refreshToken: first } = await signedIn();
    const second = (await refresh(first)).body.refreshToken ?? '';
    const third = (await refresh(second)).body.refreshToken ?? '';
    const [firstId, secondId] = [await tokenId(first), await tokenId(second)];

    const replay = await refresh(first);
    expect(replay.status).toBe(401);
    expect((await refresh(third)).status).toBe(401);

    const entry = fx.recorder.audit.find((e) => e.action === 'auth.refresh_reuse' && e.actor === user.id);
    expect(entry).toMatchObject({
      orgId: 'acme',
      outcome: 'denied',
      target: `user/${user.id}`,
      details: { familyId: firstId, replayedTokenId: firstId, successorTokenId: secondId, familyRevoked: true },
    });
    expect(fx.recorder.events.some((e) => e.type === 'auth.login_failure' && e.data.reason === 'refresh_reused')).toBe(true);
    // Nothing secret in the entry: ids only.
    expect(JSON.stringify(entry)).not.toContain(first.slice(4));
  });

  it('leaves the same user’s other sign-ins alone (another family)', async () => {
    const { user, refreshToken: first } = await signedIn();
    const other = await issueSession(user, 'ldap:corp-ldap', fx.sessions);
    await refresh(first);
    expect((await refresh(first)).status).toBe(401);
    expect((await refresh(other.refreshToken ?? '')).status).toBe(200);
  });

  it('two redemptions racing for one token: exactly one wins, and the loser revokes the family (the winner’s token too)', async () => {
    const { refreshToken: first } = await signedIn();
    const results = await Promise.all([refresh(first), refresh(first)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.status === 200)?.body.refreshToken ?? '';
    expect((await refresh(winner)).status).toBe(401);
  });
});

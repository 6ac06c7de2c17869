import { type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devIdpTokens, signInThroughIdp } from '#scripts/local/dev-idp-login';
import { demoPassword } from '#scripts/local/local-identity';
import { LOCAL_CONFIG_CACHE_MS } from '#scripts/local/local-stack';
import { DEMO_USERS } from '#scripts/local/seed';
import { startLocalStack } from '#test-support/local-stack-process';

/**
 * End to end through the real entry point: `scripts/local/dev.ts` (what `npm run dev` runs) in its own
 * process, spoken to over HTTP only, as a user would. Ctrl-C (SIGINT) must stop everything it started.
 */
let dev: ChildProcess;
let url = '';
let output = '';
let endpoints: string[] = [];
let issuer = '';
let ca = '';
const tokens = new Map<string, string>();

/** Bearer tokens come from the dev IdP's real login (authorization code + PKCE); there is no shortcut. */
const auth = (user: string) => {
  const token = tokens.get(user);
  if (!token) throw new Error(`no token for ${user}`);
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
};

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, body: await response.json() };
}

function portOpen(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

beforeAll(async () => {
  ({ process: dev, output, url, issuer, ca } = await startLocalStack('qm-e2e-'));
  endpoints = [...output.matchAll(/(?:DynamoDB|SQS)\s+(http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[1]!);
  for (const user of ['rae', 'vic', 'ada', 'lin'])
    tokens.set(user, (await devIdpTokens({ issuer, username: user, password: demoPassword(user), ca })).accessToken);
});

afterAll(() => {
  if (dev.exitCode === null) dev.kill('SIGKILL');
});

describe('the local stack, end to end over HTTP', () => {
  it('is ready, listening on loopback only', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await api('/health/live')).body.status).toBe('ok');
    const ready = await api('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.dynamodb.status).toBe('ok');
  });

  it('runs a shell command job to success, with its output in the logs endpoint, and honours Idempotency-Key', async () => {
    const spec = {
      name: 'e2e-hello',
      image: 'busybox',
      command: ['sh', '-c', 'echo "hello $GREETING"; echo warning >&2'],
      env: [{ name: 'GREETING', value: 'quartermaster' }],
      hardwareType: 'gpu-a10g-1x',
      maxRuntimeMinutes: 5,
    };
    const headers = { ...auth('rae'), 'idempotency-key': 'e2e-key-1' };
    const submitted = await api('/v1/jobs', { method: 'POST', headers, body: JSON.stringify(spec) });
    expect(submitted.status).toBe(201);
    // Admitted at once when nobody waits, otherwise queued: either way it says why it is not running yet.
    expect(['queued', 'admitted', 'starting', 'running']).toContain(submitted.body.state);
    expect(submitted.body.waiting.code).toBeTruthy();
    expect(submitted.body.estimatedCostUsd).toBeCloseTo(0.08, 2);

    const replay = await api('/v1/jobs', { method: 'POST', headers, body: JSON.stringify(spec) });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(submitted.body.id);

    const id = submitted.body.id as string;
    let job: any;
    await expect
      .poll(async () => ((job = (await api(`/v1/jobs/${id}`, { headers: auth('rae') })).body), job.state), {
        timeout: 30_000,
        interval: 100,
      })
      .toBe('succeeded');
    expect(job.exitCode).toBe(0);
    expect(job.history.map((h: { state: string }) => h.state)).toEqual([
      'submitted',
      'queued',
      'admitted',
      'starting',
      'running',
      'succeeded',
    ]);
    expect(job.waiting).toBeUndefined();

    const logs = await api(`/v1/jobs/${id}/logs`, { headers: auth('rae') });
    expect(logs.status).toBe(200);
    expect(logs.body.complete).toBe(true);
    expect(logs.body.lines.map((l: { stream: string; message: string }) => `${l.stream}:${l.message}`).sort()).toEqual([
      'stderr:warning',
      'stdout:hello quartermaster',
    ]);

    const listed = await api('/v1/jobs?state=succeeded', { headers: auth('rae') });
    expect(listed.body.items.filter((j: { id: string }) => j.id === id)).toHaveLength(1);
  });

  it('reports a failing command as failed with its exit code', async () => {
    const submitted = await api('/v1/jobs', {
      method: 'POST',
      headers: auth('rae'),
      body: JSON.stringify({
        name: 'e2e-fail',
        image: 'busybox',
        command: ['sh', '-c', 'exit 7'],
        hardwareType: 'cpu-small',
        maxRuntimeMinutes: 1,
      }),
    });
    let job: any;
    await expect
      .poll(async () => ((job = (await api(`/v1/jobs/${submitted.body.id}`, { headers: auth('rae') })).body), job.state), {
        timeout: 30_000,
        interval: 100,
      })
      .toBe('failed');
    expect(job.exitCode).toBe(7);
    expect(job.stateReason).toContain('7');

    // job.failed reaches acme's seeded channels: the dev mailbox (SMTP stand-in for SES) and the dev webhook
    // receiver, which verified the Standard Webhooks signature.
    const mailbox = /Mailbox\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    const receiver = /Webhooks\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    const subject = `job/${submitted.body.id as string}`;
    await expect
      .poll(
        async () => {
          const mails = (await (await fetch(`${mailbox}/messages.json`)).json()) as { subject: string }[];
          return mails.some((mail) => mail.subject.includes(`job.failed: ${subject}`));
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);
    await expect
      .poll(
        async () => {
          const received = (await (await fetch(`${receiver}/deliveries.json`)).json()) as { verified: boolean; summary: string }[];
          return received.some((entry) => entry.verified && entry.summary === `job.failed ${subject}`);
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);
  });

  it('cancels a running job and stops its process', async () => {
    const submitted = await api('/v1/jobs', {
      method: 'POST',
      headers: auth('rae'),
      body: JSON.stringify({
        name: 'e2e-sleep',
        image: 'busybox',
        command: ['sleep', '60'],
        hardwareType: 'cpu-small',
        maxRuntimeMinutes: 5,
      }),
    });
    const id = submitted.body.id as string;
    await expect
      .poll(async () => (await api(`/v1/jobs/${id}`, { headers: auth('rae') })).body.state, { timeout: 30_000, interval: 100 })
      .toBe('running');
    const cancelled = await api(`/v1/jobs/${id}/cancel`, { method: 'POST', headers: auth('rae') });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    const again = await api(`/v1/jobs/${id}/cancel`, { method: 'POST', headers: auth('rae') });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invalid_state');
  });

  it('answers bad requests with the error envelope, never a 500', async () => {
    const cases: [string, RequestInit, number][] = [
      ['/v1/unknown', { headers: auth('rae') }, 404],
      ['/v1/jobs', {}, 401],
      ['/v1/jobs', { headers: { authorization: 'Bearer dev:rae' } }, 401],
      ['/v1/jobs', { headers: { authorization: 'Bearer qm_not-a-real-key' } }, 401],
      ['/v1/jobs', { method: 'POST', headers: auth('vic'), body: '{}' }, 403],
      ['/v1/jobs', { method: 'POST', headers: auth('rae'), body: '{"name":' }, 400],
      ['/v1/jobs', { method: 'POST', headers: auth('rae'), body: '{"__proto__":{"x":1}}' }, 400],
      ['/v1/jobs', { method: 'POST', headers: { ...auth('rae'), 'content-type': 'text/plain' }, body: 'hi' }, 415],
      ['/v1/jobs/not-an-id', { headers: auth('rae') }, 400],
      ['/v1/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV', { headers: auth('rae') }, 404],
      ['/v1/jobs?limit=0', { headers: auth('rae') }, 400],
      ['/v1/jobs?cursor=%7B%7D', { headers: auth('rae') }, 400],
      ['/v1/jobs?state=bogus', { headers: auth('rae') }, 400],
    ];
    for (const [path, init, status] of cases) {
      const response = await api(path, init);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(typeof response.body.error.code).toBe('string');
    }
    const unknownHardware = await api('/v1/jobs', {
      method: 'POST',
      headers: auth('rae'),
      body: JSON.stringify({ name: 'x', image: 'busybox', command: ['true'], hardwareType: 'gpu-none-99x', maxRuntimeMinutes: 1 }),
    });
    expect(unknownHardware.status).toBe(422);
    expect(unknownHardware.body.error.details.fields[0].field).toBe('body.hardwareType');
  });

  it('signs in through the dev IdP: access token, server-side login to a session, refresh once', async () => {
    const me = await api('/v1/me', { headers: auth('rae') });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'rae', level: 'researcher', orgId: 'acme', authMethod: 'oidc' });
    const back = await signInThroughIdp({
      startUrl: `${url}/v1/auth/oidc/dev/login`,
      issuer,
      username: 'lin',
      password: demoPassword('lin'),
      ca,
    });
    const session = await api(`${back.pathname}${back.search}`);
    expect(session.status).toBe(200);
    const mine = await api('/v1/me', { headers: { authorization: `Bearer ${session.body.accessToken}` } });
    expect(mine.body).toMatchObject({ id: 'lin', level: 'lead', authMethod: 'session' });
    const refresh = (body: unknown) =>
      api('/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await refresh({ refreshToken: session.body.refreshToken })).status).toBe(200);
    expect((await refresh({ refreshToken: session.body.refreshToken })).status).toBe(401);
    expect((await api(`${back.pathname}${back.search}`)).status).toBe(401);
    // The public keys of those session tokens, served by the sessions function.
    const jwks = await api('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
  });

  it('keeps every demo user where the seed put them after signing in (gus stays globex admin, not a platform admin)', async () => {
    // Both ways in: the IdP's access token (the authorizer signs in), and the server-side login to a session.
    for (const user of DEMO_USERS) {
      const { accessToken } = await devIdpTokens({ issuer, username: user.id, password: demoPassword(user.id), ca });
      const me = await api('/v1/me', { headers: { authorization: `Bearer ${accessToken}` } });
      expect(me.body).toMatchObject({ id: user.id, orgId: user.orgId, level: user.level, platformAdmin: user.platformAdmin });
    }
    const back = await signInThroughIdp({
      startUrl: `${url}/v1/auth/oidc/dev/login`,
      issuer,
      username: 'gus',
      password: demoPassword('gus'),
      ca,
    });
    const session = await api(`${back.pathname}${back.search}`);
    const gus = await api('/v1/me', { headers: { authorization: `Bearer ${session.body.accessToken}` } });
    expect(gus.body).toMatchObject({ id: 'gus', orgId: 'globex', level: 'admin', platformAdmin: false, teamIds: ['robotics'] });
    // And as globex's admin he cannot reach acme's users.
    const acmeUsers = await api('/v1/orgs/acme/users', { headers: { authorization: `Bearer ${session.body.accessToken}` } });
    expect(acmeUsers.status).toBe(404);
  });

  it('explains a submission without writing it (the dry-run function, routed by the local server)', async () => {
    const before = (await api('/v1/jobs', { headers: auth('rae') })).body.items.length;
    const body = JSON.stringify({ name: 'dry-run', image: 'busybox', command: ['true'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 });
    const explained = await api('/v1/jobs/explain', { method: 'POST', headers: auth('rae'), body });
    expect(explained.status).toBe(200);
    expect(['admit', 'queue']).toContain(explained.body.verdict);
    expect(explained.body.estimate.costUsd).toBeGreaterThan(0);
    expect((await api('/v1/jobs', { headers: auth('rae') })).body.items.length).toBe(before);
  });

  it('holds a job for approval: the flow starts through the outbox and the approval bridge, a lead approves, the job runs', async () => {
    const rule = await api('/v1/approval-rules', {
      method: 'POST',
      headers: auth('ada'),
      body: JSON.stringify({ name: 'e2e-any-cost', condition: 'cost_exceeds', threshold: '0', required_approver_level: 'lead' }),
    });
    expect(rule.status).toBe(201);
    // The rule is written by the approvals function; the jobs function reads rules through its config cache, which
    // an earlier test's submission filled less than a second ago. A new rule applies once that cache expires.
    await new Promise((resolve) => setTimeout(resolve, LOCAL_CONFIG_CACHE_MS + 200));
    try {
      const submitted = await api('/v1/jobs', {
        method: 'POST',
        headers: auth('rae'),
        body: JSON.stringify({
          name: 'e2e-approve-me',
          image: 'busybox',
          command: ['true'],
          hardwareType: 'gpu-a10g-1x',
          maxRuntimeMinutes: 5,
        }),
      });
      expect(submitted.status).toBe(201);
      expect(submitted.body.state).toBe('pending_approval');
      const approvalId = submitted.body.approval.id as string;
      // `approval.required` is announced by the flow's first step: its mail proves the bridge started the execution.
      const mailbox = /Mailbox\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      await expect
        .poll(
          async () => {
            const mails = (await (await fetch(`${mailbox}/messages.json`)).json()) as { subject: string }[];
            return mails.some((mail) => mail.subject.includes(`approval.required: approval/${approvalId}`));
          },
          { timeout: 30_000, interval: 200 },
        )
        .toBe(true);
      const approved = await api(`/v1/approvals/${approvalId}/approve`, { method: 'POST', headers: auth('lin'), body: '{}' });
      expect(approved.status).toBe(200);
      expect(approved.body.state).toBe('approved');
      // The answer is immediate (the job is queued in the decision's transaction); the flow's resume is asynchronous.
      expect((await api(`/v1/jobs/${submitted.body.id as string}`, { headers: auth('rae') })).body.state).not.toBe('pending_approval');
      await expect
        .poll(async () => (await api(`/v1/jobs/${submitted.body.id as string}`, { headers: auth('rae') })).body.state, {
          timeout: 30_000,
          interval: 100,
        })
        .toBe('succeeded');
    } finally {
      // The later tests' jobs must not wait for approval (204, no body).
      await fetch(`${url}/v1/approval-rules/${rule.body.id as string}`, { method: 'DELETE', headers: auth('ada') });
    }
  });

  it('stops every process it started on Ctrl-C', async () => {
    expect(endpoints).toHaveLength(2);
    endpoints.push(issuer);
    dev.kill('SIGINT');
    await new Promise<void>((resolve) => (dev.exitCode !== null ? resolve() : dev.once('exit', () => resolve())));
    expect(dev.exitCode).toBe(0);
    for (const endpoint of endpoints) await expect.poll(() => portOpen(endpoint), { timeout: 10_000 }).toBe(false);
    expect(await portOpen(url)).toBe(false);
  });
});

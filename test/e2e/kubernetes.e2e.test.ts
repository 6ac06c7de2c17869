import { type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devIdpTokens } from '#scripts/local/dev-idp-login';
import { demoPassword } from '#scripts/local/local-identity';
import { startLocalStack } from '#test-support/local-stack-process';

/**
 * One job on the `dev-k8s` cluster, end to end through `scripts/local/dev.ts` (what `npm run dev` runs),
 * over HTTP only: submit naming the cluster, the dispatcher creates the Job on the fake Kubernetes API
 * server (the documented test double), the status poller follows it to the end, the logs endpoint reads
 * the pod log, and the cluster shows in the registry with its health.
 */
let dev: ChildProcess;
let output = '';
let url = '';
let token = '';
let adminToken = '';

async function api(path: string, init: RequestInit & { as?: string } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${init.as ?? token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  const stack = await startLocalStack('qm-e2e-kube-');
  ({ process: dev, output, url } = stack);
  const { issuer, ca } = stack;
  token = (await devIdpTokens({ issuer, username: 'rae', password: demoPassword('rae'), ca })).accessToken;
  adminToken = (await devIdpTokens({ issuer, username: 'ada', password: demoPassword('ada'), ca })).accessToken;
});

afterAll(() => {
  if (dev && dev.exitCode === null) dev.kill('SIGINT');
});

describe('a job on dev-k8s (fake Kubernetes API server), end to end over HTTP', () => {
  it('prints the cluster, runs the job to success, and serves its pod log', async () => {
    expect(output).toMatch(/Kubernetes\s+https:\/\/127\.0\.0\.1:\d+\s+\(cluster "dev-k8s"/);
    const submitted = await api('/v1/jobs', {
      method: 'POST',
      headers: { 'idempotency-key': 'e2e-k8s-1' },
      body: JSON.stringify({
        name: 'hello-k8s',
        image: 'busybox',
        command: ['sh', '-c', 'echo hello from dev-k8s; echo second line'],
        hardwareType: 'gpu-a10g-1x',
        maxRuntimeMinutes: 5,
        cluster: 'dev-k8s',
      }),
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ backend: 'kubernetes', placement: { cluster: 'dev-k8s', namespace: 'research' } });
    const id = submitted.body.id as string;

    let job: any;
    const deadline = Date.now() + 60_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 500));
      job = (await api(`/v1/jobs/${id}`)).body;
    } while (!['succeeded', 'failed', 'timed_out', 'cancelled'].includes(job.state) && Date.now() < deadline);
    expect(job).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(job.history.map((h: { state: string }) => h.state)).toEqual(
      expect.arrayContaining(['queued', 'admitted', 'starting', 'running', 'succeeded']),
    );

    const logs = await api(`/v1/jobs/${id}/logs`);
    expect(logs.status).toBe(200);
    expect(logs.body.lines.map((l: { message: string }) => l.message)).toEqual(['hello from dev-k8s', 'second line']);
  });

  it('the platform admin sees dev-k8s in the registry, healthy, with its GPU pools', async () => {
    const health = await api('/v1/clusters/dev-k8s/health', { as: adminToken });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ cluster: 'dev-k8s', status: 'healthy' });
    expect(health.body.pools.map((p: { pool: string }) => p.pool)).toEqual(['a100', 'a10g']);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthzWorld, type AuthzWorld } from '#test-support/authz-world';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const job = (extra: Record<string, unknown> = {}) => ({
  name: 'place',
  image: 'busybox',
  command: ['true'],
  hardwareType: 'gpu-a10g-1x',
  maxRuntimeMinutes: 5,
  ...extra,
});

/**
 * Where a Kubernetes job goes (DESIGN §4.2, §4.4), through the real jobs and explain handlers on DynamoDB
 * Local: the org's and the team's namespaces of each cluster, and resource rules of type `cluster` and
 * `namespace` ("leads may deploy to team-x-* namespaces of gpu-east only"). Nothing here talks to a cluster.
 */
describe('placement of Kubernetes jobs: clusters, namespaces, resource rules', () => {
  let world: AuthzWorld;

  beforeAll(async () => {
    world = await createAuthzWorld();
    await world.putUser({ id: 'plat', level: 'admin', platformAdmin: true });
    await world.putUser({ id: 'admin-a', level: 'admin' });
    await world.putUser({ id: 'rae', level: 'researcher', teamIds: ['vision'] });
    await world.putUser({ id: 'lin', level: 'lead', teamIds: ['vision'] });
    await world.putUser({ id: 'gus', orgId: 'globex', level: 'researcher', teamIds: ['robotics'] });
    const register = (id: string, orgs: unknown[]) =>
      world.call('plat', 'registerCluster', {
        body: { id, kind: 'generic', endpoint: `https://${id}.k8s.example`, caPem: CA, orgs, hardware: { 'gpu-a10g-1x': {} } },
      });
    expect(
      (await register('gpu-east', [{ orgId: 'acme', namespaces: ['research'], teams: [{ teamId: 'vision', namespaces: ['team-x-*'] }] }]))
        .status,
    ).toBe(201);
    expect((await register('gpu-west', [{ orgId: 'acme', namespaces: ['shared'] }])).status).toBe(201);
    for (const [type, pattern] of [
      ['cluster', 'gpu-east'],
      ['namespace', 'gpu-east/team-x-*'],
    ]) {
      const rule = await world.call('admin-a', 'createResourceRule', { body: { type, pattern, action: 'allow', level: 'lead' } });
      expect(rule.status).toBe(201);
    }
  });

  it('without rules: the first cluster (by id) the org may use, and its first concrete namespace', async () => {
    const explained = await world.call('rae', 'explainJob', { body: job({ backend: 'kubernetes' }) });
    expect(explained.json.placement).toMatchObject({ backend: 'kubernetes', cluster: 'gpu-east', namespace: 'research', passedOver: [] });
    expect(explained.json.reasons).toContain('Would run on cluster gpu-east, namespace research');
    const submitted = await world.call('rae', 'submitJob', {
      body: job({ cluster: 'gpu-west' }),
      headers: { 'idempotency-key': 'west-1' },
    });
    expect(submitted.status).toBe(201);
    expect((await world.jobs.get(submitted.json.id))?.placement).toEqual({ cluster: 'gpu-west', namespace: 'shared' });
  });

  it("team namespaces: members of the team may use them, as a glob; others' namespaces are refused with the allowed list", async () => {
    const ok = await world.call('rae', 'explainJob', { body: job({ cluster: 'gpu-east', namespace: 'team-x-dev' }) });
    expect(ok.json.placement).toMatchObject({ cluster: 'gpu-east', namespace: 'team-x-dev' });
    const refused = await world.call('rae', 'submitJob', {
      body: job({ cluster: 'gpu-east', namespace: 'kube-system' }),
      headers: { 'idempotency-key': 'ks' },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error.message).toContain('namespace kube-system is not one your org or team vision may use (research, team-x-*)');
  });

  it('rules: a lead may deploy to team-x-* namespaces of gpu-east only, and explain says why not elsewhere', async () => {
    const allowed = await world.call('lin', 'submitJob', {
      body: job({ cluster: 'gpu-east', namespace: 'team-x-train' }),
      headers: { 'idempotency-key': 'l1' },
    });
    expect(allowed.status).toBe(201);
    const research = await world.call('lin', 'submitJob', {
      body: job({ cluster: 'gpu-east', namespace: 'research' }),
      headers: { 'idempotency-key': 'l2' },
    });
    expect(research.status).toBe(403);
    expect(research.json.error.message).toContain('no resource rule allows gpu-east/research');
    const west = await world.call('lin', 'explainJob', { body: job({ cluster: 'gpu-west' }) });
    expect(west.json).toMatchObject({
      verdict: 'deny',
      reasons: [expect.stringContaining('gpu-west: no resource rule allows it (allowed: gpu-east)')],
    });
    // Automatic placement: research (the only concrete namespace on gpu-east) is not allowed, gpu-west neither.
    const auto = await world.call('lin', 'explainJob', { body: job({ backend: 'kubernetes' }) });
    expect(auto.json.verdict).toBe('deny');
    expect(auto.json.reasons[0]).toMatch(/gpu-east: no resource rule allows gpu-east\/research; gpu-west: no resource rule allows it/);
  });

  it("another org's cluster answers 404 naming the field, like a missing one", async () => {
    for (const cluster of ['gpu-east', 'nowhere']) {
      const response = await world.call('gus', 'submitJob', { body: job({ cluster }), headers: { 'idempotency-key': `g-${cluster}` } });
      expect(response.status).toBe(404);
      expect(response.json.error).toMatchObject({
        message: `No cluster "${cluster}" in this org`,
        details: { fields: [{ field: 'body.cluster' }] },
      });
    }
  });

  it('cluster and namespace belong to the kubernetes backend; Kubernetes secretRefs name a Secret of the namespace', async () => {
    const local = await world.call('rae', 'submitJob', {
      body: job({ backend: 'local', cluster: 'gpu-east' }),
      headers: { 'idempotency-key': 'lc' },
    });
    expect(local.status).toBe(400);
    expect(JSON.stringify(local.json.error)).toContain('body.cluster');
    const arn = await world.call('rae', 'submitJob', {
      body: job({ cluster: 'gpu-east', env: [{ name: 'HF_TOKEN', secretRef: 'quartermaster/acme/hf' }] }),
      headers: { 'idempotency-key': 'sr' },
    });
    expect(arn.status).toBe(400);
    expect(JSON.stringify(arn.json.error)).toContain('<secret name>/<key>');
    const ref = await world.call('rae', 'submitJob', {
      body: job({ cluster: 'gpu-east', env: [{ name: 'HF_TOKEN', secretRef: 'hf-token/token' }] }),
      headers: { 'idempotency-key': 'sr2' },
    });
    expect(ref.status).toBe(201);
  });
});

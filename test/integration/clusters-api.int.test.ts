import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthzWorld, type AuthzWorld } from '#test-support/authz-world';
import { startKubeWorld, type KubeWorld } from '#test-support/kube-fixture';

/**
 * The cluster registry through the real middy chain, access gate and audit log on DynamoDB Local. Health
 * checks reach the fake Kubernetes API server (a documented test double: no real API server runs here);
 * Secrets Manager is stood in for by the local stack's file-backed secret store.
 */
describe('cluster registry API (fake Kubernetes API server, file secret store stand-ins)', () => {
  let world: AuthzWorld;
  let kube: KubeWorld;
  const TOKEN = 'sa-token-do-not-leak-1';

  const registration = (overrides: Record<string, unknown> = {}) => ({
    id: 'gpu-east',
    kind: 'generic',
    endpoint: kube.server.url,
    caPem: kube.server.caPem,
    orgs: [
      { orgId: 'acme', namespaces: ['research'], teams: [{ teamId: 'vision', namespaces: ['team-x-*'] }] },
      { orgId: 'globex', namespaces: ['globex-*'] },
    ],
    hardware: { 'gpu-a10g-1x': { nodeSelector: { 'eks.amazonaws.com/nodegroup': 'a10g' } } },
    ...overrides,
  });

  beforeAll(async () => {
    world = await createAuthzWorld();
    kube = await startKubeWorld();
    kube.server.grantToken(TOKEN, { user: 'system:serviceaccount:qm:api', namespaces: '*', clusterRead: true });
    await world.putUser({ id: 'plat', level: 'admin', platformAdmin: true });
    await world.putUser({ id: 'acme-admin', level: 'admin' });
    await world.putUser({ id: 'acme-lead', level: 'lead', teamIds: ['vision'] });
    await world.putUser({ id: 'globex-admin', orgId: 'globex', level: 'admin' });
    await world.putUser({ id: 'initech-admin', orgId: 'globex', level: 'admin', teamIds: [] });
  });
  afterAll(async () => {
    await kube?.close();
  });

  it('platform admins register; org admins may not (403, audited)', async () => {
    expect((await world.call('acme-admin', 'registerCluster', { body: registration() })).status).toBe(403);
    const created = await world.call('plat', 'registerCluster', { body: registration() });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id: 'gpu-east',
      kind: 'generic',
      endpoint: kube.server.url,
      gpuResource: 'nvidia.com/gpu',
      hasCredentials: false,
      enabled: true,
      version: 1,
    });
    expect(created.json).not.toHaveProperty('credentialsRef');
    expect((await world.call('plat', 'registerCluster', { body: registration() })).status).toBe(409);
  });

  it('org admins see the clusters their org may use, with their own org entry only; other ids are 404', async () => {
    const acme = await world.call('acme-admin', 'listClusters');
    expect(acme.json.items).toHaveLength(1);
    expect(acme.json.items[0].orgs).toEqual([
      { orgId: 'acme', namespaces: ['research'], teams: [{ teamId: 'vision', namespaces: ['team-x-*'] }] },
    ]);
    const globex = await world.call('globex-admin', 'getCluster', { params: { id: 'gpu-east' } });
    expect(globex.json.orgs.map((o: { orgId: string }) => o.orgId)).toEqual(['globex']);
    expect((await world.call('acme-admin', 'getCluster', { params: { id: 'nowhere' } })).status).toBe(404);
    expect((await world.call('acme-lead', 'listClusters')).status).toBe(403);
    const all = await world.call('plat', 'listClusters');
    expect(all.json.items[0].orgs).toHaveLength(2);
  });

  it('bad registrations are 4xx naming the field, and write nothing', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ id: 'c-http', endpoint: 'http://10.0.0.5' }, 400, 'body.endpoint'],
      [{ id: 'c-imds', endpoint: 'https://169.254.169.254' }, 400, 'body.endpoint'],
      [{ id: 'c-imds6', endpoint: 'https://[fd00:ec2::254]' }, 400, 'body.endpoint'],
      [{ id: 'c-path', endpoint: `${kube.server.url}/api` }, 400, 'body.endpoint'],
      [{ id: 'c-ca', caPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----' }, 400, 'body.caPem'],
      [{ id: 'c-org', orgs: [{ orgId: 'nobody', namespaces: ['x'] }] }, 422, 'body.orgs.0.orgId'],
      [{ id: 'c-hw', hardware: { 'gpu-h900-1x': {} } }, 422, 'body.hardware.gpu-h900-1x'],
      [{ id: 'c-eks', kind: 'eks' }, 422, 'body.eks'],
      [{ id: 'Bad_Id' }, 400, 'body.id'],
    ];
    for (const [overrides, status, field] of cases) {
      const response = await world.call('plat', 'registerCluster', { body: registration(overrides) });
      expect({ overrides, status: response.status }).toEqual({ overrides, status });
      expect(JSON.stringify(response.json.error)).toContain(field);
    }
    const ids = (await world.call('plat', 'listClusters')).json.items.map((c: { id: string }) => c.id);
    expect(ids).toEqual(['gpu-east']);
  });

  it('credentials are write-only: stored in the secret store, never in a response, the table or the audit log', async () => {
    const stored = await world.call('plat', 'setClusterCredentials', { params: { id: 'gpu-east' }, body: { kind: 'token', token: TOKEN } });
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({ hasCredentials: true, credentialsKind: 'token' });
    expect(stored.text).not.toContain(TOKEN);
    const items = await world.table.doc.send(new ScanCommand({ TableName: world.table.tableName }));
    expect(JSON.stringify(items.Items)).not.toContain(TOKEN);
    expect(JSON.stringify(items.Items)).toContain('cluster.credentials.rotate');
    const cluster = await world.clusters.get('gpu-east');
    expect(JSON.parse(await world.clusterSecrets.get(cluster!.credentialsRef!))).toEqual({ kind: 'token', token: TOKEN });
    expect(
      (await world.call('acme-admin', 'setClusterCredentials', { params: { id: 'gpu-east' }, body: { kind: 'token', token: 'x' } })).status,
    ).toBe(403);
  });

  it('kubeconfigs with exec, auth-provider, file references, several contexts or insecure-skip-tls-verify are refused with the reason', async () => {
    const kubeconfig = (cluster: string, user: string, contexts = 'contexts:\n- name: c\n  context: {cluster: k, user: u}\n') =>
      `apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: ${kube.server.url}\n${cluster}users:\n- name: u\n  user:\n${user}${contexts}current-context: c\n`;
    const refusals: Array<[string, string]> = [
      [
        kubeconfig('', '    exec: {command: aws, apiVersion: client.authentication.k8s.io/v1beta1}\n'),
        'exec credential plugins are not allowed',
      ],
      [kubeconfig('', '    auth-provider: {name: oidc}\n'), 'auth-provider plugins are not allowed'],
      [kubeconfig('', '    token-file: /var/run/secrets/token\n'), 'token-file refers to a file'],
      [kubeconfig('    certificate-authority: /etc/ca.pem\n', '    token: t\n'), 'certificate-authority refers to a file'],
      [kubeconfig('    insecure-skip-tls-verify: true\n', '    token: t\n'), 'insecure-skip-tls-verify is not allowed'],
      [
        kubeconfig(
          '',
          '    token: t\n',
          'contexts:\n- name: a\n  context: {cluster: k, user: u}\n- name: b\n  context: {cluster: k, user: u}\n',
        ),
        '2 contexts',
      ],
      [kubeconfig('', '    token: t\n').replace(kube.server.url, 'https://elsewhere.example:6443'), 'is not the registered endpoint'],
      ['clusters: [unclosed', 'not valid YAML'],
    ];
    for (const [text, reason] of refusals) {
      const response = await world.call('plat', 'setClusterCredentials', {
        params: { id: 'gpu-east' },
        body: { kind: 'kubeconfig', kubeconfig: text },
      });
      expect(response.status, reason).toBeGreaterThanOrEqual(400);
      expect(response.status, reason).toBeLessThan(500);
      expect(response.json.error.message).toContain(reason);
    }
    const accepted = await world.call('plat', 'setClusterCredentials', {
      params: { id: 'gpu-east' },
      body: { kind: 'kubeconfig', kubeconfig: kubeconfig('', `    token: ${TOKEN}\n`) },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({ credentialsKind: 'kubeconfig', hasCredentials: true });
  });

  it('health: healthy with GPUs per node pool; a revoked credential is degraded; rotation heals it', async () => {
    const healthy = await world.call('acme-admin', 'getClusterHealth', { params: { id: 'gpu-east' } });
    expect(healthy.json).toMatchObject({ cluster: 'gpu-east', status: 'healthy', version: 'v1.31.0-fake' });
    expect(healthy.json.pools).toEqual([
      { pool: 'a100', nodes: 1, allocatableGpus: 8, requestedGpus: 0 },
      { pool: 'a10g', nodes: 2, allocatableGpus: 8, requestedGpus: 0 },
      { pool: 'cpu', nodes: 1, allocatableGpus: 0, requestedGpus: 0 },
    ]);
    kube.server.revokeToken(TOKEN);
    const degraded = await world.call('acme-admin', 'getClusterHealth', { params: { id: 'gpu-east' } });
    expect(degraded.json).toMatchObject({ status: 'degraded', message: expect.stringContaining('401') });
    expect(degraded.text).not.toContain(TOKEN);
    kube.server.grantToken('sa-token-2', { user: 'system:serviceaccount:qm:api', namespaces: '*', clusterRead: true });
    await world.call('plat', 'setClusterCredentials', { params: { id: 'gpu-east' }, body: { kind: 'token', token: 'sa-token-2' } });
    expect((await world.call('acme-admin', 'getClusterHealth', { params: { id: 'gpu-east' } })).json.status).toBe('healthy');
  });

  it('an endpoint nobody answers is unreachable', async () => {
    const closed = await world.call('plat', 'registerCluster', { body: registration({ id: 'gone', endpoint: 'https://127.0.0.1:9' }) });
    expect(closed.status).toBe(201);
    await world.call('plat', 'setClusterCredentials', { params: { id: 'gone' }, body: { kind: 'token', token: 'x' } });
    const health = await world.call('plat', 'getClusterHealth', { params: { id: 'gone' } });
    expect(health.json).toMatchObject({ cluster: 'gone', status: 'unreachable' });
  });

  it('PUT changes a cluster (not its kind); DELETE disables it, and orgs no longer see it', async () => {
    const changed = await world.call('plat', 'replaceCluster', {
      params: { id: 'gpu-east' },
      body: { ...registration(), id: undefined, kueueQueue: 'gpu-queue' },
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ kueueQueue: 'gpu-queue', hasCredentials: true });
    const kind = await world.call('plat', 'replaceCluster', {
      params: { id: 'gpu-east' },
      body: { ...registration(), id: undefined, kind: 'eks', eks: { clusterName: 'east', region: 'us-east-1' } },
    });
    expect(kind.status).toBe(422);
    expect((await world.call('acme-admin', 'disableCluster', { params: { id: 'gpu-east' } })).status).toBe(403);
    expect((await world.call('plat', 'disableCluster', { params: { id: 'gpu-east' } })).json.enabled).toBe(false);
    expect((await world.call('acme-admin', 'getCluster', { params: { id: 'gpu-east' } })).status).toBe(404);
    expect((await world.call('plat', 'getCluster', { params: { id: 'gpu-east' } })).json.enabled).toBe(false);
  });
});

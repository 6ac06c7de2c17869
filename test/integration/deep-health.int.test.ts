import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthzWorld, type AuthzWorld } from '#test-support/authz-world';
import { startKubeWorld, type KubeWorld } from '#test-support/kube-fixture';

/**
 * `GET /health` (deep) through the real middy chain and access gate on DynamoDB Local: DynamoDB and each
 * cluster the caller may see, checked in parallel with a bound per cluster. Clusters are the fake Kubernetes
 * API server (a documented test double), a port nobody listens on, and a server that accepts connections and
 * never answers (a hung API server). Secrets Manager is stood in for by the file-backed secret store.
 */
describe('deep health with registered clusters (fake Kubernetes API server, file secret store stand-ins)', () => {
  let world: AuthzWorld;
  let kube: KubeWorld;
  let hung: Server;
  const sockets: Socket[] = [];
  const TOKEN = 'sa-token-deep-health';

  const register = async (id: string, endpoint: string, orgs: string[]) => {
    const body = {
      id,
      kind: 'generic',
      endpoint,
      caPem: kube.server.caPem,
      orgs: orgs.map((orgId) => ({ orgId, namespaces: ['research'] })),
    };
    expect((await world.call('plat', 'registerCluster', { body })).status).toBe(201);
    const credentials = { kind: 'token', token: TOKEN };
    expect((await world.call('plat', 'setClusterCredentials', { params: { id }, body: credentials })).status).toBe(200);
  };

  beforeAll(async () => {
    world = await createAuthzWorld();
    kube = await startKubeWorld();
    kube.server.grantToken(TOKEN, { user: 'system:serviceaccount:qm:health', namespaces: '*', clusterRead: true });
    hung = createServer((socket) => sockets.push(socket)); // accepts, never speaks TLS
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const hungPort = (hung.address() as { port: number }).port;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));

    await world.putUser({ id: 'plat', level: 'admin', platformAdmin: true });
    await world.putUser({ id: 'acme-admin', level: 'admin' });
    await world.putUser({ id: 'acme-lead', level: 'lead', teamIds: ['vision'] });
    await world.putUser({ id: 'globex-admin', orgId: 'globex', level: 'admin' });
    await register('gpu-east', kube.server.url, ['acme', 'globex']);
    await register('gpu-dark', `https://127.0.0.1:${closedPort}`, ['acme']);
    await register('gpu-hung', `https://127.0.0.1:${hungPort}`, ['acme']);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => hung?.close(resolve));
    await kube?.close();
  });

  it('reports each visible cluster healthy, degraded or unreachable, checked in parallel within the bound', async () => {
    const started = Date.now();
    const response = await world.call('acme-admin', 'healthDeep');
    const elapsed = Date.now() - started;
    expect(response.status).toBe(200);
    expect(response.json.status).toBe('degraded');
    expect(response.json.checks.dynamodb.status).toBe('ok');
    const byId = Object.fromEntries(response.json.clusters.map((c: { cluster: string }) => [c.cluster, c]));
    expect(Object.keys(byId).sort()).toEqual(['gpu-dark', 'gpu-east', 'gpu-hung']);
    expect(byId['gpu-east']).toMatchObject({ status: 'healthy', version: expect.stringMatching(/^v1\./) });
    expect(byId['gpu-dark']).toMatchObject({ status: 'unreachable' });
    expect(byId['gpu-hung']).toMatchObject({ status: 'unreachable', message: 'no answer within 3000 ms' });
    // Three clusters, one of them hung for the whole bound: checked side by side, not one after another.
    expect(elapsed).toBeLessThan(2 * 3000);
  });

  it("shows another org only the clusters it may use, and no caller an endpoint, CA or the other orgs' clusters", async () => {
    const globex = await world.call('globex-admin', 'healthDeep');
    expect(globex.status).toBe(200);
    expect(globex.json.clusters.map((c: { cluster: string }) => c.cluster)).toEqual(['gpu-east']);
    expect(globex.json.status).toBe('ok');
    for (const caller of ['globex-admin', 'acme-admin', 'plat']) {
      const text = JSON.stringify((await world.call(caller, 'healthDeep')).json);
      expect(text).not.toContain(kube.server.url);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('BEGIN CERTIFICATE');
      expect(text).not.toContain(TOKEN);
    }
  });

  it('is for admins: a lead is refused (403)', async () => {
    expect((await world.call('acme-lead', 'healthDeep')).status).toBe(403);
  });
});

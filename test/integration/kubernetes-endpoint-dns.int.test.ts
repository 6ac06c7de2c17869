import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterAddressRefused, KubeConnector, type HostResolver, type KubeCredentialSource } from '#adapters/kubernetes/kube-connection';
import { clusterFor, startKubeWorld, type KubeWorld } from '#test-support/kube-fixture';

/**
 * The endpoint's host name is resolved at every connect and each address re-checked (DNS rebinding must not
 * reach the metadata service), then the connection is pinned to the checked addresses. Against the fake
 * Kubernetes API server (a test double, docs/kubernetes.md) with the real @kubernetes/client-node; `localhost`
 * goes through the system resolver, and a substituted resolver plays a name that now answers another address.
 */
describe('Kubernetes endpoint host names: resolved and re-checked at connect (fake API server, test double)', () => {
  let world: KubeWorld;
  let endpoint: string;
  const token: KubeCredentialSource = { credentialsFor: async () => ({ token: world.token.current }) };

  beforeAll(async () => {
    world = await startKubeWorld();
    endpoint = world.server.url.replace('127.0.0.1', 'localhost');
  });
  afterAll(async () => world.close());

  const connectorWith = (options: { allowLoopback: boolean; resolve?: HostResolver }) => {
    const cluster = clusterFor(world.server, { endpoint });
    return new KubeConnector({ get: async () => cluster }, token, {
      endpointPolicy: { allowLoopback: options.allowLoopback },
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
  };

  it('connects through a host name the system resolver maps to loopback (local stack policy)', async () => {
    const connection = await connectorWith({ allowLoopback: true }).connect('fake');
    expect((await connection!.version.getCode()).gitVersion).toMatch(/^v1\./);
  });

  it('refuses, before any request, a name that now resolves to the instance-metadata address (rebinding)', async () => {
    const before = world.server.requests.length;
    const rebinding: HostResolver = async () => ['169.254.169.254'];
    await expect(connectorWith({ allowLoopback: true, resolve: rebinding }).connect('fake')).rejects.toThrow(ClusterAddressRefused);
    await expect(connectorWith({ allowLoopback: true, resolve: async () => ['::ffff:169.254.169.254'] }).connect('fake')).rejects.toThrow(
      /link-local or instance-metadata/,
    );
    await expect(
      connectorWith({ allowLoopback: true, resolve: async () => ['10.0.0.7', 'fd00:ec2::254'] }).connect('fake'),
    ).rejects.toThrow(/link-local or instance-metadata/);
    expect(world.server.requests.length).toBe(before);
  });

  it('refuses a name that resolves to loopback outside the local stack', async () => {
    await expect(connectorWith({ allowLoopback: false }).connect('fake')).rejects.toThrow(/loopback address/);
    await expect(connectorWith({ allowLoopback: false, resolve: async () => ['0.0.0.0'] }).connect('fake')).rejects.toThrow(/unspecified/);
  });

  it('connects to the checked address only: the socket never re-resolves the name', async () => {
    // 127.0.0.2 is loopback too (allowed here), but nothing listens there: a connection that went through
    // the system resolver instead (localhost → 127.0.0.1) would succeed.
    const pinnedElsewhere = await connectorWith({ allowLoopback: true, resolve: async () => ['127.0.0.2'] }).connect('fake');
    await expect(pinnedElsewhere!.version.getCode()).rejects.toThrow(/ECONNREFUSED|fetch failed|connect/i);
    const pinnedHere = await connectorWith({ allowLoopback: true, resolve: async () => ['127.0.0.1'] }).connect('fake');
    expect((await pinnedHere!.version.getCode()).gitVersion).toMatch(/^v1\./);
  });
});

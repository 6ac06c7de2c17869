import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeJob } from '#domain/clusters/placement.service';
import type { Principal } from '#domain/authz/principal';
import type { ResourceRule } from '#domain/authz/resource-rule.schema';
import { clusterSchema, type Cluster } from '#domain/clusters/cluster.schema';
import type { IdentityProvider } from '#domain/identity/identity-provider.schema';
import type { User } from '#domain/users/user.schema';
import { createAuthzWorld, ORGS, TEAMS, type AuthzWorld } from '#test-support/authz-world';
import {
  accessClaims,
  authorize,
  mintRs256,
  oidcProvider,
  startIdentityFixture,
  type IdentityFixture,
} from '#test-support/identity-fixture';

/**
 * Identity-provider group mappings grant clusters and namespaces (docs/permissions.md (Clusters from identity groups)),
 * as the seed's hub syncs groups to cluster access: checked when a provider is saved (only clusters the
 * mapping's org may use; a foreign or missing one is 404 naming the field), synced onto the user at every
 * sign-in through the real authorizer (dev IdP signing key, DynamoDB Local), and counted as allow rules when
 * a job is placed.
 */
const now = '2026-01-01T00:00:00.000Z';
const cluster = (id: string, orgs: string[]): Cluster =>
  clusterSchema.parse({
    id,
    kind: 'generic',
    endpoint: `https://${id}.k8s.example.test`,
    caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    orgs: orgs.map((orgId) => ({ orgId, namespaces: ['research', 'team-x-*'] })),
    hardware: { 'gpu-a10g-1x': {} },
    createdBy: 'platform',
    createdAt: now,
    updatedAt: now,
    version: 1,
  });

describe('saving a provider: a group may be granted only clusters its org may use', () => {
  let world: AuthzWorld;
  const provider = (id: string, orgId: string, clusterAccess: unknown) => ({
    id,
    type: 'oidc',
    displayName: `Provider ${id}`,
    defaultOrgId: orgId,
    issuer: `https://${id}.idp.example.test`,
    clientId: 'qm',
    groupMappings: [{ group: 'gpu-users', level: 'researcher', teamIds: [], clusterAccess }],
  });

  beforeAll(async () => {
    world = await createAuthzWorld();
    await world.putUser({ id: 'cg-ada', orgId: ORGS.acme, level: 'admin', teamIds: [TEAMS.vision] });
    await world.putUser({ id: 'cg-gus', orgId: ORGS.globex, level: 'admin', teamIds: [TEAMS.robotics] });
    await world.clusters.save(cluster('acme-gpus', [ORGS.acme]), 0);
  }, 60_000);

  it("accepts the org's own cluster, with namespace globs", async () => {
    const id = world.unique('cg');
    const created = await world.call('cg-ada', 'createIdentityProvider', {
      body: provider(id, ORGS.acme, [{ cluster: 'acme-gpus', namespaces: ['team-x-*'] }]),
    });
    expect(created.status, created.text).toBe(201);
    expect((await world.providers.get(id))?.groupMappings[0]?.clusterAccess).toEqual([{ cluster: 'acme-gpus', namespaces: ['team-x-*'] }]);
  });

  it("refuses another org's cluster and a missing one alike: 404 naming the field, nothing stored", async () => {
    for (const name of ['acme-gpus', 'no-such-cluster']) {
      const id = world.unique('cg');
      const refused = await world.call('cg-gus', 'createIdentityProvider', { body: provider(id, ORGS.globex, [{ cluster: name }]) });
      expect(refused.status, refused.text).toBe(404);
      expect(refused.json.error.details.field).toBe('body.groupMappings.0.clusterAccess.0.cluster');
      expect(JSON.stringify(refused.json)).not.toContain('acme');
      expect(await world.providers.get(id)).toBeUndefined();
    }
  });

  it('refuses a malformed grant with 400 naming the field', async () => {
    const refused = await world.call('cg-ada', 'createIdentityProvider', {
      body: provider(world.unique('cg'), ORGS.acme, [{ cluster: 'Not A Cluster' }]),
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json.error.details)).toContain('clusterAccess');
  });
});

describe('signing in syncs the grants of the groups the user is in', () => {
  let fx: IdentityFixture;
  let audience = '';
  const mappings: IdentityProvider['groupMappings'] = [
    { group: 'researchers', level: 'researcher', teamIds: [], platformAdmin: false },
    { group: 'gpu-east-x', teamIds: [], platformAdmin: false, clusterAccess: [{ cluster: 'gpu-east', namespaces: ['team-x-*'] }] },
    { group: 'gpu-west', teamIds: [], platformAdmin: false, clusterAccess: [{ cluster: 'gpu-west', namespaces: ['*'] }] },
  ];
  const tokenFor = (sub: string, roles: readonly string[]) =>
    mintRs256(
      { kid: fx.idp.signingKey.kid, typ: 'at+jwt' },
      accessClaims(fx.idp, sub, { aud: audience, client_id: 'any-client', realm_access: { roles } }),
      fx.idp.signingKey.privateKeyPem,
    );

  beforeAll(async () => {
    fx = await startIdentityFixture();
    audience = 'urn:cluster-groups';
    await fx.stores.providers.put(
      oidcProvider(fx.idp.issuer, { id: 'cluster-groups', audience, allowedClientIds: [], defaultOrgId: 'acme', groupMappings: mappings }),
      { expectNew: true },
    );
    const user: User = {
      schemaVersion: 1,
      id: 'grace',
      email: 'grace@acme.example',
      displayName: 'Grace',
      orgId: 'acme',
      level: 'researcher',
      platformAdmin: false,
      teamIds: [],
      status: 'active',
      createdAt: now,
      authzVersion: 1,
    };
    await fx.stores.users.create(user);
    await fx.stores.identities.link({ providerId: 'cluster-groups', subject: `${fx.idp.issuer}#grace`, userId: 'grace', createdAt: now });
  });
  afterAll(async () => fx?.stop());

  it('grants what the matching mappings name, and takes it back when the group goes', async () => {
    const first = await authorize(fx.newAuthorizer(), tokenFor('grace', ['researchers', 'gpu-east-x']));
    expect(first.isAuthorized).toBe(true);
    expect((await fx.stores.users.get('grace'))?.resourceGrants).toEqual([
      { type: 'cluster', pattern: 'gpu-east' },
      { type: 'namespace', pattern: 'gpu-east/team-x-*' },
    ]);
    const later = await authorize(fx.newAuthorizer(), tokenFor('grace', ['researchers', 'gpu-west']));
    expect(later.isAuthorized).toBe(true);
    expect((await fx.stores.users.get('grace'))?.resourceGrants).toEqual([
      { type: 'cluster', pattern: 'gpu-west' },
      { type: 'namespace', pattern: 'gpu-west/*' },
    ]);
  });
});

describe('placing a job: group grants are allow rules beside the org rules', () => {
  const clusters = { list: async () => [cluster('gpu-east', ['acme']), cluster('gpu-west', ['acme']), cluster('globex-gpus', ['globex'])] };
  const rule = (id: string, type: 'cluster' | 'namespace', pattern: string): ResourceRule => ({
    schemaVersion: 1,
    id,
    orgId: 'acme',
    type,
    pattern,
    action: 'allow',
    level: 'researcher',
    description: '',
    createdBy: 'ada',
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  // Researchers of acme may use gpu-west only (an allow-list): grants widen it for the group's members.
  const rules = [rule('r1', 'cluster', 'gpu-west')];
  const principal = (resourceGrants: Principal['resourceGrants']): Principal => ({
    userId: 'grace',
    orgId: 'acme',
    level: 'researcher',
    platformAdmin: false,
    teamIds: [],
    authMethod: 'oidc',
    ...(resourceGrants ? { resourceGrants } : {}),
  });
  const request = { hardwareType: 'gpu-a10g-1x', cluster: 'gpu-east', namespace: 'team-x-dev' };

  it('without the grant the org rules hold (403 naming the cluster rule)', async () => {
    await expect(placeJob(principal(undefined), request, clusters, rules)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('with it, the granted cluster and namespaces are allowed, and others still are not', async () => {
    const granted = principal([
      { type: 'cluster', pattern: 'gpu-east' },
      { type: 'namespace', pattern: 'gpu-east/team-x-*' },
    ]);
    expect((await placeJob(granted, request, clusters, rules)).placement).toEqual({ cluster: 'gpu-east', namespace: 'team-x-dev' });
    // The namespace grant is an allow-list for gpu-east: `research` is not in it.
    await expect(placeJob(granted, { ...request, namespace: 'research' }, clusters, rules)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("never opens another org's cluster, whatever a grant names (404 naming body.cluster)", async () => {
    const forged = principal([{ type: 'cluster', pattern: 'globex-gpus' }]);
    await expect(placeJob(forged, { hardwareType: 'gpu-a10g-1x', cluster: 'globex-gpus' }, clusters, rules)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

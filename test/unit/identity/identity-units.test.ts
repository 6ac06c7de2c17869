import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createAuthorizer } from '#functions/authorizer/authorizer.app';
import { principalFromAuthorizerContext } from '#http/principal-context';
import { KmsTokenSigner } from '#adapters/kms/kms-token-signer.client';
import { escapeFilterValue } from '#adapters/ldap/ldap-directory.client';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { effectivePermissions } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { claimAt, groupsFromClaim, mapGroups } from '#domain/identity/group-mapping';
import type { IdentityProvider } from '#domain/identity/identity-provider.schema';
import type { User } from '#domain/users/user.schema';
import type { UserRepository } from '#domain/identity/identity.port';

const provider = (overrides: Partial<IdentityProvider> = {}): IdentityProvider =>
  ({
    schemaVersion: 1,
    id: 'kc',
    type: 'oidc',
    displayName: 'Keycloak',
    enabled: true,
    jitProvisioning: true,
    defaultOrgId: 'acme',
    groupMappings: [
      { group: 'ml-admins', level: 'admin', orgId: 'globex', teamIds: ['ops'], platformAdmin: false },
      { group: 'ml-researchers', level: 'researcher', teamIds: ['vision', 'nlp'], platformAdmin: false },
    ],
    issuer: 'https://kc.example.com/realms/ml',
    clientId: 'qm',
    scopes: ['openid'],
    allowedClientIds: [],
    accessTokenCheck: 'rfc9068',
    groupsClaim: 'realm_access.roles',
    emailClaim: 'email',
    nameClaim: 'name',
    ...overrides,
  }) as IdentityProvider;

describe('claim paths and group mapping', () => {
  it('reads nested paths, whole claim names with colons or dots, and never the prototype', () => {
    const claims = JSON.parse(
      '{"realm_access":{"roles":["a","b"]},"cognito:groups":["g"],"https://x.example/roles":["r"],"__proto__":{"roles":["p"]}}',
    );
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['a', 'b']);
    expect(claimAt(claims, 'cognito:groups')).toEqual(['g']);
    expect(claimAt(claims, 'https://x.example/roles')).toEqual(['r']);
    expect(claimAt(claims, '__proto__.roles')).toBeUndefined();
    expect(claimAt(claims, 'constructor')).toBeUndefined();
    expect(claimAt({ a: 'x' }, 'a.length')).toBeUndefined();
    expect(groupsFromClaim('a b,c')).toEqual(['a', 'b', 'c']);
    expect(groupsFromClaim([1, 'x', null])).toEqual(['x']);
  });

  it('takes the highest level, unions the teams, the first org; refuses unmapped users without a default', () => {
    expect(mapGroups(provider(), ['ml-researchers', 'ml-admins'])).toEqual({
      orgId: 'globex',
      level: 'admin',
      teamIds: ['nlp', 'ops', 'vision'],
      platformAdmin: false,
      resourceGrants: [],
    });
    expect(mapGroups(provider(), ['ml-researchers'])).toMatchObject({ orgId: 'acme', level: 'researcher' });
    expect(mapGroups(provider(), ['other'])).toBeUndefined();
    expect(mapGroups(provider({ defaultLevel: 'viewer' }), ['other'])).toMatchObject({ level: 'viewer', teamIds: [] });
  });

  it('compares LDAP group DNs case- and space-insensitively', () => {
    const ldap = provider({
      type: 'ldap',
      groupMappings: [{ group: 'CN=Admins, OU=Groups, DC=corp', level: 'admin', teamIds: [], platformAdmin: false }],
    } as never);
    expect(mapGroups(ldap, ['cn=admins,ou=groups,dc=corp'])?.level).toBe('admin');
  });
});

describe('API-key scopes narrow the owner permissions', () => {
  it('is owner ∩ scopes; a scope the owner lacks grants nothing', () => {
    const base: Principal = { userId: 'u', orgId: 'acme', level: 'researcher', platformAdmin: false, teamIds: [], authMethod: 'api_key' };
    expect([...effectivePermissions({ ...base, scopes: ['job.submit', 'admin.config'] })]).toEqual(['job.submit']);
    expect(effectivePermissions({ ...base }).has('job.cancel.own')).toBe(true);
  });
});

describe('LDAP filter escaping (RFC 4515)', () => {
  it('escapes *, (, ), \\ and NUL, and non-ASCII bytes', () => {
    expect(escapeFilterValue('*')).toBe('\\2a');
    expect(escapeFilterValue('a)(uid=*')).toBe('a\\29\\28uid=\\2a');
    expect(escapeFilterValue('back\\slash')).toBe('back\\5cslash');
    expect(escapeFilterValue('nul\u0000')).toBe('nul\\00');
    expect(escapeFilterValue('é')).toBe('\\c3\\a9');
  });
});

describe('SecretsManagerStore (mocked Secrets Manager)', () => {
  it('reads and caches values, writes under the prefix, creates when missing', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'value-1' });
    sm.on(PutSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'nope', $metadata: {} }));
    sm.on(CreateSecretCommand).resolves({ ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:quartermaster/prod/idp/okta-AbC' });
    const store = new SecretsManagerStore(new SecretsManagerClient({ region: 'eu-west-1' }), { namePrefix: 'quartermaster/prod/' });
    expect(await store.get('ref-1')).toBe('value-1');
    expect(await store.get('ref-1')).toBe('value-1');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(await store.put('idp/okta', 'the-secret')).toMatch(/secret:quartermaster\/prod\/idp\/okta/);
    expect(sm.commandCalls(CreateSecretCommand)[0]?.args[0].input).toMatchObject({
      Name: 'quartermaster/prod/idp/okta',
      SecretString: 'the-secret',
    });
    sm.restore();
  });
});

describe('KmsTokenSigner (mocked KMS)', () => {
  it('signs RS256 with the KMS key and publishes its public key with a stable kid', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kms = mockClient(KMSClient);
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: publicKey.export({ format: 'der', type: 'spki' }) });
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array }) => ({
      Signature: new Uint8Array(sign('sha256', Buffer.from(input.Message), privateKey)),
    }));
    const signer = new KmsTokenSigner(new KMSClient({ region: 'eu-west-1' }), 'alias/qm');
    const token = await signer.sign({ sub: 'u1' });
    const [header, payload, signature] = token.split('.');
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature ?? '', 'base64url'))).toBe(true);
    const jwks = await signer.publicJwks();
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]?.kid });
    expect(kms.commandCalls(SignCommand)[0]?.args[0].input).toMatchObject({
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      MessageType: 'RAW',
    });
    kms.restore();
  });
});

describe('authorizer result cache', () => {
  const user: User = {
    schemaVersion: 1,
    id: 'rae',
    email: 'rae@x.test',
    displayName: 'Rae',
    orgId: 'acme',
    level: 'researcher',
    platformAdmin: false,
    teamIds: [],
    status: 'active',
    createdAt: '2026-01-01T00:00:00Z',
  };
  const users: UserRepository = { get: async () => user, create: async () => true, save: async () => true };

  it('reuses a verified principal briefly, never past the credential expiry, and never caches a denial', async () => {
    let now = 1_000_000;
    let calls = 0;
    const authorizer = createAuthorizer({
      users,
      now: () => now,
      resultCacheMs: 30_000,
      verifiers: [
        {
          verify: async (c) => (
            calls++,
            c === 'good' ? { userId: 'rae', method: 'oidc', expiresAt: (1_000_000 + 10_000) / 1000 } : undefined
          ),
        },
      ],
    });
    const call = (token: string) => authorizer({ headers: { authorization: `Bearer ${token}` } } as never);
    expect((await call('good')).isAuthorized).toBe(true);
    expect((await call('good')).isAuthorized).toBe(true);
    expect(calls).toBe(1);
    now += 11_000; // past the token's exp (10 s), before the cache window (30 s)
    await call('good');
    expect(calls).toBe(2);
    await call('bad');
    await call('bad');
    expect(calls).toBe(4);
  });

  it('answers a dependency outage with the outage marker and no principal (the route answers 503), never caching it; a bug is a deny', async () => {
    let failure: unknown = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    let calls = 0;
    const authorizer = createAuthorizer({
      users,
      resultCacheMs: 30_000,
      verifiers: [
        {
          verify: async () => {
            calls++;
            throw failure;
          },
        },
      ],
    });
    const call = () => authorizer({ headers: { authorization: 'Bearer some-token' } } as never);
    expect(await call()).toEqual({ isAuthorized: true, context: { principal: '', unavailable: true } });
    expect(principalFromAuthorizerContext((await call()).context)).toBeUndefined();
    expect(calls).toBe(2);
    failure = new TypeError('a bug');
    expect((await call()).isAuthorized).toBe(false);
  });
});

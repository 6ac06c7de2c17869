import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EKS_TOKEN_PREFIX, EksTokenSource, presignGetCallerIdentity, type AwsCredentials } from '#adapters/kubernetes/eks-token';
import type { Cluster } from '#domain/clusters/cluster.schema';

// AWS's documented example credentials (the SigV4 test suite's), never real ones.
const CREDENTIALS: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session/token+with=specials',
};
const AT = new Date('2024-05-01T12:00:00Z');

/**
 * An independent SigV4 presign of STS GetCallerIdentity, written from the AWS specification with node:crypto
 * only, so the adapter's URL (built by @smithy/signature-v4) is checked against a second implementation.
 */
function referencePresign(clusterName: string, region: string, credentials: AwsCredentials, at: Date): string {
  const host = `sts.${region}.amazonaws.com`;
  const longDate = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${region}/sts/aws4_request`;
  const enc = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const params: Record<string, string> = {
    Action: 'GetCallerIdentity',
    Version: '2011-06-15',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': longDate,
    'X-Amz-Expires': '60',
    'X-Amz-Security-Token': credentials.sessionToken!,
    'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
  };
  const canonicalQuery = Object.keys(params)
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k]!)}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${host}\nx-k8s-aws-id:${clusterName}\n`,
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', longDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, shortDate), region), 'sts'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `https://${host}/?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/** The URL's parameters in one order (the adapter sorts them, the reference appends the signature last). */
const sorted = (u: string) => [...new URL(u).searchParams.entries()].sort(([a], [b]) => a.localeCompare(b));

const eksCluster = (clusterName: string): Cluster =>
  ({ id: 'gpu-east', kind: 'eks', eks: { clusterName, region: 'us-east-1' } }) as unknown as Cluster;

describe('EKS bearer token (presigned STS GetCallerIdentity)', () => {
  it('is deterministic for fixed credentials and clock, and matches an independent SigV4 presign', async () => {
    const url = await presignGetCallerIdentity({ clusterName: 'gpu-east', region: 'us-east-1', credentials: CREDENTIALS, signingDate: AT });
    const again = await presignGetCallerIdentity({
      clusterName: 'gpu-east',
      region: 'us-east-1',
      credentials: CREDENTIALS,
      signingDate: AT,
    });
    expect(again).toBe(url);
    const expected = referencePresign('gpu-east', 'us-east-1', CREDENTIALS, AT);
    expect(sorted(url)).toEqual(sorted(expected));
    expect(new URL(url).origin).toBe('https://sts.us-east-1.amazonaws.com');
  });

  it('signs the cluster-name header without hoisting it, with X-Amz-Expires=60', async () => {
    const url = new URL(
      await presignGetCallerIdentity({ clusterName: 'gpu-east', region: 'eu-west-1', credentials: CREDENTIALS, signingDate: AT }),
    );
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20240501/eu-west-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(CREDENTIALS.sessionToken);
    expect(url.searchParams.has('x-k8s-aws-id')).toBe(false);
    // Another cluster name changes the signature: a token is bound to its cluster.
    const other = new URL(
      await presignGetCallerIdentity({ clusterName: 'gpu-west', region: 'eu-west-1', credentials: CREDENTIALS, signingDate: AT }),
    );
    expect(other.searchParams.get('X-Amz-Signature')).not.toBe(url.searchParams.get('X-Amz-Signature'));
  });

  it('encodes the URL as k8s-aws-v1. + base64url without padding, and caches it until shortly before expiry', async () => {
    let now = AT.getTime();
    let resolved = 0;
    const source = new EksTokenSource(
      async () => {
        resolved += 1;
        return CREDENTIALS;
      },
      () => new Date(now),
    );
    const first = await source.credentialsFor(eksCluster('gpu-east'));
    if (!('token' in first)) throw new Error('expected a bearer token');
    expect(first.token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
    const encoded = first.token.slice(EKS_TOKEN_PREFIX.length);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sorted(Buffer.from(encoded, 'base64url').toString('utf8'))).toEqual(
      sorted(referencePresign('gpu-east', 'us-east-1', CREDENTIALS, AT)),
    );

    now += 13 * 60_000; // still inside the 15-minute window minus the renewal margin
    expect(await source.credentialsFor(eksCluster('gpu-east'))).toEqual(first);
    expect(resolved).toBe(1);
    now += 60_000 + 1; // 14 minutes: renewed
    expect(await source.credentialsFor(eksCluster('gpu-east'))).not.toEqual(first);
    expect(resolved).toBe(2);
  });

  it('renews before temporary credentials expire, even inside the 15-minute window', async () => {
    let now = AT.getTime();
    let resolved = 0;
    const source = new EksTokenSource(
      async () => {
        resolved += 1;
        return { ...CREDENTIALS, expiration: new Date(now + 5 * 60_000) };
      },
      () => new Date(now),
    );
    await source.credentialsFor(eksCluster('gpu-east'));
    now += 3 * 60_000;
    await source.credentialsFor(eksCluster('gpu-east'));
    expect(resolved).toBe(1);
    now += 60_000 + 1;
    await source.credentialsFor(eksCluster('gpu-east'));
    expect(resolved).toBe(2);
  });

  it('refuses a cluster that is not EKS', async () => {
    const source = new EksTokenSource(async () => CREDENTIALS);
    await expect(source.credentialsFor({ ...eksCluster('x'), kind: 'generic' })).rejects.toThrow(/not an EKS cluster/);
  });
});

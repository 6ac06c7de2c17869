import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Cluster } from '#domain/clusters/cluster.schema';
import type { KubeCredentialSource, KubeUserCredentials } from './kube-connection';

/** AWS credentials as the SDK's default provider chain resolves them (the Lambda role's, in a function). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working (the token must not be used past it). */
  expiration?: Date;
}
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** The prefix EKS's authenticator (aws-iam-authenticator) expects in front of the encoded presigned URL. */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** The header that binds a token to one cluster: signed, so a token for one cluster is refused by another. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/**
 * `X-Amz-Expires` of the presigned URL. The authenticator requires 60 and ignores it: it accepts the URL for
 * 15 minutes after `X-Amz-Date` (aws-iam-authenticator's `presignedURLExpiration`).
 */
const PRESIGN_EXPIRES_SECONDS = 60;
const TOKEN_LIFETIME_MS = 15 * 60_000;
/** Renew this long before the token (or the credentials that signed it) expires, as `aws eks get-token` does. */
const RENEW_BEFORE_MS = 60_000;

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape SignatureV4 takes (no extra dependency). */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined ? undefined : typeof secret === 'string' ? secret : toBuffer(secret);
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
const toBuffer = (data: ArrayBuffer | ArrayBufferView): Buffer =>
  ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** RFC 3986 escaping, as SigV4 canonicalises the query (encodeURIComponent leaves !'()* alone). */
const escape = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const stsHost = (region: string): string => `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;

/**
 * The presigned STS `GetCallerIdentity` URL EKS authenticates with: GET, the regional STS endpoint, the
 * cluster name in the signed `x-k8s-aws-id` header (not hoisted into the query: the authenticator adds it back
 * for the cluster it serves), `X-Amz-Expires=60`.
 */
export async function presignGetCallerIdentity(options: {
  clusterName: string;
  region: string;
  credentials: AwsCredentials;
  signingDate: Date;
}): Promise<string> {
  const host = stsHost(options.region);
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    sha256: NodeSha256,
    uriEscapePath: true,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, [CLUSTER_ID_HEADER]: options.clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: options.signingDate },
  );
  const query = Object.entries(signed.query ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value.map((v) => [key, v]) : value == null ? [] : [[key, value]]))
    .map(([key, value]) => `${escape(key as string)}=${escape(value as string)}`)
    .sort() // the canonical (signed) order, so the same inputs always give the same URL
    .join('&');
  return `https://${host}/?${query}`;
}

/** `k8s-aws-v1.` + the presigned URL in base64url without padding: the bearer token EKS accepts. */
export const eksTokenFromUrl = (url: string): string => EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');

/**
 * Bearer tokens for `eks` clusters, minted from the function's own role (the default provider chain): nothing
 * is stored. One token per cluster, cached until shortly before it, or the credentials that signed it,
 * expire. The role must be mapped in the cluster (an EKS access entry: docs/kubernetes.md).
 */
export class EksTokenSource implements KubeCredentialSource {
  private readonly cache = new Map<string, { token: string; renewAt: number }>();

  constructor(
    private readonly credentials: AwsCredentialsProvider,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async credentialsFor(cluster: Cluster): Promise<KubeUserCredentials> {
    if (cluster.kind !== 'eks' || !cluster.eks) throw new Error(`Cluster ${cluster.id} is not an EKS cluster with a name and region`);
    const key = `${cluster.eks.region}/${cluster.eks.clusterName}`;
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached && cached.renewAt > now.getTime()) return { token: cached.token };
    const credentials = await this.credentials();
    const url = await presignGetCallerIdentity({ ...cluster.eks, credentials, signingDate: now });
    const expiresAt = Math.min(now.getTime() + TOKEN_LIFETIME_MS, credentials.expiration?.getTime() ?? Infinity);
    const token = eksTokenFromUrl(url);
    this.cache.set(key, { token, renewAt: expiresAt - RENEW_BEFORE_MS });
    return { token };
  }
}

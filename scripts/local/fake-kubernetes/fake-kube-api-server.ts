import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { LOCAL_HOST } from '#scripts/local/ports';
import type { DevCertificate } from '#scripts/local/tls-cert';
import { FakeKubeCluster, type FakeClusterOptions } from './fake-kube-cluster';
import { parseLabelSelector, StatusError } from './fake-kube-objects';

/**
 * TEST DOUBLE (local stack and tests only; see docs/kubernetes.md): a fake Kubernetes API server on loopback.
 * No real API server can run on these machines, so this one implements the endpoints the Kubernetes backend
 * uses — batch/v1 Jobs (create, get, list by label, delete with propagation), Pods (list by label, logs),
 * Nodes and /version — over https with a self-signed certificate and bearer-token authentication, with
 * `Status` errors (401, 403, 404, 409 AlreadyExists, 422) shaped like the real ones. The real
 * @kubernetes/client-node talks to it; nothing inside the adapter is mocked.
 */

/** What a bearer token may do: the namespaces it may touch (`*` = all) and whether it may read nodes. */
export interface FakeTokenGrant {
  user: string;
  namespaces: '*' | readonly string[];
  clusterRead?: boolean;
}

export interface FakeKubeApiServerOptions extends FakeClusterOptions {
  certificate: DevCertificate;
  /** 0 = any free port. */
  port?: number;
  tokens: Record<string, FakeTokenGrant>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  labelSelector?: string;
  user?: string;
}

export interface FakeKubeApiServer {
  url: string;
  /** PEM of the server's certificate (its own CA): what a cluster registration carries as `caPem`. */
  caPem: string;
  cluster: FakeKubeCluster;
  /** Every request, for tests that count calls (e.g. one list per namespace per poll). */
  requests: RecordedRequest[];
  /** Adds or replaces (rotation) a token; `revokeToken` makes it answer 401. */
  grantToken(token: string, grant: FakeTokenGrant): void;
  revokeToken(token: string): void;
  close(): Promise<void>;
}

const VERSION = { major: '1', minor: '31', gitVersion: 'v1.31.0-fake', gitCommit: 'fake', platform: 'linux/amd64' };
const VERBS: Record<string, string> = { GET: 'get', POST: 'create', DELETE: 'delete' };

const sameToken = (a: string, b: string): boolean => {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
};

async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 3 * 1024 * 1024) throw new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large');
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new StatusError(400, 'BadRequest', 'the body of the request was in an unknown format');
  }
}

export async function startFakeKubeApiServer(options: FakeKubeApiServerOptions): Promise<FakeKubeApiServer> {
  const cluster = new FakeKubeCluster(options);
  const tokens = new Map(Object.entries(options.tokens));
  const requests: RecordedRequest[] = [];

  const authenticate = (request: IncomingMessage): FakeTokenGrant => {
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const grant = presented ? [...tokens.entries()].find(([token]) => sameToken(token, presented))?.[1] : undefined;
    if (!grant) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
    return grant;
  };
  const authorize = (grant: FakeTokenGrant, verb: string, resource: string, group: string, namespace?: string): void => {
    const allowed = namespace === undefined ? grant.clusterRead === true : grant.namespaces === '*' || grant.namespaces.includes(namespace);
    if (allowed) return;
    const where = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
    throw new StatusError(
      403,
      'Forbidden',
      `${resource}${group ? `.${group}` : ''} is forbidden: User "${grant.user}" cannot ${verb} resource "${resource}" in API group "${group}" ${where}`,
    );
  };

  const route = async (request: IncomingMessage, url: URL, grant: FakeTokenGrant): Promise<{ body: unknown; text?: boolean }> => {
    const method = request.method ?? 'GET';
    const verb = VERBS[method] ?? method.toLowerCase();
    const selector = () => parseLabelSelector(url.searchParams.get('labelSelector'));
    const path = url.pathname.replace(/\/$/, '');
    if (path === '/version' && method === 'GET') return { body: VERSION };
    if (path === '/api/v1/nodes' && method === 'GET') {
      authorize(grant, 'list', 'nodes', '');
      return { body: { apiVersion: 'v1', kind: 'NodeList', metadata: {}, items: cluster.nodes } };
    }
    if (path === '/api/v1/pods' && method === 'GET') {
      authorize(grant, 'list', 'pods', '');
      return { body: { apiVersion: 'v1', kind: 'PodList', metadata: {}, items: cluster.listPods(undefined, selector()) } };
    }
    const pods = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+)\/log)?$/.exec(path);
    if (pods && method === 'GET') {
      const [, namespace, podName] = pods as unknown as [string, string, string | undefined];
      authorize(grant, podName ? 'get' : 'list', podName ? 'pods/log' : 'pods', '', namespace);
      if (!podName) return { body: { apiVersion: 'v1', kind: 'PodList', metadata: {}, items: cluster.listPods(namespace, selector()) } };
      const tail = url.searchParams.get('tailLines');
      const since = url.searchParams.get('sinceTime');
      const text = cluster.podLog(namespace, podName, {
        timestamps: url.searchParams.get('timestamps') === 'true',
        ...(tail ? { tailLines: Number(tail) } : {}),
        ...(since ? { sinceTime: since } : {}),
      });
      return { body: text, text: true };
    }
    const jobs = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(?:\/([^/]+))?$/.exec(path);
    if (jobs) {
      const [, namespace, jobName] = jobs as unknown as [string, string, string | undefined];
      authorize(grant, jobName || method === 'POST' ? verb : 'list', 'jobs', 'batch', namespace);
      if (!jobName && method === 'GET')
        return { body: { apiVersion: 'batch/v1', kind: 'JobList', metadata: {}, items: cluster.listJobs(namespace, selector()) } };
      if (!jobName && method === 'POST') return { body: cluster.createJob(namespace, (await jsonBody(request)) ?? {}) };
      if (jobName && method === 'GET') return { body: cluster.getJob(namespace, jobName) };
      if (jobName && method === 'DELETE') {
        const body = (await jsonBody(request)) as { propagationPolicy?: string } | undefined;
        const propagation = url.searchParams.get('propagationPolicy') ?? body?.propagationPolicy;
        return { body: cluster.deleteJob(namespace, jobName, propagation) };
      }
    }
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource (fake API server)');
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'https://fake');
    const record: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname };
    const selector = url.searchParams.get('labelSelector');
    if (selector !== null) record.labelSelector = selector;
    requests.push(record);
    try {
      const grant = authenticate(request);
      record.user = grant.user;
      const result = await route(request, url, grant);
      const created = request.method === 'POST';
      response.writeHead(created ? 201 : 200, { 'content-type': result.text ? 'text/plain' : 'application/json' });
      response.end(result.text ? String(result.body) : JSON.stringify(result.body));
    } catch (error) {
      const status = error instanceof StatusError ? error : new StatusError(500, 'InternalError', 'fake API server error');
      response.writeHead(status.code, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status.toStatus()));
    }
  };

  const server = createServer(
    { key: options.certificate.key, cert: options.certificate.cert },
    (request, response) => void handle(request, response),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOCAL_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://${LOCAL_HOST}:${port}`,
    caPem: options.certificate.cert,
    cluster,
    requests,
    grantToken: (token, grant) => tokens.set(token, grant),
    revokeToken: (token) => tokens.delete(token),
    close: async () => {
      cluster.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

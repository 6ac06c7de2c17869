import { AppError } from '#domain/errors/app-error';

/**
 * What Quartermaster keeps of an uploaded kubeconfig: the user's static credential, nothing else. The
 * endpoint and CA always come from the registration.
 */
export type StoredClusterCredential =
  { kind: 'token'; token: string } | { kind: 'client-certificate'; certificatePem: string; keyPem: string };

/**
 * Uploaded kubeconfigs (DESIGN §4.4) run inside Lambda functions, so anything that makes the client do
 * more than send a static credential is refused, with the reason:
 * - `exec` and `auth-provider`: they run programs or call token endpoints from the function;
 * - file references (`certificate-authority`, `client-certificate`, `client-key`, `token-file`): they read
 *   the function's file system (client libraries read them at load time);
 * - `insecure-skip-tls-verify`: the API server must be verified against the registered CA;
 * - several contexts: which one is meant would be a guess;
 * - `proxy-url`, basic auth (`username`/`password`): not supported;
 * - a `server` other than the registered endpoint: the credential would be sent elsewhere.
 * `raw` is the YAML document as parsed by the adapter (a plain object), never trusted beyond this function.
 */
export function acceptKubeconfig(raw: unknown, registeredEndpoint: string): StoredClusterCredential {
  const reasons: string[] = [];
  const doc = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) reasons.push('not a kubeconfig document');
  const contexts = listOf(doc.contexts);
  const clusters = listOf(doc.clusters);
  const users = listOf(doc.users);
  if (contexts.length !== 1)
    reasons.push(contexts.length === 0 ? 'no context' : `${contexts.length} contexts: upload a kubeconfig with exactly one`);

  const context = isRecord(contexts[0]?.context) ? contexts[0].context : {};
  const cluster = clusters.find((c) => c.name === context.cluster);
  const user = users.find((u) => u.name === context.user);
  const clusterFields = isRecord(cluster?.cluster) ? cluster.cluster : undefined;
  const userFields = isRecord(user?.user) ? user.user : undefined;
  if (contexts.length === 1 && !clusterFields) reasons.push('the context names no cluster of the file');
  if (contexts.length === 1 && !userFields) reasons.push('the context names no user of the file');

  for (const entry of clusters) {
    const fields = isRecord(entry.cluster) ? entry.cluster : {};
    if (fields['insecure-skip-tls-verify'] === true)
      reasons.push('insecure-skip-tls-verify is not allowed: the API server is verified against the registered CA');
    if (fields['certificate-authority'] !== undefined)
      reasons.push('certificate-authority refers to a file: send the CA as caPem of the cluster');
    if (fields['proxy-url'] !== undefined) reasons.push('proxy-url is not supported');
  }
  for (const entry of users) {
    const fields = isRecord(entry.user) ? entry.user : {};
    if (fields.exec !== undefined) reasons.push('exec credential plugins are not allowed: they would run a program inside Quartermaster');
    if (fields['auth-provider'] !== undefined) reasons.push('auth-provider plugins are not allowed');
    for (const key of ['token-file', 'client-certificate', 'client-key']) {
      if (fields[key] !== undefined)
        reasons.push(`${key} refers to a file: inline the value (${key === 'token-file' ? 'token' : `${key}-data`})`);
    }
    if (fields.username !== undefined || fields.password !== undefined)
      reasons.push('basic authentication (username/password) is not supported');
  }
  if (clusterFields && typeof clusterFields.server === 'string' && originOf(clusterFields.server) !== registeredEndpoint) {
    reasons.push(
      `the kubeconfig's server ${originOf(clusterFields.server) ?? '(invalid)'} is not the registered endpoint ${registeredEndpoint}`,
    );
  }

  let credential: StoredClusterCredential | undefined;
  if (userFields && typeof userFields.token === 'string' && userFields.token.length > 0) {
    credential = { kind: 'token', token: userFields.token };
  } else if (userFields && typeof userFields['client-certificate-data'] === 'string' && typeof userFields['client-key-data'] === 'string') {
    credential = {
      kind: 'client-certificate',
      certificatePem: fromBase64(userFields['client-certificate-data']),
      keyPem: fromBase64(userFields['client-key-data']),
    };
  } else if (userFields) {
    reasons.push('the user has no static credential (token, or client-certificate-data with client-key-data)');
  }
  if (reasons.length > 0 || !credential) {
    const unique = [...new Set(reasons)];
    throw new AppError('unprocessable', `Kubeconfig refused: ${unique.join('; ')}`, {
      fields: unique.map((message) => ({ field: 'body.kubeconfig', message })),
    });
  }
  return credential;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function originOf(server: string): string | undefined {
  try {
    return new URL(server).origin;
  } catch {
    return undefined;
  }
}

// PEM is ASCII, so atob's binary string is the text.
const fromBase64 = (value: string): string => atob(value.replace(/\s+/g, ''));

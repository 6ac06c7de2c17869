/**
 * How Quartermaster bounds and recognizes the failure of a dependency (DynamoDB above all, and every other
 * AWS service it calls). A stalled dependency must not hang a request past API Gateway's 29 s integration
 * limit, and an unreachable one must answer `503 unavailable` with `Retry-After`, never a 401 that signs
 * the user out nor a bare 500. Documented in docs/architecture.md ("Dependency outages").
 */

/** Connecting to an AWS endpoint may take this long before the attempt is abandoned. */
export const AWS_CONNECTION_TIMEOUT_MS = 1_000;
/** One request (sent, answered) may take this long; then it fails with `TimeoutError` and may be retried. */
export const AWS_REQUEST_TIMEOUT_MS = 2_000;
/**
 * Attempts per call (the SDK's standard retry strategy, with its backoff). 2 × 2 s bounds a stalled call at
 * about 4.2 s; a refused connection fails in well under a second.
 */
export const AWS_MAX_ATTEMPTS = 2;
/** What a 503 tells the caller to wait before retrying. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Client settings every AWS SDK client of Quartermaster is built with: `new DynamoDBClient({
 * ...boundedAwsClientConfig(), ... })`. `requestTimeoutMs` is raised only for calls known to be slow and
 * never on a request path (ECS RunTask in the dispatcher).
 */
export function boundedAwsClientConfig(options: { requestTimeoutMs?: number } = {}) {
  return {
    maxAttempts: AWS_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: AWS_CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? AWS_REQUEST_TIMEOUT_MS,
      // Without this the SDK only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    },
  };
}

/** Error names the AWS SDK and Node use for a dependency that is down, overloaded or too slow. */
const OUTAGE_NAMES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);
/** Socket-level failures (Node's `error.code`): nothing answered, or the connection broke. */
const OUTAGE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * True when `error` says a dependency could not answer (down, stalled, throttled, a 5xx), as opposed to a
 * refusal or a bug. Looks through `cause` and `AggregateError` (a refused connection to `localhost` is an
 * AggregateError of its IPv4 and IPv6 attempts).
 */
export function isDependencyOutage(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { name, code, $fault, $metadata, cause, errors } = error as {
    name?: unknown;
    code?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof name === 'string' && OUTAGE_NAMES.has(name)) return true;
  if (typeof code === 'string' && OUTAGE_CODES.has(code)) return true;
  if ($fault === 'server') return true;
  if (typeof $metadata?.httpStatusCode === 'number' && $metadata.httpStatusCode >= 500) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDependencyOutage(inner, depth + 1))) return true;
  return cause !== undefined && isDependencyOutage(cause, depth + 1);
}

/**
 * Keeps secrets out of logs. Log lines end up in CloudWatch, where far more people can read them than can
 * read Secrets Manager, so masking happens in the logger itself (see `logger.ts`) rather than relying on
 * every call site to remember.
 */
export const REDACTED = '[REDACTED]';

/**
 * Key fragments that mark a value as secret. Keys are compared lower-cased with `-` and `_` removed, so
 * `clientSecret`, `client_secret`, `X-Api-Key` and `apiKey` all match. Over-masking a harmless field
 * (`tokenCount`) is an acceptable price for never printing a credential.
 */
const SENSITIVE_KEY_FRAGMENTS = [
  'authorization',
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'credential',
  'privatekey',
  'cookie',
  'sessionid',
] as const;

/** `Bearer <jwt>` / `Basic <b64>` pasted into a free-text field still must not reach the logs. */
const CREDENTIAL_VALUE = /^\s*(bearer|basic)\s+\S+/i;

export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return SENSITIVE_KEY_FRAGMENTS.some((fragment) => normalized.includes(fragment));
}

function redactString(value: string): string {
  return CREDENTIAL_VALUE.test(value) ? `${value.trim().split(/\s+/, 1)[0]} ${REDACTED}` : value;
}

/**
 * `JSON.stringify` replacer: the Powertools logger calls it for every key of every log item (nested ones
 * included), which makes it the one choke point for redaction.
 */
export function redactingJsonReplacer(key: string, value: unknown): unknown {
  if (key !== '' && isSensitiveKey(key)) return REDACTED;
  return typeof value === 'string' ? redactString(value) : value;
}

/**
 * Deep copy of `value` with secret-looking keys masked, for the rare place that hands data to something
 * other than our logger (an audit detail, an error report). Cycles and very deep nesting are cut off.
 */
export function redact<T>(value: T, maxDepth = 12): T {
  const seen = new WeakSet<object>();
  const walk = (current: unknown, depth: number): unknown => {
    if (typeof current === 'string') return redactString(current);
    if (typeof current !== 'object' || current === null) return current;
    if (seen.has(current)) return '[Circular]';
    if (depth >= maxDepth) return '[Truncated]';
    seen.add(current);
    if (Array.isArray(current)) return current.map((item) => walk(item, depth + 1));
    if (current instanceof Error) return { name: current.name, message: redactString(current.message) };
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(current)) {
      copy[key] = isSensitiveKey(key) ? REDACTED : walk(item, depth + 1);
    }
    return copy;
  };
  return walk(value, 0) as T;
}

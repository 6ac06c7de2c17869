/**
 * A schema built on its first use. zod builds every schema of a module when the module is imported, and a
 * response schema serves only the OpenAPI document and response validation in tests, never a deployed
 * request: declared through this, it costs a cold start nothing (docs/budgets.md). Route declarations take the
 * thunk where they take a schema.
 */
export function lazySchema<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

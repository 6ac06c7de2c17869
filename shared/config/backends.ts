import { backendKindSchema, type BackendKind } from '#domain/jobs/job.schema';

/**
 * Parses QM_BACKENDS (comma-separated). `local` is accepted only in the local stack: a deployed stack that
 * lists it fails at cold start rather than offering a backend that runs commands on the function's host.
 */
export function parseBackends(value: string, localStack: boolean): BackendKind[] {
  const kinds = value
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean)
    .map((kind) => backendKindSchema.parse(kind));
  if (kinds.length === 0) throw new Error('QM_BACKENDS lists no backend');
  if (kinds.includes('local') && !localStack) throw new Error('The local backend exists only in the local stack (QM_LOCAL_STACK=true)');
  return kinds;
}

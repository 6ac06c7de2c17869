/**
 * The API's error envelope (`{ error: { code, message, details: { fields } } }`) turned into what a page
 * shows: one message, and per-field messages for the form fields they name.
 */
export interface ShownError {
  code: string;
  message: string;
  /** Field path as the API names it (`limit`, `teams[0].teamId`) → message. */
  fields: Record<string, string>;
}

interface Envelope {
  error?: { code?: unknown; message?: unknown; details?: { fields?: unknown } };
}

const FRIENDLY: Record<string, string> = {
  forbidden: 'You do not have permission to do this.',
  not_found: 'Not found (or not in your scope).',
  rate_limited: 'Too many requests; wait a moment and try again.',
  unavailable: 'Quartermaster is temporarily unavailable; try again in a few seconds.',
  internal: 'Something went wrong on our side; the request id is in the API logs.',
};

export function toShownError(body: unknown, status?: number): ShownError {
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as Envelope;
  const code = typeof envelope.error?.code === 'string' ? envelope.error.code : status ? `http_${status}` : 'network';
  const message =
    typeof envelope.error?.message === 'string' && envelope.error.message.length > 0
      ? envelope.error.message
      : (FRIENDLY[code] ?? (status ? `Request failed (HTTP ${status}).` : 'The API could not be reached.'));
  const fields: Record<string, string> = {};
  const listed = envelope.error?.details?.fields;
  if (Array.isArray(listed)) {
    for (const entry of listed as Array<{ field?: unknown; message?: unknown }>) {
      if (typeof entry.field === 'string' && typeof entry.message === 'string' && !(entry.field in fields)) fields[entry.field] = entry.message;
    }
  }
  return { code, message, fields };
}

/** The message for one form field: its own path, or a nested path under it (`spec.image` for `spec`). */
export function fieldError(error: ShownError | undefined, field: string): string | undefined {
  if (!error) return undefined;
  if (error.fields[field]) return error.fields[field];
  const nested = Object.keys(error.fields).find((name) => name.startsWith(`${field}.`) || name.startsWith(`${field}[`));
  return nested ? error.fields[nested] : undefined;
}

/** Unwraps an openapi-fetch result: the data, or a thrown ShownError. */
export async function unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let settled: { data?: T; error?: unknown; response: Response };
  try {
    settled = await result;
  } catch {
    throw toShownError(undefined);
  }
  if (settled.error !== undefined || !settled.response.ok) throw toShownError(settled.error, settled.response.status);
  return settled.data as T;
}

export function isShownError(value: unknown): value is ShownError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && 'fields' in value;
}

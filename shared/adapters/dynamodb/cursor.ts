import { AppError } from '#domain/errors/app-error';

/**
 * Opaque pagination cursors: base64url JSON of DynamoDB's LastEvaluatedKey. A cursor is checked against
 * the partition being read, so a crafted cursor can never start a query in someone else's partition.
 */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url') : undefined;
}

export function decodeCursor(
  cursor: string | undefined,
  expected: { attribute: string; value: string },
  field = 'query.cursor',
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const entries = Object.entries(cursorObject(cursor, field));
  if (entries.length === 0 || entries.length > 6 || entries.some(([, v]) => typeof v !== 'string')) throw invalidCursor(field);
  const key = Object.fromEntries(entries) as Record<string, string>;
  if (key[expected.attribute] !== expected.value) throw invalidCursor(field);
  return key;
}

/** The 400 for a cursor this listing did not issue (altered, truncated, or another listing's). */
export const invalidCursor = (field = 'query.cursor') =>
  new AppError('validation_failed', 'Invalid cursor', { fields: [{ field, message: 'not a cursor this listing issued' }] });

/** The JSON object a cursor encodes; anything else is {@link invalidCursor}. Its fields are the caller's to check. */
export function cursorObject(cursor: string, field = 'query.cursor'): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(field);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidCursor(field);
  return parsed;
}

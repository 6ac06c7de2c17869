import * as z from 'zod/mini';
import type { FieldIssue } from '#domain/errors/app-error';
import { strictSchema } from './strict-schema';

export type RequestLocation = 'params' | 'query' | 'headers' | 'body';

/**
 * The one switch for strictness: in these parts of a request an undeclared field is a 400 naming it
 * (`strict-schema.ts`), on every route. Query strings and headers stay lenient: proxies, caches and
 * browsers add their own.
 */
export const STRICT_LOCATIONS: ReadonlySet<RequestLocation> = new Set(['body']);

export const UNKNOWN_FIELD_MESSAGE = 'Unknown field: this request does not accept it';

/** Bounds the error response: a hostile body with 10,000 bad fields gets a useful answer, not a huge one. */
const MAX_FIELD_ISSUES = 50;
const MAX_MESSAGE_LENGTH = 300;

/** `body` + `['env', 0, 'value']` → `body.env.0.value`, the field naming of docs/architecture.md#api-conventions. */
export function fieldName(location: RequestLocation, path: readonly PropertyKey[]): string {
  return [location, ...path.map((segment) => String(segment))].join('.');
}

export function issuesToFields(location: RequestLocation, issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.flatMap((issue) =>
    // One field per undeclared key, named in full (`body.expiresAt`), rather than the object holding it.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldName(location, [...issue.path, key.slice(0, 100)]), message: UNKNOWN_FIELD_MESSAGE }))
      : [
          {
            field: fieldName(location, issue.path),
            message: issue.message.length > MAX_MESSAGE_LENGTH ? `${issue.message.slice(0, MAX_MESSAGE_LENGTH)}…` : issue.message,
          },
        ],
  );
}

export type PartResult = { ok: true; data: unknown } | { ok: false; fields: FieldIssue[] };

/** `safeParse` of one request part (strict where `STRICT_LOCATIONS` says); zod never throws here, whatever the input. */
export function validatePart(location: RequestLocation, schema: z.core.$ZodType, value: unknown): PartResult {
  const result = z.safeParse(STRICT_LOCATIONS.has(location) ? strictSchema(schema) : schema, value);
  return result.success ? { ok: true, data: result.data } : { ok: false, fields: issuesToFields(location, result.error.issues) };
}

export function capFieldIssues(fields: FieldIssue[]): FieldIssue[] {
  return fields.length > MAX_FIELD_ISSUES ? fields.slice(0, MAX_FIELD_ISSUES) : fields;
}

/** Header names lower-cased (API Gateway v2 already does; hand-built events may not); duplicates comma-joined. */
export function lowerCaseHeaders(headers: Record<string, string | undefined> | undefined | null): Record<string, string> {
  const result: Record<string, string> = {};
  if (!headers || typeof headers !== 'object') return result;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    const key = name.toLowerCase();
    result[key] = result[key] === undefined ? value : `${result[key]},${value}`;
  }
  return result;
}

/** A copy of an API Gateway string map without `undefined` values (or anything that is not a string). */
export function stringMap(values: Record<string, string | undefined> | undefined | null): Record<string, string> {
  const result: Record<string, string> = {};
  if (!values || typeof values !== 'object') return result;
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string') result[name] = value;
  }
  return result;
}

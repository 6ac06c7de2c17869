import * as z from 'zod/mini';
import type { FieldIssue } from '#domain/errors/app-error';

export type RequestLocation = 'params' | 'query' | 'headers' | 'body';

/** Bounds the error response: a hostile body with 10,000 bad fields gets a useful answer, not a huge one. */
const MAX_FIELD_ISSUES = 50;
const MAX_MESSAGE_LENGTH = 300;

/** `body` + `['env', 0, 'value']` → `body.env.0.value`, the field naming of DESIGN §5. */
export function fieldName(location: RequestLocation, path: readonly PropertyKey[]): string {
  return [location, ...path.map((segment) => String(segment))].join('.');
}

export function issuesToFields(location: RequestLocation, issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => ({
    field: fieldName(location, issue.path),
    message: issue.message.length > MAX_MESSAGE_LENGTH ? `${issue.message.slice(0, MAX_MESSAGE_LENGTH)}…` : issue.message,
  }));
}

export type PartResult = { ok: true; data: unknown } | { ok: false; fields: FieldIssue[] };

/** `safeParse` of one request part; zod never throws here, whatever the input. */
export function validatePart(location: RequestLocation, schema: z.core.$ZodType, value: unknown): PartResult {
  const result = z.safeParse(schema, value);
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

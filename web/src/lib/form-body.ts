import type { ShownError } from '../api/errors';

/** One field of a FormModal; `key` is the body property (dotted for nested: `spec.image`). */
export interface FieldSpec {
  key: string;
  label: string;
  /** `multiline`: text in a text area, sent as written (a kubeconfig, a PEM). */
  type: 'text' | 'number' | 'select' | 'checkbox' | 'json' | 'list' | 'password' | 'multiline';
  description?: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  optional?: boolean;
  default?: string | boolean;
  readOnly?: boolean;
}

export type FormValues = Record<string, string | boolean | undefined>;

/**
 * Turns form values into a request body: numbers parsed, empty optional fields left out (the API then
 * applies its defaults), comma lists split, JSON parsed, dotted keys nested. Problems the browser can see
 * (bad JSON, a missing required value) are reported at the field before any request.
 */
export function buildBody(fields: readonly FieldSpec[], values: FormValues): { body: Record<string, unknown>; error?: ShownError } {
  const body: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    if (field.readOnly) continue;
    const raw = values[field.key];
    let value: unknown;
    if (field.type === 'checkbox') value = raw === true;
    else {
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (text === '') {
        if (!field.optional) errors[field.key] = `${field.label} is required`;
        continue;
      }
      if (field.type === 'number') {
        value = Number(text);
        if (!Number.isFinite(value)) errors[field.key] = `${field.label} must be a number`;
      } else if (field.type === 'list') {
        value = text
          .split(',')
          .map((entry) => entry.trim())
          .filter((entry) => entry.length > 0);
      } else if (field.type === 'json') {
        try {
          value = JSON.parse(text);
        } catch {
          errors[field.key] = `${field.label} is not valid JSON`;
        }
      } else value = text;
    }
    setPath(body, field.key, value);
  }
  const first = Object.values(errors)[0];
  return first ? { body, error: { code: 'validation_failed', message: first, fields: errors } } : { body };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cursor = target;
  for (const part of parts.slice(0, -1)) {
    const next = cursor[part];
    cursor = (typeof next === 'object' && next !== null ? next : (cursor[part] = {})) as Record<string, unknown>;
  }
  cursor[parts[parts.length - 1] as string] = value;
}

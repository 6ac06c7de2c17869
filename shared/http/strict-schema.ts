import * as z from 'zod/mini';
// `clone` from the core module itself: reaching it through `z.core` pulls all of zod's core into every bundle.
import { clone } from 'zod/v4/core';

/**
 * Request bodies are strict (issue: an unknown field silently ignored turned `expiresAt` into a 90-day
 * key): every object in a body schema refuses keys it does not declare. This is the one switch: route
 * contracts may write `z.object` or `z.strictObject` alike, and the shared validation reads bodies through
 * `strictSchema(body)`, a copy of the schema in which every object (however deeply nested, inside arrays,
 * unions, optionals and defaults) has `catchall: never`. Objects that declare a catchall (records of
 * settings, `z.looseObject`) keep it: they accept other keys on purpose.
 */
const cache = new WeakMap<z.core.$ZodType, z.core.$ZodType>();

export function strictSchema<T extends z.core.$ZodType>(schema: T): T {
  let strict = cache.get(schema);
  if (!strict) {
    strict = strictCopy(schema);
    cache.set(schema, strict);
  }
  return strict as T;
}

/** Wrappers whose one inner schema is `def.innerType`. */
const WRAPPERS: ReadonlySet<string> = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'nonoptional',
  'readonly',
  'catch',
  'success',
]);

function strictCopy(schema: z.core.$ZodType): z.core.$ZodType {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const copy = (changes: Record<string, unknown>): z.core.$ZodType => clone(schema, { ...def, ...changes });
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      return copy({
        shape: Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, strictSchema(value)])),
        catchall: def.catchall ?? z.never(),
      });
    }
    case 'array':
      return copy({ element: strictSchema(def.element as z.core.$ZodType) });
    case 'union':
      // Discriminated unions too: the copy recomputes its discriminator map from the strict options.
      return copy({ options: (def.options as z.core.$ZodType[]).map((option) => strictSchema(option)) });
    case 'record':
      return copy({ valueType: strictSchema(def.valueType as z.core.$ZodType) });
    case 'pipe':
      // What the caller sends is the pipe's input.
      return copy({ in: strictSchema(def.in as z.core.$ZodType) });
    default:
      // Intersections (each side would refuse the other's keys) and lazy schemas are left as they are.
      return WRAPPERS.has(def.type) ? copy({ innerType: strictSchema(def.innerType as z.core.$ZodType) }) : schema;
  }
}

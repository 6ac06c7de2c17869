import { AppError, validationFailed } from '#domain/errors/app-error';

/** Larger bodies are refused before parsing; a job spec is a few KB, so this leaves ample room. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Keys that could reach `Object.prototype` if a body were ever merged into another object. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonBody = { present: false } | { present: true; value: unknown };

interface BodySource {
  body?: string | null | undefined;
  isBase64Encoded?: boolean | undefined;
}

class ForbiddenKeyError extends Error {
  constructor(readonly key: string) {
    super(`forbidden key ${key}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `application/json`, optionally with `charset=utf-8`; anything else (or another charset) is refused. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [mediaType = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, value] = parameter.split('=').map((part) => part.trim().replace(/^"|"$/g, ''));
    return name !== 'charset' || value === 'utf-8' || value === 'utf8';
  });
}

const bodyError = (message: string): AppError => validationFailed([{ field: 'body', message }]);

function decodeText(source: BodySource, maxBytes: number): string {
  const raw = source.body ?? '';
  // Cheap guard before allocating: base64 inflates by 4/3, a JS string has at least one byte per char.
  const rawLimit = source.isBase64Encoded ? Math.ceil((maxBytes * 4) / 3) + 4 : maxBytes;
  if (raw.length > rawLimit) throw tooLarge(maxBytes);
  if (!source.isBase64Encoded) {
    if (Buffer.byteLength(raw, 'utf8') > maxBytes) throw tooLarge(maxBytes);
    return raw;
  }
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);
  try {
    return utf8.decode(bytes);
  } catch {
    throw bodyError('Body must be UTF-8 encoded JSON');
  }
}

const tooLarge = (maxBytes: number): AppError => new AppError('payload_too_large', `Request body exceeds ${maxBytes} bytes`, { maxBytes });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyError(key);
      return value;
    });
  } catch (error) {
    if (error instanceof ForbiddenKeyError) throw bodyError(`Key "${error.key}" is not allowed`);
    // Also covers RangeError from absurd nesting: any parse failure is the caller's input, never a 500.
    throw bodyError('Body is not valid JSON');
  }
}

/**
 * Reads the JSON body of an API Gateway event. An absent or blank body is reported as such (the caller
 * decides whether the route requires one); a present body must be `application/json`, within the size
 * limit, valid UTF-8, valid JSON and free of prototype-polluting keys.
 */
export function readJsonBody(source: BodySource, contentType: string | undefined, maxBytes = DEFAULT_MAX_BODY_BYTES): JsonBody {
  if (source.body === undefined || source.body === null || source.body === '') return { present: false };
  // Only a hand-built event can carry a non-string body; it is still the caller's input, so a 400.
  if (typeof source.body !== 'string') throw bodyError('Body is not valid JSON');
  if (!isJsonContentType(contentType)) {
    throw new AppError('unsupported_media_type', 'Request body must be sent as application/json', {
      expected: 'application/json',
    });
  }
  const text = decodeText(source, maxBytes).replace(/^\uFEFF/, '');
  if (text.trim() === '') return { present: false };
  return { present: true, value: parseJson(text) };
}

/** `application/x-www-form-urlencoded`, optionally with `charset=utf-8`: what an HTML form posts. */
export function isFormContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [mediaType = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/x-www-form-urlencoded') return false;
  return parameters.every((parameter) => {
    const [name, value] = parameter.split('=').map((part) => part.trim().replace(/^"|"$/g, ''));
    return name !== 'charset' || value === 'utf-8' || value === 'utf8';
  });
}

/**
 * Reads the form body of an API Gateway event, for the few routes an HTML page posts to (`bodyEncoding:
 * 'form'`): `application/x-www-form-urlencoded`, within the size limit, UTF-8, each field at most once and
 * none that could reach `Object.prototype`. The fields become an object of strings, validated like JSON.
 */
export function readFormBody(source: BodySource, contentType: string | undefined, maxBytes = DEFAULT_MAX_BODY_BYTES): JsonBody {
  if (source.body === undefined || source.body === null || source.body === '') return { present: false };
  if (typeof source.body !== 'string') throw bodyError('Body is not a valid form');
  if (!isFormContentType(contentType)) {
    throw new AppError('unsupported_media_type', 'Request body must be sent as application/x-www-form-urlencoded', {
      expected: 'application/x-www-form-urlencoded',
    });
  }
  const text = decodeText(source, maxBytes);
  if (text.trim() === '') return { present: false };
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (FORBIDDEN_KEYS.has(name)) throw bodyError(`Key "${name.slice(0, 100)}" is not allowed`);
    if (Object.hasOwn(fields, name)) throw validationFailed([{ field: `body.${name.slice(0, 100)}`, message: 'Given more than once' }]);
    fields[name] = value;
  }
  return { present: true, value: fields };
}

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ErrorCode } from '#domain/errors/app-error';
import type { ErrorEnvelope } from './error-mapping';

export type ApiResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Sent on every response, errors included. The API serves JSON only, so the CSP forbids everything: a
 * response rendered by a browser by mistake can run nothing and be framed by nobody.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/**
 * The few HTML pages the API serves (the approval-link confirmation pages) get these instead: still no
 * script, style, image or frame of any kind, forms may post only to this origin, and the referrer policy is
 * `same-origin` so that the page's own form post carries a real `Origin` (under `no-referrer` browsers send
 * `Origin: null`) while nothing, the link's token included, leaks to another site.
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'referrer-policy': 'same-origin',
  'content-security-policy': "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

const isHtml = (headers: Record<string, string>): boolean => (headers['content-type'] ?? '').toLowerCase().startsWith('text/html');

/** Lower-cases header names so that our security headers reliably replace any spelling of the same name. */
export function normalizeHeaders(headers: Record<string, string | number | boolean | undefined> | undefined): Record<string, string> {
  const normalized: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    normalized[name.toLowerCase()] = String(value);
  }
  return normalized;
}

/** Adds the security headers and the request id; they win over anything a route set. */
export function withStandardHeaders(result: ApiResult, requestId: string): ApiResult {
  const headers = normalizeHeaders(result.headers);
  return { ...result, headers: { ...headers, ...(isHtml(headers) ? PAGE_SECURITY_HEADERS : SECURITY_HEADERS), 'x-request-id': requestId } };
}

export function jsonResult(status: number, body: unknown, extraHeaders: Record<string, string> = {}): ApiResult {
  if (body === undefined) return { statusCode: status, headers: normalizeHeaders(extraHeaders) };
  return {
    statusCode: status,
    headers: { ...normalizeHeaders(extraHeaders), 'content-type': JSON_CONTENT_TYPE },
    body: JSON.stringify(body),
  };
}

export function errorEnvelope(code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorEnvelope {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** A complete error response with standard headers, for code outside the middy chain (the local server). */
export function errorResult(
  status: number,
  code: ErrorCode,
  message: string,
  requestId: string,
  details?: Record<string, unknown>,
): ApiResult {
  return withStandardHeaders(jsonResult(status, errorEnvelope(code, message, details)), requestId);
}

import type * as z from 'zod/mini';
import type { errorEnvelopeSchema } from '#contracts/common.contract';
import { isDependencyOutage, OUTAGE_RETRY_AFTER_SECONDS } from '#adapters/runtime/dependency-outage';
import { AppError, type ErrorCode } from '#domain/errors/app-error';

export type ErrorEnvelope = z.infer<ReturnType<typeof errorEnvelopeSchema>>;

/**
 * The one table from error code to HTTP status (STYLE practice 6). `Record<ErrorCode, …>` makes a new
 * code in the taxonomy a compile error here until it is given a status.
 */
export const ERROR_HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_state: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  headers_too_large: 431,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** What callers see for anything we did not expect; the request id lets support find the log line. */
export const INTERNAL_ERROR_MESSAGE = 'An unexpected error occurred. Quote the request id when reporting it.';

/** What callers see when a dependency (the database above all) could not answer: retry, nothing is wrong with you. */
export const UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable. Retry after the number of seconds in Retry-After.';

/** The 503 of a dependency outage, as an AppError (the authorizer's outage marker is answered with it too). */
export const dependencyUnavailable = (): AppError =>
  new AppError('unavailable', UNAVAILABLE_MESSAGE, { retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS });

export interface MappedError {
  status: number;
  envelope: ErrorEnvelope;
  headers: Record<string, string>;
  /** True when the error was not an AppError (a bug or an outage): log it at error level. */
  unexpected: boolean;
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * Turns anything thrown into a status and the error envelope. AppError messages are safe by contract;
 * everything else (and `internal` AppErrors, whose messages are written for developers) becomes a generic
 * message, so raw error text and stack traces never reach a caller. A dependency outage (the SDK gave up:
 * connection refused, timed out, throttled, a 5xx) is a 503 `unavailable` with `Retry-After`, never a 500.
 */
export function mapError(error: unknown, requestId: string): MappedError {
  if (!isAppError(error) && isDependencyOutage(error)) {
    return { ...mapError(dependencyUnavailable(), requestId), unexpected: true };
  }
  if (!isAppError(error) || error.code === 'internal') {
    return {
      status: 500,
      envelope: { error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE, details: { requestId } } },
      headers: {},
      unexpected: true,
    };
  }
  const status = ERROR_HTTP_STATUS[error.code];
  const headers: Record<string, string> = {};
  const retryAfter = error.details?.retryAfterSeconds;
  if ((status === 429 || status === 503) && typeof retryAfter === 'number' && Number.isFinite(retryAfter)) {
    headers['retry-after'] = String(Math.max(0, Math.ceil(retryAfter)));
  }
  const envelope: ErrorEnvelope = {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
  return { status, envelope, headers, unexpected: false };
}

/**
 * One error taxonomy with stable codes. The domain throws these; `shared/http/error-mapping.ts` maps each
 * code to an HTTP status in one table. Messages are safe to show to callers: never put secrets in them.
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'conflict',
  'invalid_state',
  'idempotency_conflict',
  'unprocessable',
  'payload_too_large',
  'headers_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the field at fault, e.g. `body.hardwareType` or `query.limit`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldIssue[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
export const forbidden = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('forbidden', message, details);
export const invalidState = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('invalid_state', message, details);
export const validationFailed = (fields: FieldIssue[]): AppError =>
  new AppError('validation_failed', `Invalid input: ${fields.map((f) => f.field).join(', ')}`, { fields });

import type { ErrorCode } from '#domain/errors/app-error';
import type { ApiResult } from '#http/http-response';

/**
 * Requests Node's HTTP parser refuses before any handler sees them (`clientError`): an over-long URL or
 * header block (431), a malformed header or request line (400). By default Node answers them with an
 * empty body; the local server gives them the error envelope like every other answer.
 */

const REASON_PHRASES: Readonly<Record<number, string>> = { 400: 'Bad Request', 431: 'Request Header Fields Too Large' };

/** Node's parser errors (`HPE_…`) as an envelope answer; `undefined` (a reset, a timeout): just close the socket. */
export function clientErrorRefusal(code: string | undefined): { status: number; code: ErrorCode; message: string } | undefined {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: 'headers_too_large', message: 'The request line or headers are too large' };
  }
  if (code?.startsWith('HPE_')) return { status: 400, code: 'validation_failed', message: 'Malformed HTTP request' };
  return undefined;
}

/** A whole HTTP/1.1 response for a socket no `ServerResponse` exists for; the connection is closed after it. */
export function rawResponse(result: ApiResult, requestId: string): string {
  const body = result.body ?? '';
  const headers = {
    ...result.headers,
    'apigw-requestid': requestId,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${result.statusCode} ${REASON_PHRASES[result.statusCode] ?? 'Error'}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

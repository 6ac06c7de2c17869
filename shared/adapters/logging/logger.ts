import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { redactingJsonReplacer } from './redaction';

export type { Logger } from '@aws-lambda-powertools/logger';

export interface LoggerOptions {
  /** Defaults to `POWERTOOLS_SERVICE_NAME`, then `quartermaster`. */
  serviceName?: string;
  /** Defaults to `POWERTOOLS_LOG_LEVEL` / `AWS_LAMBDA_LOG_LEVEL`, then INFO (Powertools' own rules). */
  logLevel?: LogLevel;
  /** Keys printed on every line of this logger, e.g. `{ function: 'jobs' }`. */
  persistentKeys?: Record<string, unknown>;
}

/**
 * The one way to build a logger: structured JSON (Powertools), with the redacting replacer always
 * installed so that no caller can forget it.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return new Logger({
    serviceName: options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? 'quartermaster',
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...(options.persistentKeys ? { persistentKeys: options.persistentKeys } : {}),
    jsonReplacerFn: redactingJsonReplacer,
  });
}

let sharedLogger: Logger | undefined;

/**
 * The process-wide logger (one per Lambda container), built lazily so that importing this module does no
 * work at cold start until something logs. Per-request context goes on children (`createChild`), never on
 * this instance, so concurrent requests in the local server cannot mix their keys.
 */
export function getLogger(): Logger {
  sharedLogger ??= createLogger();
  return sharedLogger;
}

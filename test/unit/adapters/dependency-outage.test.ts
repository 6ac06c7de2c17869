import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundedAwsClientConfig, isDependencyOutage } from '#adapters/runtime/dependency-outage';
import { AppError } from '#domain/errors/app-error';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** The argument text of the call whose `(` is at `open`, up to its matching `)`. */
function argumentsAt(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')' && (depth -= 1) === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('isDependencyOutage', () => {
  const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error('x'), { name, ...extra });

  it.each([
    ['a request timeout of the SDK', named('TimeoutError', { code: 'ETIMEDOUT' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    [
      'a refused localhost connection (IPv4 and IPv6 attempts)',
      new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]),
    ],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['DynamoDB throttling', named('ProvisionedThroughputExceededException', { $fault: 'client' })],
    ['a 5xx of any service', named('InternalServerError', { $fault: 'server', $metadata: { httpStatusCode: 500 } })],
    ['a KMS dependency timeout', named('DependencyTimeoutException', { $fault: 'server' })],
    ['an outage wrapped as a cause', new Error('lookup failed', { cause: named('TimeoutError') })],
  ])('recognizes %s', (_what, error) => {
    expect(isDependencyOutage(error)).toBe(true);
  });

  it.each([
    ['a failed condition', named('ConditionalCheckFailedException', { $fault: 'client', $metadata: { httpStatusCode: 400 } })],
    ['a validation error of the SDK', named('ValidationException', { $fault: 'client' })],
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['an AppError', new AppError('not_found', 'job not found')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('does not take %s for an outage', (_what, error) => {
    expect(isDependencyOutage(error)).toBe(false);
  });
});

describe('AWS SDK clients', () => {
  it('are bounded: connection and request timeouts that throw, and a small number of attempts', () => {
    const config = boundedAwsClientConfig();
    expect(config.maxAttempts).toBeLessThanOrEqual(3);
    expect(config.requestHandler).toMatchObject({ throwOnRequestTimeout: true });
    // Worst case of a stalled call, without backoff: well inside API Gateway's 29 s integration limit.
    expect(config.maxAttempts * (config.requestHandler.connectionTimeout + config.requestHandler.requestTimeout)).toBeLessThanOrEqual(
      10_000,
    );
  });

  it('every client that deployed code or the local stack builds takes the bounded config', () => {
    const files = ['functions', 'shared', 'scripts/local'].flatMap((dir) => sourceFiles(join(REPO, dir)));
    const unbounded: string[] = [];
    let seen = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('@aws-sdk/client-')) continue;
      for (const match of text.matchAll(/new (\w+Client)\(/g)) {
        const args = argumentsAt(text, (match.index ?? 0) + match[0].length - 1);
        seen += 1;
        // The one exception: the emulator's readiness probe, which fails fast on its own terms (one attempt).
        if (!args.includes('boundedAwsClientConfig(') && !args.includes('maxAttempts: 1')) {
          unbounded.push(`${relative(REPO, file)}: new ${match[1]}(${args})`);
        }
      }
    }
    expect(seen).toBeGreaterThan(10);
    expect(unbounded).toEqual([]);
  });
});

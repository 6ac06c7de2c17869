import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '#adapters/logging/logger';
import { isSensitiveKey, REDACTED, redact, redactingJsonReplacer } from '#adapters/logging/redaction';

describe('redaction', () => {
  it.each([
    'authorization',
    'Authorization',
    'password',
    'clientSecret',
    'client_secret',
    'apiKey',
    'x-api-key',
    'accessToken',
    'refresh_token',
    'cookie',
    'privateKey',
    'bindCredentials',
  ])('treats %s as sensitive', (key) => expect(isSensitiveKey(key)).toBe(true));

  it.each(['userId', 'orgId', 'authMethod', 'status', 'route', 'correlation_id', 'message'])('leaves %s alone', (key) =>
    expect(isSensitiveKey(key)).toBe(false),
  );

  it('masks nested keys and bearer values, and survives cycles', () => {
    const input: Record<string, unknown> = {
      user: 'u-1',
      headers: { Authorization: 'Bearer abc.def', accept: 'json' },
      list: [{ password: 'p' }, 'Bearer xyz', 'Basic dXNlcjpwYXNz'],
    };
    input.self = input;
    const output = redact(input);
    expect(output).toEqual({
      user: 'u-1',
      headers: { Authorization: REDACTED, accept: 'json' },
      list: [{ password: REDACTED }, `Bearer ${REDACTED}`, `Basic ${REDACTED}`],
      self: '[Circular]',
    });
    expect(input.headers).toEqual({ Authorization: 'Bearer abc.def', accept: 'json' });
  });

  it('works as a JSON replacer', () => {
    expect(JSON.parse(JSON.stringify({ a: { token: 't', ok: 1 } }, redactingJsonReplacer))).toEqual({ a: { token: REDACTED, ok: 1 } });
  });
});

describe('createLogger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes structured JSON with secrets masked, whoever logs them', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const logger = createLogger({ serviceName: 'test', logLevel: 'INFO' });
    logger.info('login', { userId: 'u-1', clientSecret: 's3cr3t', nested: { apiKey: 'qm_live_123' }, header: 'Bearer eyJhbGci' });
    const record = JSON.parse(lines.join('').trim()) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'INFO',
      message: 'login',
      service: 'test',
      userId: 'u-1',
      clientSecret: REDACTED,
      nested: { apiKey: REDACTED },
    });
    expect(lines.join('')).not.toMatch(/s3cr3t|qm_live_123|eyJhbGci/);
  });
});

import { describe, expect, it } from 'vitest';
import { RETRY_AFTER_CAP_SECONDS, RETRY_BASE_SECONDS, RETRY_CAP_SECONDS, retryDelaySeconds } from '#domain/notifications/delivery-retry';

describe('retry delay of a failed notification', () => {
  it('grows exponentially with full jitter, capped', () => {
    expect(retryDelaySeconds(1, undefined, () => 0.999)).toBe(RETRY_BASE_SECONDS);
    expect(retryDelaySeconds(3, undefined, () => 0.999)).toBe(RETRY_BASE_SECONDS * 4);
    expect(retryDelaySeconds(20, undefined, () => 0.9999)).toBe(RETRY_CAP_SECONDS);
    expect(retryDelaySeconds(3, undefined, () => 0.5)).toBe(RETRY_BASE_SECONDS * 2);
    // Never zero: a failed message always waits a little.
    expect(retryDelaySeconds(1, undefined, () => 0)).toBe(1);
  });

  it("is never sooner than the target's Retry-After, and bounded when it asks for too much", () => {
    expect(retryDelaySeconds(1, 120, () => 0.1)).toBe(120);
    expect(retryDelaySeconds(1, 2.2, () => 0)).toBe(3);
    expect(retryDelaySeconds(5, 10, () => 0.999)).toBe(RETRY_BASE_SECONDS * 16);
    expect(retryDelaySeconds(1, 86_400, () => 0.5)).toBe(RETRY_AFTER_CAP_SECONDS);
  });
});

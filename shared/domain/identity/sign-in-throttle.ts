import { AppError } from '#domain/errors/app-error';
import type { Clock } from '#domain/runtime/runtime.port';
import { LoginFailure, recordLoginFailure, type LoginContext, type LoginDeps } from './login.service';

/**
 * Throttling of sign-in (the issue: 30 break-glass attempts and 67 failed LDAP sign-ins in a row all
 * answered 401). Failures are counted in DynamoDB, so every Lambda instance sees the same counts, per
 * account (exponential backoff) and per source address (a cap). Documented in docs/architecture.md
 * ("Sign-in throttling"); a throttled attempt is answered 429 with Retry-After, audited, and tries nothing.
 */
export const SIGN_IN_LIMITS = {
  /** Failed sign-ins of one account allowed without delay… */
  freeAccountFailures: 5,
  /** …after which the account waits 2^(failures − 5) s after its latest failure (1 s, 2 s, 4 s, …), at most this. */
  maxAccountDelaySeconds: 900,
  /** An account's failures are forgotten this long after its latest one. */
  accountWindowSeconds: 900,
  /** Failed sign-ins from one source address allowed in a row… */
  maxSourceFailures: 30,
  /** …after which the address waits until this long after its latest failure. */
  sourceWindowSeconds: 300,
} as const;

export interface FailureCount {
  failures: number;
  /** Epoch seconds. */
  lastFailureAt: number;
}

export interface SignInThrottleStore {
  /** The current counts of these keys (absent: none). */
  read(keys: readonly string[]): Promise<Map<string, FailureCount>>;
  /** One more failure; a count older than `windowSeconds` starts again at 1. */
  recordFailure(key: string, nowSeconds: number, windowSeconds: number): Promise<void>;
  clear(key: string): Promise<void>;
}

/** Who is signing in: the account tried (`ldap:<provider>:<username>`, `break-glass`) and the source address. */
export interface SignInSubject {
  account?: string | undefined;
  source: string;
}

export interface ThrottleDeps extends Pick<LoginDeps, 'audit' | 'events' | 'ids'> {
  throttle: SignInThrottleStore;
  clock: Clock;
}

const accountKey = (account: string): string => `account:${account.toLowerCase()}`;
const sourceKey = (source: string): string => `source:${source}`;

/** Seconds the account must still wait (0: none). */
export function accountWait(count: FailureCount | undefined, nowSeconds: number): number {
  const { freeAccountFailures, maxAccountDelaySeconds, accountWindowSeconds } = SIGN_IN_LIMITS;
  if (!count || nowSeconds - count.lastFailureAt >= accountWindowSeconds || count.failures < freeAccountFailures) return 0;
  const delay = Math.min(maxAccountDelaySeconds, 2 ** (count.failures - freeAccountFailures));
  return Math.max(0, count.lastFailureAt + delay - nowSeconds);
}

/** Seconds the source address must still wait (0: none). */
export function sourceWait(count: FailureCount | undefined, nowSeconds: number): number {
  const { maxSourceFailures, sourceWindowSeconds } = SIGN_IN_LIMITS;
  if (!count || count.failures < maxSourceFailures) return 0;
  return Math.max(0, count.lastFailureAt + sourceWindowSeconds - nowSeconds);
}

/**
 * Runs one sign-in attempt under the limits: refused with 429 (and audited) while the account or the source
 * must wait; a refused sign-in (`LoginFailure`) counts against both; a success clears the account's count.
 */
export async function throttledSignIn<T>(
  subject: SignInSubject,
  method: string,
  deps: ThrottleDeps,
  context: LoginContext,
  attempt: () => Promise<T>,
): Promise<T> {
  const keys = [sourceKey(subject.source), ...(subject.account ? [accountKey(subject.account)] : [])];
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const counts = await deps.throttle.read(keys);
  const wait = Math.max(
    sourceWait(counts.get(sourceKey(subject.source)), now),
    subject.account ? accountWait(counts.get(accountKey(subject.account)), now) : 0,
  );
  if (wait > 0) {
    await recordLoginFailure(new LoginFailure('throttled'), deps, context, method);
    throw new AppError('rate_limited', 'Too many failed sign-ins: retry later', { retryAfterSeconds: wait });
  }
  try {
    const result = await attempt();
    if (subject.account) await deps.throttle.clear(accountKey(subject.account));
    return result;
  } catch (error) {
    if (error instanceof LoginFailure) {
      await Promise.all([
        deps.throttle.recordFailure(sourceKey(subject.source), now, SIGN_IN_LIMITS.sourceWindowSeconds),
        ...(subject.account ? [deps.throttle.recordFailure(accountKey(subject.account), now, SIGN_IN_LIMITS.accountWindowSeconds)] : []),
      ]);
    }
    throw error;
  }
}

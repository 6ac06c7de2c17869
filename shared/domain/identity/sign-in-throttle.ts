import type { FailureCount, SignInThrottleStore } from './identity.port';
import { AppError } from '#domain/errors/app-error';
import { LoginFailure, recordLoginFailure, type LoginContext, type LoginFailureDeps } from './login-failure';

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

/**
 * Who is signing in: the source address, and the principal (the account tried) when the request names it
 * (`ldap:<provider>:<username>`, `break-glass`). Where the principal is learned only during the attempt (the
 * OIDC callback's external subject after the code exchange, the refresh token's sign-in), the attempt names it
 * through {@link SignInGate.principal}.
 */
export interface SignInSubject {
  account?: string | undefined;
  source: string;
}

/** Handed to an attempt whose principal is learned on the way. */
export interface SignInGate {
  /**
   * Whom this attempt signs in, as soon as it is known and before anything is issued: refuses the attempt
   * (429) while that principal must wait, and counts the attempt's failure, if it fails, against it too.
   */
  principal(account: string): Promise<void>;
}

export interface ThrottleDeps extends LoginFailureDeps {
  throttle: SignInThrottleStore;
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

/** The principal named mid-attempt must wait: unwinds the attempt to `throttledSignIn`, which answers 429. */
class PrincipalMustWait extends Error {
  constructor(readonly seconds: number) {
    super('sign-in principal throttled');
  }
}

/**
 * Runs one sign-in attempt under the limits: refused with 429 (and audited) while the source or the principal
 * must wait; a refused sign-in (`LoginFailure`) counts against both; a success clears the principal's count.
 * The source (and a principal the request names) is checked before the attempt tries anything; a principal
 * learned on the way is checked when the attempt names it through the gate.
 */
export async function throttledSignIn<T>(
  subject: SignInSubject,
  method: string,
  deps: ThrottleDeps,
  context: LoginContext,
  attempt: (gate: SignInGate) => Promise<T>,
): Promise<T> {
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const refuse = async (seconds: number): Promise<never> => {
    await recordLoginFailure(new LoginFailure('throttled'), deps, context, method);
    throw new AppError('rate_limited', 'Too many failed sign-ins: retry later', { retryAfterSeconds: seconds });
  };
  const source = sourceKey(subject.source);
  let account = subject.account === undefined ? undefined : accountKey(subject.account);
  const counts = await deps.throttle.read(account ? [source, account] : [source]);
  const wait = Math.max(sourceWait(counts.get(source), now), account ? accountWait(counts.get(account), now) : 0);
  if (wait > 0) return refuse(wait);
  // Clearing is a write: only an account that has failures to forget pays for it.
  let accountHasFailures = account !== undefined && counts.has(account);
  const gate: SignInGate = {
    principal: async (name) => {
      account = accountKey(name);
      const count = (await deps.throttle.read([account])).get(account);
      accountHasFailures = count !== undefined;
      const accountMustWait = accountWait(count, now);
      if (accountMustWait > 0) throw new PrincipalMustWait(accountMustWait);
    },
  };
  try {
    const result = await attempt(gate);
    if (account && accountHasFailures) await deps.throttle.clear(account);
    return result;
  } catch (error) {
    if (error instanceof PrincipalMustWait) return refuse(error.seconds);
    if (error instanceof LoginFailure) {
      await Promise.all([
        deps.throttle.recordFailure(source, now, SIGN_IN_LIMITS.sourceWindowSeconds),
        ...(account ? [deps.throttle.recordFailure(account, now, SIGN_IN_LIMITS.accountWindowSeconds)] : []),
      ]);
    }
    throw error;
  }
}

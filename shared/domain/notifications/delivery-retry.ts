/**
 * When a failed notification is tried again (docs/events.md, "Delivery"). The queue message of an event
 * comes back after this delay: exponential with full jitter (so a target that failed for many events is not
 * hit by all of them at the same moment), never sooner than the target's own `Retry-After`, never later than
 * SQS allows a message to stay invisible for one receive (12 hours; we stop at one hour).
 */
export const RETRY_BASE_SECONDS = 30;
export const RETRY_CAP_SECONDS = 15 * 60;
export const RETRY_AFTER_CAP_SECONDS = 60 * 60;

/** `attempt` is the receive count of the attempt that just failed (1 = the first). `random` is in [0, 1). */
export function retryDelaySeconds(attempt: number, retryAfterSeconds: number | undefined, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.max(1, Math.round(ceiling * random()));
  if (retryAfterSeconds === undefined) return jittered;
  return Math.min(RETRY_AFTER_CAP_SECONDS, Math.max(jittered, Math.ceil(retryAfterSeconds)));
}

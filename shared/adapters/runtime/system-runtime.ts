import { monotonicFactory } from 'ulid';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';

export const systemClock: Clock = { now: () => new Date() };

/** ULIDs: unique, and sortable by creation time (job ids sort the way users expect). */
export function ulidSource(): IdSource {
  const next = monotonicFactory();
  return { next: () => next() };
}

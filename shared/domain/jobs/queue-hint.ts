/**
 * Remembers, per function instance and briefly, that an org's queue was found busy: a burst of submissions
 * behind waiting jobs then goes straight to the queue (one transaction) instead of first trying an
 * admission that the queue-depth condition would refuse. It is only a hint: admission itself always
 * checks the real depth, so a stale hint can delay a job by one scheduler wake-up, never let it overtake.
 */
export class QueueBusyHint {
  /** Per org (queues are per org), bounded: the oldest entry goes first. */
  private readonly busyUntil = new Map<string, number>();

  constructor(
    private readonly windowMs = 1_000,
    private readonly maxOrgs = 1_000,
  ) {}

  isBusy(orgId: string, now: Date): boolean {
    return now.getTime() < (this.busyUntil.get(orgId) ?? 0);
  }

  markBusy(orgId: string, now: Date): void {
    this.busyUntil.delete(orgId);
    if (this.busyUntil.size >= this.maxOrgs) this.busyUntil.delete(this.busyUntil.keys().next().value!);
    this.busyUntil.set(orgId, now.getTime() + this.windowMs);
  }

  clear(orgId: string): void {
    this.busyUntil.delete(orgId);
  }
}

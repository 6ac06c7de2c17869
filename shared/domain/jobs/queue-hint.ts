/**
 * Remembers, per function instance and briefly, that the queue was found busy: a burst of submissions
 * behind waiting jobs then goes straight to the queue (one transaction) instead of first trying an
 * admission that the queue-depth condition would refuse. It is only a hint: admission itself always
 * checks the real depth, so a stale hint can delay a job by one scheduler wake-up, never let it overtake.
 */
export class QueueBusyHint {
  private busyUntil = 0;

  constructor(private readonly windowMs = 1_000) {}

  isBusy(now: Date): boolean {
    return now.getTime() < this.busyUntil;
  }

  markBusy(now: Date): void {
    this.busyUntil = now.getTime() + this.windowMs;
  }

  clear(): void {
    this.busyUntil = 0;
  }
}

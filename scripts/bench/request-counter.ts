import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What one measured operation (one API request) sent to DynamoDB. */
export interface RequestTally {
  /** HTTP requests sent, retries included: every one is a round trip. */
  roundTrips: number;
  /**
   * Round trips that could not overlap another: a request that starts while another is in flight runs
   * in parallel and does not lengthen the path. Equal to `roundTrips` when the code awaits each in turn.
   */
  sequential: number;
  /** Low-level command names (`PutItemCommand`, …; document-client commands show as what they send). */
  commands: Record<string, number>;
}

/**
 * Counts every request a DynamoDBClient sends, by command name. The middleware sits at the end of the
 * `finalizeRequest` step, after the retry middleware, so each attempt on the wire is counted once.
 */
export class DynamoRequestCounter {
  private current: RequestTally = emptyTally();
  private inFlight = 0;
  /** Every command seen since construction, across all tallies (for the "no Scan anywhere" check). */
  readonly allCommands: Record<string, number> = {};

  attach(client: DynamoDBClient): this {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = context.commandName ?? 'unknown';
        const tally = this.current;
        tally.roundTrips += 1;
        if (this.inFlight === 0) tally.sequential += 1;
        tally.commands[name] = (tally.commands[name] ?? 0) + 1;
        this.allCommands[name] = (this.allCommands[name] ?? 0) + 1;
        this.inFlight += 1;
        try {
          return await next(args);
        } finally {
          this.inFlight -= 1;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'qmBenchRequestCounter' },
    );
    return this;
  }

  /** Runs `operation` with a fresh tally; operations must not overlap each other. */
  async measure<T>(operation: () => Promise<T>): Promise<{ result: T; tally: RequestTally }> {
    if (this.inFlight !== 0) throw new Error('request counter: a measured operation overlaps another request');
    const tally = emptyTally();
    this.current = tally;
    try {
      return { result: await operation(), tally };
    } finally {
      this.current = emptyTally();
    }
  }
}

const emptyTally = (): RequestTally => ({ roundTrips: 0, sequential: 0, commands: {} });

/** Adds `b` into `a` (command counts), for totals across the samples of one kind of request. */
export function addCommands(a: Record<string, number>, b: Readonly<Record<string, number>>): Record<string, number> {
  for (const [name, count] of Object.entries(b)) a[name] = (a[name] ?? 0) + count;
  return a;
}

/**
 * The single table's physical design, in one place: CDK creates the deployed table from it and the local
 * stack and tests create DynamoDB Local tables from it, so the two can never disagree.
 *
 * Item keys are built only by `keys.ts` beside this file.
 */
export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB TTL deletes the item after it (retention of jobs, idempotency, OAuth state). */
  ttlAttribute: 'expiresAt',
  /**
   * The change stream carries each new item's image: the outbox relay reads outbox events from it (its filter
   * admits only `OUTBOX#` inserts). Keys alone would not do: the relay puts the stored envelope on the bus.
   */
  streamView: 'NEW_IMAGE',
  globalSecondaryIndexes: [
    /** Per-owner listings, newest first: `USER#<id>#JOBS` / `<createdAt>#<jobId>`. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Sparse state index: `JOBSTATE#<state>#<shard>` / ordering key; only non-terminal jobs carry it. */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

export type IndexName = (typeof TABLE_DESIGN.globalSecondaryIndexes)[number]['indexName'];

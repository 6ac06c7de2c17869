import {
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type QueryCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';

/**
 * Each page of a Query, following LastEvaluatedKey. The next page is read only when the caller asks for it, so
 * a caller may stop early (`return` inside `for await`), count (`Select: 'COUNT'`) or change items between pages.
 */
export async function* queryPages(
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<QueryCommandOutput> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Each page of a Scan, following LastEvaluatedKey: for migrations and tests only, never a request path. */
export async function* scanPages(
  doc: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<ScanCommandOutput> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * Every item of one partition (or key range), following LastEvaluatedKey. Only for partitions that stay
 * small by design (an org's quotas, the hardware catalog, a year of daily usage): never a Scan.
 */
export async function queryAll(
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(doc, input)) items.push(...(page.Items ?? []));
  return items;
}

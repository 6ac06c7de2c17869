import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClusterRepository } from '#domain/clusters/clusters.port';
import { clusterSchema, type Cluster } from '#domain/clusters/cluster.schema';
import { putVersioned } from './dynamo-versioned';
import * as keys from './table-keys';
import { withoutKeys } from './keys';
import { queryAll } from './query-all';

/**
 * Registered clusters (`CLUSTERS` / `CLUSTER#<id>`), validated on read and write, saved with a version
 * condition. Reads are strongly consistent: a rotated credential or a disabled cluster counts at once.
 */
export class DynamoClusterRepository implements ClusterRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<Cluster | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.cluster(id), ConsistentRead: true }));
    return result.Item ? clusterSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  async list(): Promise<Cluster[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.clusterPartition() },
      ConsistentRead: true,
    });
    return items.map((item) => clusterSchema.parse(withoutKeys(item)));
  }

  async save(cluster: Cluster, expectedVersion: number): Promise<boolean> {
    const item = clusterSchema.parse(cluster);
    return putVersioned(this.doc, this.tableName, { ...item, ...keys.cluster(item.id) }, expectedVersion);
  }
}

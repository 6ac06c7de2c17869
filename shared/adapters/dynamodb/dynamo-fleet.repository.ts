import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FleetDirectory } from '#domain/catalog/catalog.port';
import { deployedFleetSchema, type DeployedFleet } from '#domain/catalog/fleet.schema';
import { withoutKeys } from './keys';
import { queryAll } from './query-all';
import * as keys from './table-keys';

/**
 * The deployed GPU fleets, one item each, written at deploy by the compute stack's catalog seed (and by the
 * local seed). Cached briefly like the hardware catalog: fleets change only with a deploy.
 */
export class DynamoFleetDirectory implements FleetDirectory {
  private readonly cache = new Map<string, { value: DeployedFleet | undefined; until: number }>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlMs = 60_000,
  ) {}

  async get(name: string): Promise<DeployedFleet | undefined> {
    const cached = this.cache.get(name);
    if (cached && cached.until > Date.now()) return cached.value;
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.fleet(name) }));
    const value = result.Item ? deployedFleetSchema.parse(withoutKeys(result.Item)) : undefined;
    this.cache.set(name, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  /** One partition, one Query (paged): never a Scan. */
  async list(): Promise<DeployedFleet[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.fleetPartition() },
    });
    return items.map((item) => deployedFleetSchema.parse(withoutKeys(item)));
  }

  /** Used by the local seed; a deployed stack writes fleets only through the deploy. */
  async put(fleet: DeployedFleet): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: fleetItem(fleet) }));
    this.cache.delete(fleet.name);
  }
}

/** The stored item of a fleet; the deploy-time catalog seed writes the same shape. */
export const fleetItem = (fleet: DeployedFleet): Record<string, unknown> => {
  const item = deployedFleetSchema.parse(fleet);
  return { ...item, ...keys.fleet(item.name) };
};

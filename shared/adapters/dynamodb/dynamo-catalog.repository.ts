import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all';
import type { HardwareCatalogAdmin } from '#domain/catalog/catalog.port';
import { hardwareTypeSchema, type HardwareType } from '#domain/catalog/hardware.schema';
import * as keys from './table-keys';
import { withoutKeys } from './keys';

/**
 * Hardware catalog in the table, with a short in-memory cache: the catalog changes rarely and the submit
 * path must not pay a round trip for it on a warm function (docs/budgets.md).
 */
export class DynamoHardwareCatalog implements HardwareCatalogAdmin {
  private readonly cache = new Map<string, { value: HardwareType | undefined; until: number }>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlMs = 60_000,
  ) {}

  async get(id: string): Promise<HardwareType | undefined> {
    const cached = this.cache.get(id);
    if (cached && cached.until > Date.now()) return cached.value;
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.hardwareType(id) }));
    const value = result.Item ? hardwareTypeSchema.parse(withoutKeys(result.Item)) : undefined;
    this.cache.set(id, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  /** The whole catalog is one partition: one Query (paged), never a Scan. */
  async list(): Promise<HardwareType[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.hardwarePartition() },
    });
    return items.map((item) => hardwareTypeSchema.parse(withoutKeys(item)));
  }

  async put(hardware: HardwareType): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: hardwareTypeItem(hardware) }));
    this.cache.delete(hardware.id);
  }
}

/** The stored item of a hardware type; the deploy-time catalog seed writes the same shape. */
export const hardwareTypeItem = (hardware: HardwareType): Record<string, unknown> => {
  const item = hardwareTypeSchema.parse(hardware);
  return { ...item, ...keys.hardwareType(item.id) };
};

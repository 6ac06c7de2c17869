import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withDefaults, type SchedulingSettings } from '#domain/scheduling/scheduling-settings';
import type { SchedulingSettingsStore } from '#domain/scheduling/scheduling.port';
import * as keys from './table-keys';
import { withoutKeys } from './keys';

/**
 * An org's scheduling settings (`ORG#<org>#SCHEDULING` / `SETTINGS`); absent = the defaults. Cached per
 * instance for `cacheTtlMs` (the scheduler reads every org with queued jobs on each pass); a change made
 * through this instance is seen at once.
 */
export class DynamoSchedulingSettings implements SchedulingSettingsStore {
  private readonly cache = new Map<string, { settings: SchedulingSettings; until: number }>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cacheTtlMs = 10_000,
  ) {}

  async forOrg(orgId: string): Promise<SchedulingSettings> {
    const cached = this.cache.get(orgId);
    if (cached && cached.until > Date.now()) return cached.settings;
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.schedulingSettings(orgId), ConsistentRead: true }),
    );
    const settings = withDefaults(result.Item ? withoutKeys(result.Item) : undefined);
    this.cache.set(orgId, { settings, until: Date.now() + this.cacheTtlMs });
    return settings;
  }

  async put(orgId: string, settings: SchedulingSettings): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.schedulingSettings(orgId), ...settings } }));
    this.cache.set(orgId, { settings, until: Date.now() + this.cacheTtlMs });
  }
}

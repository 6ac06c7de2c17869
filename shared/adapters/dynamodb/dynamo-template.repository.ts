import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ListOptions, Page } from '#domain/page';
import { jobTemplateSchema, type JobTemplate } from '#domain/templates/template.schema';
import type { TemplateRepository } from '#domain/templates/templates.port';
import { deleteExisting, pick, putVersioned, queryPage } from './dynamo-versioned';
import * as keys from './table-keys';
import { withoutKeys } from './keys';

/** Job templates (`ORG#<orgId>#TEMPLATES` / `TEMPLATE#<name>`), listed by name. */
export class DynamoTemplateRepository implements TemplateRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orgId: string, name: string): Promise<JobTemplate | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.template(orgId, name) }));
    return result.Item ? jobTemplateSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  list(orgId: string, options: ListOptions & { ownerId?: string | undefined }): Promise<Page<JobTemplate>> {
    const pk = keys.templatePartition(orgId);
    return queryPage(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ...(options.ownerId ? { FilterExpression: 'ownerId = :owner' } : {}),
        ExpressionAttributeValues: { ':pk': pk, ...(options.ownerId ? { ':owner': options.ownerId } : {}) },
      },
      jobTemplateSchema,
      { ...options, partition: { attribute: 'pk', value: pk }, keyOf: (item) => pick(item, ['pk', 'sk']) },
    );
  }

  save(template: JobTemplate, expectedVersion: number): Promise<boolean> {
    const item = jobTemplateSchema.parse(template);
    return putVersioned(this.doc, this.tableName, { ...item, ...keys.template(item.orgId, item.name) }, expectedVersion);
  }

  remove(orgId: string, name: string): Promise<boolean> {
    return deleteExisting(this.doc, this.tableName, keys.template(orgId, name));
  }
}

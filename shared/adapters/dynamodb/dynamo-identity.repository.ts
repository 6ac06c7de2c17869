import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { BootstrapRegistry, ExternalIdentityLink, ExternalIdentityRepository } from '#domain/identity/identity.port';
import * as keys from './table-keys';
import { withoutKeys } from './keys';

const linkSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  providerId: z.string(),
  subject: z.string(),
  userId: z.string(),
  createdAt: z.string(),
});

const subjectHash = (subject: string): string => createHash('sha256').update(subject, 'utf8').digest('hex');

/** External identity → user links (`issuer#sub`, LDAP DN), one item per link, created conditionally. */
export class DynamoExternalIdentityRepository implements ExternalIdentityRepository, BootstrapRegistry {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(providerId: string, subject: string): Promise<ExternalIdentityLink | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.externalIdentity(providerId, subjectHash(subject)) }),
    );
    if (!result.Item) return undefined;
    const link = linkSchema.parse(withoutKeys(result.Item));
    // The key is a hash: compare the stored subject too, so a collision could never merge two accounts.
    return link.subject === subject && link.providerId === providerId ? link : undefined;
  }

  async link(link: ExternalIdentityLink): Promise<ExternalIdentityLink> {
    const item = linkSchema.parse(link);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, ...keys.externalIdentity(item.providerId, subjectHash(item.subject)) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return item;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(link.providerId, link.subject);
      if (!existing) throw error;
      return existing;
    }
  }

  async claimFirstAdmin(userId: string, at: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.bootstrapAdmin(), userId, claimedAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async firstAdmin(): Promise<string | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.bootstrapAdmin() }));
    const userId: unknown = result.Item?.userId;
    return typeof userId === 'string' ? userId : undefined;
  }
}

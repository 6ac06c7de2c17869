import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLE_DESIGN } from '#adapters/dynamodb/table-design';
import { synthQuartermaster } from './quartermaster-app.fixture';

const { stacks, template } = synthQuartermaster();
const data = template(stacks.data);

describe('data stack', () => {
  it('builds the single table from TABLE_DESIGN: keys, GSIs and TTL', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_DESIGN.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: {
        AttributeName: TABLE_DESIGN.ttlAttribute,
        Enabled: true,
      },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('encrypts the table with a customer-managed key that rotates', () => {
    const keys = data.findResources('AWS::KMS::Key');
    const [keyId] = Object.keys(keys);
    expect(keyId).toBeDefined();
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
  });

  it('turns on point-in-time recovery and deletion protection', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('retains the table and its key when the stack goes away', () => {
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    data.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    expect(stacks.data.terminationProtection).toBe(true);
  });

  it('streams new item images (the outbox relay reads them) and has no fixed table name', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TableName: Match.absent(),
    });
  });
});

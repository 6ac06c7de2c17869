import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '#adapters/dynamodb/table-design';
import type { TableAccess } from '#http/route';
import type { QmStackProps } from './stack-props';

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
/** Transactions need no actions of their own: TransactWriteItems is authorized per Put/Update/Delete/ConditionCheck. */
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
/** Reads and writes of single items, which `dynamodb:LeadingKeys` can limit to partitions (DescribeTable has no key). */
const PARTITION_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const PARTITION_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
/** `dynamodb:LeadingKeys` (every partition key a request names) must match one of `patterns`. */
const onPartitions = (patterns: readonly string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] } });
const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/**
 * Data lifecycle: the single table and its customer-managed key. Retained on stack deletion, with deletion
 * protection and point-in-time recovery, because everything else can be redeployed and this cannot.
 *
 * Grants are explicit action lists rather than `grantReadData`/`grantReadWriteData`: no `Scan` (no request
 * path may scan, docs/budgets.md), no stream actions (the outbox relay alone reads the stream, through its event
 * source mapping), and named index ARNs instead of `index/*`.
 */
export class DataStack extends Stack {
  readonly table: Table;
  readonly tableKey: Key;

  constructor(scope: Construct, id: string, props: QmStackProps) {
    super(scope, id, props);
    const { stage } = props.config;

    this.tableKey = new Key(this, 'TableKey', {
      description: `Quartermaster ${stage}: encrypts the single table`,
      alias: `alias/quartermaster/${stage}/table`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: {
        name: TABLE_DESIGN.partitionKey,
        type: AttributeType.STRING,
      },
      sortKey: { name: TABLE_DESIGN.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_DESIGN.ttlAttribute,
      // Read by the outbox relay only (workflows stack): events are derived from what committed here.
      stream: StreamViewType[TABLE_DESIGN.streamView],
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_DESIGN.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /** Read items and query the table and its indexes. */
  grantRead(grantee: IGrantable): void {
    this.addTableStatement(grantee, READ_ACTIONS, true);
    this.addKeyStatement(grantee, KMS_READ_ACTIONS);
  }

  /** Read, write and transact items. */
  grantReadWrite(grantee: IGrantable): void {
    this.addTableStatement(grantee, [...READ_ACTIONS, ...WRITE_ACTIONS], true);
    this.addKeyStatement(grantee, [...KMS_READ_ACTIONS, ...KMS_WRITE_ACTIONS]);
  }

  /**
   * Reads and writes limited to the partitions `access` declares (`dynamodb:LeadingKeys`, which for a Query
   * on an index is the index's partition key): the grant of every API function, built from its route group.
   * Writes go to the table only (no index), one item at a time or in a transaction (authorized item by item,
   * so an audit append needs `AUDIT#*` for both its entry and the chain head).
   */
  grantPartitions(grantee: IGrantable, access: TableAccess): void {
    if (access.reads.length > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: PARTITION_READ_ACTIONS,
          resources: this.tableAndIndexArns(),
          conditions: onPartitions(access.reads),
        }),
      );
      this.addKeyStatement(grantee, KMS_READ_ACTIONS);
    }
    if (access.writes.length > 0) this.grantPartitionWrites(grantee, access.writes, PARTITION_WRITE_ACTIONS);
  }

  /** `actions` (item writes) on the table only, limited to the partitions `prefixes` match. */
  grantPartitionWrites(grantee: IGrantable, prefixes: readonly string[], actions: readonly string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions], resources: [this.table.tableArn], conditions: onPartitions(prefixes) }),
    );
    this.addKeyStatement(grantee, ['kms:Encrypt', 'kms:GenerateDataKey']);
  }

  private addTableStatement(grantee: IGrantable, actions: string[], withIndexes: boolean): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: withIndexes ? this.tableAndIndexArns() : [this.table.tableArn] }),
    );
  }

  private tableAndIndexArns(): string[] {
    return [this.table.tableArn, ...TABLE_DESIGN.globalSecondaryIndexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`)];
  }

  /** The key is usable only through DynamoDB, never directly. */
  private addKeyStatement(grantee: IGrantable, actions: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions,
        resources: [this.tableKey.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com`,
          },
        },
      }),
    );
  }
}

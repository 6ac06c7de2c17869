import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Construct } from 'constructs';
import { hardwareTypeItem } from '#adapters/dynamodb/dynamo-catalog.repository';
import { fleetItem } from '#adapters/dynamodb/dynamo-fleet.repository';
import * as keys from '#adapters/dynamodb/table-keys';
import { toDeployedFleet } from '#domain/catalog/fleet.schema';
import { stagePriceList, type StageConfig } from '#lib/config/stage-config';

export interface CatalogSeedProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly tableKey: IKey;
}

/**
 * Writes the stage's fleets and hardware catalog to the table at deploy, one custom resource per item, so
 * the running system places and prices jobs on exactly what this deploy created (one source of truth:
 * the stage config). An item is rewritten when its entry in the stage config changes (its properties
 * change); a hardware type removed from the config is disabled, never deleted (jobs refer to it); a fleet
 * removed from the config is deleted with its capacity.
 *
 * Run-time edits through `PUT /v1/hardware/{id}` last until the stage config changes that type.
 */
export class CatalogSeed extends Construct {
  constructor(scope: Construct, id: string, props: CatalogSeedProps) {
    super(scope, id);
    const { config, table } = props;
    const prices = stagePriceList(config);
    // Our own role and log group for CDK's provider function: no AWS managed policy, logs with retention.
    const logGroup = new LogGroup(this, 'ProviderLogs', { retention: config.logRetentionDays as RetentionDays });
    const role = new Role(this, 'ProviderRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Writes the stage config fleets and hardware catalog to the table during deploys',
    });
    logGroup.grantWrite(role);
    const policy = AwsCustomResourcePolicy.fromStatements([
      new PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resources: [table.tableArn] }),
      new PolicyStatement({ actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [props.tableKey.keyArn] }),
    ]);
    const put = (item: Record<string, unknown>, physicalId: string): AwsSdkCall => ({
      service: 'DynamoDB',
      action: 'putItem',
      parameters: { TableName: table.tableName, Item: marshall(item, { removeUndefinedValues: true }) },
      physicalResourceId: PhysicalResourceId.of(physicalId),
    });

    for (const fleet of config.fleets) {
      const item = fleetItem(toDeployedFleet(config.stage, fleet, prices));
      const call = put(item, `fleet/${fleet.name}`);
      new AwsCustomResource(this, `Fleet-${fleet.name}`, {
        onCreate: call,
        onUpdate: call,
        onDelete: {
          service: 'DynamoDB',
          action: 'deleteItem',
          parameters: { TableName: table.tableName, Key: marshall(keys.fleet(fleet.name)) },
        },
        policy,
        role,
        logGroup,
        installLatestAwsSdk: false,
      });
    }
    for (const hardware of config.hardwareTypes) {
      const call = put(hardwareTypeItem(hardware), `hardware/${hardware.id}`);
      new AwsCustomResource(this, `Hardware-${hardware.id}`, {
        onCreate: call,
        onUpdate: call,
        onDelete: {
          service: 'DynamoDB',
          action: 'updateItem',
          parameters: {
            TableName: table.tableName,
            Key: marshall(keys.hardwareType(hardware.id)),
            UpdateExpression: 'SET enabled = :disabled',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':disabled': { BOOL: false } },
          },
          ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
        },
        policy,
        role,
        logGroup,
        installLatestAwsSdk: false,
      });
    }
  }
}

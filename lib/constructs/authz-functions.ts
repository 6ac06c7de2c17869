import { Aws, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { adminEnvSchema } from '#functions/api/admin/admin.env';
import { auditEnvSchema } from '#functions/api/audit/audit.env';
import { templatesEnvSchema } from '#functions/api/templates/templates.env';
import { tenancyEnvSchema } from '#functions/api/tenancy/tenancy.env';
import type { accessEnvSchema } from '#config/access-env';
import type { baseEnvSchema } from '#config/env';
import type { StageConfig } from '#lib/config/stage-config';
import type { DataStack } from '#lib/stacks/data-stack';
import { QmFunction, type DeployedEnv } from './qm-function';

/**
 * Partitions each authorization function may write (`dynamodb:LeadingKeys`). Every API function appends
 * to the audit chains (`AUDIT#<org>`); beyond that, each writes only its own entities.
 */
export const AUTHZ_WRITABLE_KEY_PREFIXES = {
  /** Users, custom levels and resource rules. */
  admin: ['USER#*', 'ORG#*#LEVELS', 'ORG#*#RULES', 'AUDIT#*'],
  /** Orgs and teams (`ORG#<id>`), and users' memberships. */
  tenancy: ['ORG#*', 'USER#*', 'AUDIT#*'],
  templates: ['ORG#*#TEMPLATES', 'AUDIT#*'],
  /** Reads the chains; writes only the entries of requests it refuses. */
  audit: ['AUDIT#*'],
} as const;

/** The access gate and audit settings (`accessEnvSchema`) from the stage config. */
export function accessFunctionEnv(config: StageConfig): DeployedEnv<typeof accessEnvSchema> {
  return {
    QM_AUDIT_RETENTION_DAYS: String(config.auditRetentionDays),
    // DESIGN §4.2: effective permissions are cached at most 60 s.
    QM_PERMISSION_CACHE_SECONDS: '60',
  };
}

export interface AuthzFunctionsProps {
  readonly config: StageConfig;
  readonly data: DataStack;
  readonly base: DeployedEnv<typeof baseEnvSchema>;
  readonly logRetention: RetentionDays;
}

/**
 * The authorization and tenancy route functions: `admin` (users, custom levels, resource rules), `tenancy`
 * (orgs, teams, members), `templates` (job templates) and `audit` (read and verify the trail). Each reads
 * the table (the access gate reads the caller's user record) and writes only its own partitions.
 */
export class AuthzFunctions extends Construct {
  readonly admin: QmFunction<typeof adminEnvSchema>;
  readonly tenancy: QmFunction<typeof tenancyEnvSchema>;
  readonly templates: QmFunction<typeof templatesEnvSchema>;
  readonly audit: QmFunction<typeof auditEnvSchema>;

  constructor(scope: Construct, id: string, props: AuthzFunctionsProps) {
    super(scope, id);
    const { config, data, logRetention } = props;
    const stack = Stack.of(this);
    const env = { ...props.base, ...accessFunctionEnv(config) };

    this.admin = new QmFunction(stack, 'Admin', {
      entry: 'functions/api/admin/admin.handler.ts',
      envSchema: adminEnvSchema,
      env,
      description: 'Users, levels, permission overrides, memberships and resource rules',
      logRetention,
    });
    this.tenancy = new QmFunction(stack, 'Tenancy', {
      entry: 'functions/api/tenancy/tenancy.handler.ts',
      envSchema: tenancyEnvSchema,
      env,
      description: 'Orgs, teams and team members',
      logRetention,
    });
    this.templates = new QmFunction(stack, 'Templates', {
      entry: 'functions/api/templates/templates.handler.ts',
      envSchema: templatesEnvSchema,
      env,
      description: 'Job templates',
      logRetention,
    });
    this.audit = new QmFunction(stack, 'Audit', {
      entry: 'functions/api/audit/audit.handler.ts',
      envSchema: auditEnvSchema,
      env,
      description: 'Audit trail: query and hash-chain verification',
      logRetention,
    });
    for (const [name, fn] of Object.entries({ admin: this.admin, tenancy: this.tenancy, templates: this.templates, audit: this.audit })) {
      data.grantRead(fn);
      grantPartitionWrites(fn, data, AUTHZ_WRITABLE_KEY_PREFIXES[name as keyof typeof AUTHZ_WRITABLE_KEY_PREFIXES]);
    }
  }
}

/**
 * Put, update and delete on the table only (no index), limited by `dynamodb:LeadingKeys` to `prefixes`
 * (transactions are authorized item by item, so the audit append's entry and head both need `AUDIT#*`);
 * the table key only through DynamoDB.
 */
export function grantPartitionWrites(grantee: IGrantable, data: DataStack, prefixes: readonly string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      resources: [data.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...prefixes] } },
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [data.tableKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
    }),
  );
}

import { describe, expect, it } from 'vitest';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import type { AwsPermission, RouteGroup, TableAccess } from '#http/route';
import { actionsOf, policyStatementsOfRole, synthQuartermaster, type Statement } from './quartermaster-app.fixture';

// A stage with a verified email sender, so that every declarable AWS permission grants something.
const { stacks, template } = synthQuartermaster({ config: { notificationSender: { identity: 'example.com', from: 'qm@example.com' } } });
const api = template(stacks.api);

const pascal = (name: string) =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
const roleOf = (group: RouteGroup) => `Functions${pascal(group.name)}Role`;

const TABLE_READ = /^dynamodb:(GetItem|BatchGetItem|Query|ConditionCheckItem)$/;
const TABLE_WRITE = /^dynamodb:(PutItem|UpdateItem|DeleteItem)$/;

/**
 * Every way `statements` reach the table beyond what `access` declares: a DynamoDB action not limited by
 * `dynamodb:LeadingKeys`, a partition pattern the declaration lacks, or an action outside item reads/writes.
 */
function tableReachBeyond(statements: readonly Statement[], access: TableAccess): string[] {
  const problems: string[] = [];
  for (const statement of statements) {
    const actions = actionsOf(statement).filter((action) => action.startsWith('dynamodb:'));
    if (actions.length === 0) continue;
    const patterns = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | undefined;
    if (!patterns) {
      problems.push(`${actions.join(',')} on every partition`);
      continue;
    }
    for (const action of actions) {
      const declared = TABLE_WRITE.test(action) ? access.writes : TABLE_READ.test(action) ? access.reads : undefined;
      if (!declared) problems.push(`${action} is neither an item read nor an item write`);
      else for (const pattern of patterns) if (!declared.includes(pattern)) problems.push(`${action} on ${pattern}`);
    }
  }
  return problems;
}

/**
 * The AWS permissions (beyond the table and the function's own logs) that `statements` grant. Putting events
 * is no permission a group can declare (events and approval flow signals go through the table's outbox), and
 * neither is sending email (the notifier does, also for a channel test) or any Step Functions action (the
 * approval bridge starts and resumes flows), so each always shows up as extra.
 */
function awsPermissionsIn(statements: readonly Statement[]): (AwsPermission | 'events:PutEvents' | 'ses:SendEmail' | 'states:*')[] {
  const found = new Set<AwsPermission | 'events:PutEvents' | 'ses:SendEmail' | 'states:*'>();
  for (const statement of statements) {
    const actions = actionsOf(statement);
    const resources = JSON.stringify(statement.Resource);
    if (actions.includes('events:PutEvents')) found.add('events:PutEvents');
    if (actions.includes('kms:Sign')) found.add('sessions.sign');
    const clusterSecrets = resources.includes('clusters/*');
    if (actions.includes('secretsmanager:GetSecretValue') && resources.includes('idp/*')) found.add('idp-secrets.read');
    if (actions.includes('secretsmanager:GetSecretValue') && resources.includes('BreakGlass')) found.add('break-glass-secret.read');
    if (actions.includes('secretsmanager:GetSecretValue') && resources.includes('ApprovalLinkKey')) found.add('approval-link-key.read');
    if (actions.includes('secretsmanager:PutSecretValue') && resources.includes('idp/*')) found.add('idp-secrets.write');
    // Channel secrets: written, and read back only during a rotation; never the IdP prefix.
    if (actions.includes('secretsmanager:PutSecretValue') && resources.includes('notifications/*')) found.add('notification-secrets.write');
    if (actions.includes('secretsmanager:PutSecretValue') && clusterSecrets) found.add('cluster-secrets.write');
    if (actions.includes('secretsmanager:GetSecretValue') && !actions.includes('secretsmanager:PutSecretValue') && clusterSecrets) {
      found.add('cluster-secrets.read');
    }
    if (actions.includes('logs:GetLogEvents')) found.add('job-output.read');
    // No API function sends email: a channel test is delivered by the notifier.
    if (actions.includes('ses:SendEmail')) found.add('ses:SendEmail');
    if (actions.some((action) => action.startsWith('states:'))) found.add('states:*');
  }
  return [...found].sort();
}

describe('API functions: least privilege follows each route group declaration', () => {
  for (const group of API_ROUTE_GROUPS) {
    const statements = policyStatementsOfRole(api, roleOf(group));

    it(`${group.name}: reaches no table partition it does not declare`, () => {
      expect(statements.length, roleOf(group)).toBeGreaterThan(0);
      expect(tableReachBeyond(statements, group.table)).toEqual([]);
    });

    it(`${group.name}: is granted exactly the partitions and AWS permissions it declares`, () => {
      const conditioned = (test: RegExp) =>
        statements
          .filter((s) => actionsOf(s).some((action) => test.test(action)))
          .flatMap((s) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[]);
      expect(conditioned(TABLE_READ).sort()).toEqual([...group.table.reads].sort());
      expect(conditioned(TABLE_WRITE).sort()).toEqual([...group.table.writes].sort());
      expect(awsPermissionsIn(statements)).toEqual([...(group.aws ?? [])].sort());
    });

    it(`${group.name}: uses the table key only through DynamoDB, and no wildcard action`, () => {
      for (const statement of statements.filter((s) =>
        actionsOf(s).some((a) => a.startsWith('kms:') && a !== 'kms:Sign' && a !== 'kms:GetPublicKey'),
      )) {
        expect(statement.Condition?.StringEquals?.['kms:ViaService']).toBeDefined();
      }
      expect(statements.flatMap(actionsOf).filter((action) => action.includes('*'))).toEqual([]);
    });
  }

  it('no API function holds a Step Functions right: approval flows are started and resumed by the approval bridge', () => {
    const states = API_ROUTE_GROUPS.flatMap((group) =>
      policyStatementsOfRole(api, roleOf(group))
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('states:'))
        .map((action) => `${group.name}: ${action}`),
    );
    expect(states).toEqual([]);
    const env = JSON.stringify(api.findResources('AWS::Lambda::Function'));
    expect(env).not.toContain('QM_APPROVAL_STATE_MACHINE_ARN');
  });

  it('the partition check bites: a table-wide read-write statement, or an undeclared partition, is reported', () => {
    const access = { reads: ['USER#*'], writes: ['AUDIT#*'] };
    const tableWide: Statement = { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: 'table' };
    const undeclared: Statement = {
      Effect: 'Allow',
      Action: 'dynamodb:PutItem',
      Resource: 'table',
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*', 'JOB#*'] } },
    };
    expect(tableReachBeyond([tableWide], access)).toEqual(['dynamodb:GetItem,dynamodb:PutItem on every partition']);
    expect(tableReachBeyond([undeclared], access)).toEqual(['dynamodb:PutItem on JOB#*']);
  });

  it('every function behind the access gate writes the audit chains and has the audit retention and the 60 s permission cache bound', () => {
    const functions = Object.entries(api.findResources('AWS::Lambda::Function')) as [
      string,
      { Properties: { Environment?: { Variables?: Record<string, unknown> } } },
    ][];
    for (const group of API_ROUTE_GROUPS.filter((g) => g.name !== 'health')) {
      expect(group.table.writes, group.name).toContain('AUDIT#*');
      const fn = functions.find(([id]) => new RegExp(`^Functions${pascal(group.name)}[A-F0-9]{8}$`).test(id));
      expect(fn, group.name).toBeDefined();
      expect(fn?.[1].Properties.Environment?.Variables?.QM_AUDIT_RETENTION_DAYS, group.name).toBe('90');
      expect(fn?.[1].Properties.Environment?.Variables?.QM_PERMISSION_CACHE_SECONDS, group.name).toBe('60');
    }
  });
});

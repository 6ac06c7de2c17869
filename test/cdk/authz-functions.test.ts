import { describe, expect, it } from 'vitest';
import { AUTHZ_WRITABLE_KEY_PREFIXES } from '#lib/constructs/authz-functions';
import { actionsOf, policyStatementsOfRole, synthQuartermaster } from './quartermaster-app.fixture';

const { stacks, template } = synthQuartermaster();
const api = template(stacks.api);

interface CfnFunction {
  Properties: { Environment?: { Variables?: Record<string, unknown> }; Description?: string };
}
const functionsByPrefix = (prefix: string): CfnFunction[] =>
  Object.entries(api.findResources('AWS::Lambda::Function'))
    .filter(([id]) => new RegExp(`^${prefix}[A-F0-9]{8}$`).test(id))
    .map(([, fn]) => fn as CfnFunction);

const ROLES = { admin: 'AdminRole', tenancy: 'TenancyRole', templates: 'TemplatesRole', audit: 'AuditRole' } as const;
const TABLE_WRITE = /^dynamodb:(Put|Update|Delete|BatchWrite)/;

describe('authorization functions: least privilege', () => {
  for (const [name, role] of Object.entries(ROLES) as [keyof typeof ROLES, string][]) {
    const statements = policyStatementsOfRole(api, role);

    it(`${name}: reads the table and its indexes, never scans`, () => {
      const actions = statements.flatMap(actionsOf);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(actions).not.toContain('dynamodb:Scan');
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    });

    it(`${name}: writes only its own partitions (dynamodb:LeadingKeys), including the audit chains`, () => {
      const writes = statements.filter((statement) => actionsOf(statement).some((action) => TABLE_WRITE.test(action)));
      expect(writes.length).toBeGreaterThan(0);
      for (const statement of writes) {
        expect(actionsOf(statement).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
        expect(statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([...AUTHZ_WRITABLE_KEY_PREFIXES[name]]);
      }
      expect(AUTHZ_WRITABLE_KEY_PREFIXES[name]).toContain('AUDIT#*');
    });

    it(`${name}: uses the table key only through DynamoDB, and touches no queue, bus or secret`, () => {
      for (const statement of statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))) {
        expect(statement.Condition?.StringEquals?.['kms:ViaService']).toBeDefined();
      }
      expect(statements.flatMap(actionsOf).filter((action) => /^(sqs|events|secretsmanager):/.test(action))).toEqual([]);
    });
  }

  it('gives every authenticated route function the audit retention and the 60 s permission cache bound', () => {
    for (const prefix of ['Admin', 'Tenancy', 'Templates', 'Audit', 'Jobs']) {
      const [fn] = functionsByPrefix(prefix);
      expect(fn, prefix).toBeDefined();
      expect(fn?.Properties.Environment?.Variables?.QM_AUDIT_RETENTION_DAYS, prefix).toBe('90');
      expect(fn?.Properties.Environment?.Variables?.QM_PERMISSION_CACHE_SECONDS, prefix).toBe('60');
    }
  });
});

import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { NOTIFIABLE_EVENT_TYPES } from '#domain/event-catalog/event-catalog';
import { NOTIFIER_TIMEOUT, NOTIFY_MAX_ATTEMPTS, PERSONAL_READS } from '#lib/constructs/notifier';
import { actionsOf, policyStatementsOfRole, synthQuartermaster, type Statement } from './quartermaster-app.fixture';

/** A stage with a verified sender, as docs/deploy.md describes it. */
const SENDER = { identity: 'example.com', from: 'quartermaster@example.com' };
const { stacks, template } = synthQuartermaster({ config: { notificationSender: SENDER, consoleUrl: 'https://qm.example.com' } });
const workflows = template(stacks.workflows);
const notifier = stacks.workflows.notifier;
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stacks.workflows.getLogicalId(construct.node.defaultChild as Parameters<typeof stacks.workflows.getLogicalId>[0]);
const roleStatements = (): Statement[] => {
  const roleId = stacks.workflows.getLogicalId(notifier.fn.role?.node.defaultChild as Parameters<typeof stacks.workflows.getLogicalId>[0]);
  return policyStatementsOfRole(workflows, roleId);
};

describe('notifier: EventBridge rule → SQS (+DLQ) → function', () => {
  it('routes every subscribable catalog type, and nothing else, to the notification queue (the envelope as body)', () => {
    workflows.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['quartermaster'], 'detail-type': [...NOTIFIABLE_EVENT_TYPES] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(notifier.queue), 'Arn'] },
          InputPath: '$.detail',
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(notifier.deadLetterQueue), 'Arn'] } },
        }),
      ],
    });
    expect(NOTIFIABLE_EVENT_TYPES).not.toContain('system.test');
  });

  it(`moves an event to the DLQ after ${NOTIFY_MAX_ATTEMPTS} receives; visibility timeout is six times the function timeout`, () => {
    workflows.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(notifier.deadLetterQueue), 'Arn'] },
        maxReceiveCount: NOTIFY_MAX_ATTEMPTS,
      },
      VisibilityTimeout: NOTIFIER_TIMEOUT.toSeconds() * 6,
      SqsManagedSseEnabled: true,
    });
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: NOTIFIER_TIMEOUT.toSeconds(),
      Environment: {
        Variables: Match.objectLike({
          QM_NOTIFY_MAX_ATTEMPTS: String(NOTIFY_MAX_ATTEMPTS),
          QM_EMAIL_FROM: SENDER.from,
          QM_CONSOLE_URL: 'https://qm.example.com',
          QM_NOTIFICATION_QUEUE_URL: { Ref: logicalId(notifier.queue) },
        }),
      },
    });
  });

  it('consumes the queue with partial batch failures and bounded concurrency', () => {
    workflows.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(notifier.queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('notifier: least privilege', () => {
  it('writes only channel state, delivery records and the outbox; reads those, plus what personal email checks', () => {
    const dynamo = roleStatements().filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    expect(dynamo.length).toBeGreaterThan(0);
    const partitions = ['ORG#*#NOTIFICATION_CHANNELS', 'ORG#*#NOTIFICATION_DELIVERIES#*'];
    const personalReads = ['ORG#*#PERSONAL_NOTIFICATIONS', 'USER#*', 'ORG#*#LEVELS', 'ORG#*#APPROVALS'];
    expect(PERSONAL_READS).toEqual(personalReads);
    for (const statement of dynamo) {
      const writes = actionsOf(statement).includes('dynamodb:PutItem');
      expect(statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual(
        writes ? [...partitions, 'OUTBOX#*'] : [...partitions, ...personalReads],
      );
    }
  });

  it('reads the approval-link key, by the name the identity stack gives it, and no other secret of that stack', () => {
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          QM_APPROVAL_LINK_KEY_SECRET_ID: 'quartermaster/prod/approval-link-key',
          QM_APPROVAL_LINK_BASE_URL: 'https://qm.example.com',
        }),
      },
    });
    const identity = template(stacks.identity);
    identity.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'quartermaster/prod/approval-link-key' });
    const secrets = roleStatements().filter((statement) => actionsOf(statement).some((action) => action.startsWith('secretsmanager:')));
    // CDK merges the two secret reads into one statement: the stage's notification secrets and this one key.
    expect(secrets.flatMap(actionsOf)).toEqual(['secretsmanager:GetSecretValue']);
    const resources = [secrets[0]!.Resource].flat();
    const linkKey = resources.filter((resource) => JSON.stringify(resource).includes('approval-link-key'));
    expect(linkKey).toEqual([
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':secretsmanager:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':secret:quartermaster/prod/approval-link-key-*',
          ],
        ],
      },
    ]);
    expect(resources).toHaveLength(2);
    expect(JSON.stringify(secrets)).not.toMatch(/break-glass|idp\/|clusters\//);
  });

  it('sends email only from the verified identity and address, reads only the stage notification secrets', () => {
    const statements = roleStatements();
    const ses = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('ses:')));
    expect(ses).toEqual([
      expect.objectContaining({
        Action: 'ses:SendEmail',
        Resource: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':identity/example.com'],
          ],
        },
        Condition: { StringEquals: { 'ses:FromAddress': SENDER.from } },
      }),
    ]);
    const secrets = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('secretsmanager:')));
    expect(secrets.flatMap(actionsOf)).toEqual(['secretsmanager:GetSecretValue']);
    expect(JSON.stringify(secrets[0]?.Resource)).toContain(':secret:quartermaster/prod/notifications/*');
  });

  it('may change message visibility on its own queue (to schedule retries), and puts no event on the bus (outbox)', () => {
    const statements = roleStatements();
    const visibility = statements.filter((statement) => actionsOf(statement).includes('sqs:ChangeMessageVisibility'));
    expect(visibility.map((statement) => statement.Resource)).toContainEqual({ 'Fn::GetAtt': [logicalId(notifier.queue), 'Arn'] });
    const events = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('events:')));
    expect(events.flatMap(actionsOf)).toEqual([]);
    const everything = statements.flatMap(actionsOf);
    for (const action of everything) expect(action).toMatch(/^(dynamodb|kms|ses|secretsmanager|sqs|logs):/);
  });

  it('gives the notifications API function ses:SendEmail on the same identity (its test route sends email)', () => {
    const api = template(stacks.api);
    const policies = Object.values(api.findResources('AWS::IAM::Policy')) as {
      Properties: { PolicyDocument: { Statement: Statement[] } };
    }[];
    const sendsEmail = policies.filter((policy) =>
      policy.Properties.PolicyDocument.Statement.some((statement) => actionsOf(statement).includes('ses:SendEmail')),
    );
    expect(sendsEmail).toHaveLength(1);
  });
});

describe('notifier: a stage without a sender', () => {
  it('grants no ses:SendEmail at all', () => {
    const plain = synthQuartermaster();
    const statements = JSON.stringify([plain.template(plain.stacks.workflows).toJSON(), plain.template(plain.stacks.api).toJSON()]);
    expect(statements).not.toContain('ses:SendEmail');
  });
});

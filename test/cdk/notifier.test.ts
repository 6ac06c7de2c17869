import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { NOTIFIABLE_EVENT_TYPES } from '#domain/event-catalog/event-catalog';
import { CHANNEL_TEST_EVENT } from '#domain/events/system.events';
import { EMAIL_MAX_ATTEMPTS, EMAIL_SENDER_TIMEOUT, NOTIFIER_TIMEOUT, NOTIFY_MAX_ATTEMPTS, PERSONAL_READS } from '#lib/constructs/notifier';
import { actionsOf, policyStatementsOfRole, synthQuartermaster, type Statement } from './quartermaster-app.fixture';

/** A stage with a verified sender, as docs/deploy.md describes it. */
const SENDER = { identity: 'example.com', from: 'quartermaster@example.com' };
const { stacks, template } = synthQuartermaster({ config: { notificationSender: SENDER, consoleUrl: 'https://qm.example.com' } });
const workflows = template(stacks.workflows);
const notifier = stacks.workflows.notifier;
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stacks.workflows.getLogicalId(construct.node.defaultChild as Parameters<typeof stacks.workflows.getLogicalId>[0]);
const roleStatementsOf = (fn: { role?: { node: { defaultChild?: unknown } } | undefined }): Statement[] => {
  const roleId = stacks.workflows.getLogicalId(fn.role?.node.defaultChild as Parameters<typeof stacks.workflows.getLogicalId>[0]);
  return policyStatementsOfRole(workflows, roleId);
};
const roleStatements = (): Statement[] => roleStatementsOf(notifier.fn);
const emailSender = () => {
  if (!notifier.email) throw new Error('the stage has a sender: the email sender must exist');
  return notifier.email;
};

describe('notifier: EventBridge rule → SQS (+DLQ) → function', () => {
  it('routes every subscribable catalog type and channel tests, and nothing else, to the notification queue (the envelope as body)', () => {
    workflows.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['quartermaster'], 'detail-type': [...NOTIFIABLE_EVENT_TYPES, CHANNEL_TEST_EVENT] },
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
          QM_EMAIL_QUEUE_URL: { Ref: logicalId(emailSender().queue) },
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

  it('hands email to the email sender queue (no SES of its own), reads only the stage notification secrets', () => {
    const statements = roleStatements();
    expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('ses:'))).toEqual([]);
    const send = statements.filter((statement) => actionsOf(statement).includes('sqs:SendMessage'));
    expect(send.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [logicalId(emailSender().queue), 'Arn'] }]);
    const secrets = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('secretsmanager:')));
    expect(secrets.flatMap(actionsOf)).toEqual(['secretsmanager:GetSecretValue']);
    expect(JSON.stringify(secrets[0]?.Resource)).toContain(':secret:quartermaster/prod/notifications/*');
  });

  it('the email sender sends email only from the verified identity and address, and touches no table or secret', () => {
    const statements = roleStatementsOf(emailSender().fn);
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
    for (const action of statements.flatMap(actionsOf)) expect(action).toMatch(/^(ses|sqs|kms|logs):/);
  });

  it(`the email sender consumes its queue with partial batch failures; DLQ after ${EMAIL_MAX_ATTEMPTS} receives`, () => {
    workflows.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(emailSender().deadLetterQueue), 'Arn'] },
        maxReceiveCount: EMAIL_MAX_ATTEMPTS,
      },
      VisibilityTimeout: EMAIL_SENDER_TIMEOUT.toSeconds() * 6,
      SqsManagedSseEnabled: true,
    });
    workflows.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(emailSender().queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ QM_EMAIL_FROM: SENDER.from, QM_EMAIL_MAX_ATTEMPTS: String(EMAIL_MAX_ATTEMPTS) }) },
    });
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

  it('gives no API function ses:SendEmail (a channel test is delivered by the notifier)', () => {
    const api = template(stacks.api);
    const policies = Object.values(api.findResources('AWS::IAM::Policy')) as {
      Properties: { PolicyDocument: { Statement: Statement[] } };
    }[];
    const sendsEmail = policies.filter((policy) =>
      policy.Properties.PolicyDocument.Statement.some((statement) => actionsOf(statement).includes('ses:SendEmail')),
    );
    expect(sendsEmail).toHaveLength(0);
  });
});

describe('notifier: a stage without a sender', () => {
  it('has no email sender and grants no ses:SendEmail at all', () => {
    const plain = synthQuartermaster();
    expect(plain.stacks.workflows.notifier.email).toBeUndefined();
    const statements = JSON.stringify([plain.template(plain.stacks.workflows).toJSON(), plain.template(plain.stacks.api).toJSON()]);
    expect(statements).not.toContain('ses:SendEmail');
  });
});

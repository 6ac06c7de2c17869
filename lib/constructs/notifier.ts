import { Aws, Duration, Validations } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { emailSenderEnvSchema } from '#functions/events/email-sender/email-sender.env';
import { notifierEnvSchema } from '#functions/events/notifier/notifier.env';
import { notificationPattern } from '#lib/config/event-patterns';
import type { StageConfig } from '#lib/config/stage-config';
import type { DataStack } from '#lib/stacks/data-stack';
import { baseFunctionEnv, notificationFunctionEnv } from './function-env';
import { approvalLinkKeyName, secretPrefixOf } from './kubernetes-access';
import { grantSendEmail } from './notification-grants';
import { QmFunction } from './qm-function';
import { workQueue } from './work-queue';

/** What personal email reads besides channels: subscriptions, user records, custom levels, approval requests. */
export const PERSONAL_READS = ['ORG#*#PERSONAL_NOTIFICATIONS', 'USER#*', 'ORG#*#LEVELS', 'ORG#*#APPROVALS'];

/** One batch: at most 5 events × their channels side by side, each attempt bounded by QM_NOTIFY_TIMEOUT_MS (5 s). */
export const NOTIFIER_TIMEOUT = Duration.seconds(60);
/** Attempts per event before the DLQ: the queue's maxReceiveCount and the function's QM_NOTIFY_MAX_ATTEMPTS. */
export const NOTIFY_MAX_ATTEMPTS = 6;
/** One batch of at most 10 emails, each SES call bounded by QM_NOTIFY_TIMEOUT_MS (5 s). */
export const EMAIL_SENDER_TIMEOUT = Duration.seconds(60);
/** SES refusals are retried this many receives (every visibility timeout, 6 min) before the email DLQ. */
export const EMAIL_MAX_ATTEMPTS = 6;

export interface NotifierProps {
  readonly config: StageConfig;
  /** The table: the notifier reads channels and writes delivery records and the degraded mark. */
  readonly data: DataStack;
  /** The domain event bus: the rule feeds the queue from it; `system.webhook_failure` goes back on it. */
  readonly eventBus: IEventBus;
  readonly logRetention: RetentionDays;
}

/**
 * Notification delivery (docs/events.md, "Delivery"): an EventBridge rule whose pattern is every subscribable
 * catalog type (`notificationPattern`, from the catalog exports) puts each event's envelope on an encrypted
 * SQS queue; the notifier consumes it with partial batch failures. A failed event comes back after a jittered
 * backoff that honours `Retry-After` (the function changes the message's visibility), and after
 * NOTIFY_MAX_ATTEMPTS receives SQS moves it to the dead-letter queue. The visibility timeout is six times the
 * function timeout, as Lambda recommends for SQS sources. Least privilege: the channel and delivery-record
 * partitions only (and, for personal email, the reads of PERSONAL_READS), the stage's notification secrets and
 * the approval-link key (read), `sqs:SendMessage` on the email sender's queue (email goes there; no SES here).
 */
export class Notifier extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly fn: QmFunction<typeof notifierEnvSchema>;
  /** The email sender (its queue, DLQ and function): only on a stage with a verified sender. */
  readonly email: EmailSender | undefined;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    const { config, data, eventBus } = props;
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = workQueue(this, '', {
      consumerTimeout: NOTIFIER_TIMEOUT,
      maxReceiveCount: NOTIFY_MAX_ATTEMPTS,
      retentionPeriod: Duration.days(4),
    }));

    this.email = config.notificationSender ? new EmailSender(this, 'EmailSender', { config, logRetention: props.logRetention }) : undefined;

    this.fn = new QmFunction(this, 'Function', {
      entry: 'functions/events/notifier/notifier.handler.ts',
      envSchema: notifierEnvSchema,
      env: {
        ...baseFunctionEnv(config, data.table.tableName),
        ...notificationFunctionEnv(config),
        QM_SECRET_NAME_PREFIX: secretPrefixOf(config),
        QM_NOTIFICATION_QUEUE_URL: this.queue.queueUrl,
        QM_NOTIFY_MAX_ATTEMPTS: String(NOTIFY_MAX_ATTEMPTS),
        // By name: the secret lives in the identity stack, which this stack does not reference.
        QM_APPROVAL_LINK_KEY_SECRET_ID: approvalLinkKeyName(config),
        // The API answers under the console's origin too (CloudFront routes `/v1/*` to it, behind the WAF).
        QM_APPROVAL_LINK_BASE_URL: config.consoleUrl,
        ...(this.email ? { QM_EMAIL_QUEUE_URL: this.email.queue.queueUrl } : {}),
      },
      description: 'Delivers domain events to notification channels (email, Slack, signed webhooks)',
      timeout: NOTIFIER_TIMEOUT,
      logRetention: props.logRetention,
    });
    const partitions = ['ORG#*#NOTIFICATION_CHANNELS', 'ORG#*#NOTIFICATION_DELIVERIES#*'];
    // `system.webhook_failure` is recorded in the outbox (`OUTBOX#`); the relay puts it on the bus. Personal email
    // reads users' own subscriptions, their user records and custom levels (who they are now), and the approval
    // request a waiting-approval email is about (is it still pending, who may decide it).
    data.grantPartitions(this.fn, { reads: [...partitions, ...PERSONAL_READS], writes: [...partitions, 'OUTBOX#*'] });
    // Email is handed to the email sender's queue; only that function may call SES.
    this.email?.queue.grantSendMessages(this.fn);
    const secretsArn = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretPrefixOf(config)}notifications/*`;
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretsArn] }));
    Validations.of(this.fn.role ?? this.fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${secretPrefixOf(config)}notifications/*]`,
      reason:
        'Channel secrets are created at run time through the admin API, one per channel, under this stage prefix only (read only here)',
    });
    // Approval emails carry links signed with the approval-link key: read it, and no other secret of the identity stack.
    const linkKeyArn = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${approvalLinkKeyName(config)}-*`;
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [linkKeyArn] }));
    Validations.of(this.fn.role ?? this.fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${approvalLinkKeyName(config)}-*]`,
      reason: 'One secret, the approval-link key, named by the stage; the suffix is the random one Secrets Manager appends to its ARN',
    });
    // Scheduling a retry is changing the failed message's visibility.
    this.queue.grant(this.fn, 'sqs:ChangeMessageVisibility');
    this.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        // Bounded fan-out towards customers' endpoints and SES's sending rate.
        maxConcurrency: 5,
      }),
    );

    new Rule(this, 'Rule', {
      description: 'Delivers every subscribable domain event to the notification queue',
      eventBus,
      eventPattern: notificationPattern,
      targets: [
        new SqsQueue(this.queue, {
          message: RuleTargetInput.fromEventPath('$.detail'),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 20,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}

export interface EmailSenderProps {
  readonly config: StageConfig;
  readonly logRetention: RetentionDays;
}

/**
 * The email sender: the notifier puts each rendered email on this encrypted queue and this small function sends
 * it through SES v2, with partial batch failures; a refused message comes back after the visibility timeout and
 * goes to the DLQ after EMAIL_MAX_ATTEMPTS receives. It exists so that only it carries the SES v2 client (~63 KB
 * that esbuild cannot tree-shake), which would put the notifier over the cold-start budget (docs/budgets.md).
 * Least privilege: `ses:SendEmail` from the verified identity and address only; no table, no secret.
 */
export class EmailSender extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly fn: QmFunction<typeof emailSenderEnvSchema>;

  constructor(scope: Construct, id: string, props: EmailSenderProps) {
    super(scope, id);
    const sender = props.config.notificationSender;
    if (!sender) throw new Error('EmailSender needs the stage config notificationSender');
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = workQueue(this, '', {
      consumerTimeout: EMAIL_SENDER_TIMEOUT,
      maxReceiveCount: EMAIL_MAX_ATTEMPTS,
      retentionPeriod: Duration.days(1),
    }));
    this.fn = new QmFunction(this, 'Function', {
      entry: 'functions/events/email-sender/email-sender.handler.ts',
      envSchema: emailSenderEnvSchema,
      env: {
        QM_STAGE: props.config.stage,
        POWERTOOLS_SERVICE_NAME: 'quartermaster',
        QM_EMAIL_FROM: sender.from,
        QM_EMAIL_MAX_ATTEMPTS: String(EMAIL_MAX_ATTEMPTS),
      },
      description: 'Sends the emails the notifier renders, through SES v2 from the verified sender',
      timeout: EMAIL_SENDER_TIMEOUT,
      logRetention: props.logRetention,
    });
    grantSendEmail(this.fn, props.config);
    this.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Bounded towards SES's sending rate.
        maxConcurrency: 2,
      }),
    );
  }
}

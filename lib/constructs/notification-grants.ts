import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { StageConfig } from '#lib/config/stage-config';

/** ARN of the stage's verified SES sender identity (a domain or an address). */
export const senderIdentityArn = (identity: string): string =>
  `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${identity}`;

/**
 * `ses:SendEmail` from the stage's verified sender identity only, and only with that From address. Nothing when
 * the stage configures no sender (email channels then report that email is not configured).
 */
export function grantSendEmail(grantee: IGrantable, config: Pick<StageConfig, 'notificationSender'>): void {
  const sender = config.notificationSender;
  if (!sender) return;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [senderIdentityArn(sender.identity)],
      conditions: { StringEquals: { 'ses:FromAddress': sender.from } },
    }),
  );
}

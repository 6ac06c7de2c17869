import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailMessage, EmailTransport } from '#domain/notifications/notifications.port';

/**
 * Email through SES v2 (`SendEmail`, simple content), from the stage's verified sender identity
 * (`notificationSender` in the stage config, docs/deploy.md). The function's role may send from that identity
 * only. Errors keep SES's error name and drop its message, which can quote the recipient.
 */
export class SesV2EmailTransport implements EmailTransport {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    try {
      await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
            },
          },
        }),
      );
    } catch (error) {
      // eslint-disable-next-line preserve-caught-error -- SES's message can quote the recipient: only its name is kept.
      throw new Error(`SES refused the message (${error instanceof Error ? error.name : 'unknown error'})`);
    }
  }
}

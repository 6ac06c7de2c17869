import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesV2EmailTransport } from '#adapters/email/sesv2-email.client';
import { getLogger } from '#adapters/logging/logger';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { loadEnv } from '#config/env';
import { composeEmailSender } from './email-sender.app';
import { emailSenderEnvSchema } from './email-sender.env';

// Composition root of the email sender: the SES v2 client, and nothing else. It is its own function, fed by the
// email queue, because the SES v2 client weighs ~63 KB that esbuild cannot tree-shake (its restJson operation
// schemas carry computed keys, so every operation's schema stays): in the notifier it would put that function
// over the cold-start budget (docs/budgets.md).
const env = loadEnv(emailSenderEnvSchema);

export const handler = composeEmailSender(env, {
  email: new SesV2EmailTransport(
    new SESv2Client(boundedAwsClientConfig({ requestTimeoutMs: env.QM_NOTIFY_TIMEOUT_MS })),
    env.QM_EMAIL_FROM,
  ),
  log: getLogger(),
});

import type { EmailTransport } from '#domain/notifications/notifications.port';

/**
 * What a stage without a configured sender gets: email channels fail with a clear reason, nothing is sent. Its
 * own module, so the notifier can use it without bundling the SES client (sesv2-email.client.ts).
 */
export const unconfiguredEmailTransport: EmailTransport = {
  send: () => Promise.reject(new Error('email is not configured for this deployment (stage config notificationSender)')),
};

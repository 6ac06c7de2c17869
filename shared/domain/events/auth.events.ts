import * as z from 'zod/mini';
import { envelope, type DomainEvent } from './event-envelope';

/** Sign-in events (docs/events.md). Never a password, token or secret in them. */
export const AUTH_EVENT_TYPES = ['auth.login_failure', 'auth.new_device'] as const;
export type AuthEventType = (typeof AUTH_EVENT_TYPES)[number];

export const loginFailureDataSchema = z.object({
  reason: z.string().check(z.describe('Stable failure reason, e.g. `bad_credentials`, `user_disabled`')),
  method: z.string().check(z.describe('Sign-in method: oidc, ldap, password, break_glass, …')),
  providerId: z.optional(z.string().check(z.describe('Identity provider used, when known'))),
  sourceIp: z.optional(z.string().check(z.describe('Client address'))),
});
export type LoginFailureData = z.infer<typeof loginFailureDataSchema>;

export const newDeviceDataSchema = z.object({
  userId: z.string().check(z.describe('The user who signed in')),
  method: z.string().check(z.describe('Sign-in method')),
  providerId: z.optional(z.string().check(z.describe('Identity provider used'))),
  sourceIp: z.optional(z.string().check(z.describe('Client address'))),
  userAgent: z.optional(z.string().check(z.maxLength(256), z.describe('Client user agent'))),
});
export type NewDeviceData = z.infer<typeof newDeviceDataSchema>;

export const AUTH_EVENT_DESCRIPTIONS: Record<AuthEventType, string> = {
  'auth.login_failure': 'A sign-in was refused. Deployment-wide (`orgId` = `platform`): the org is not trusted before sign-in.',
  'auth.new_device': 'A user signed in from an address and client not seen for them before.',
};

export function loginFailureEvent(data: LoginFailureData, id: string, time: string): DomainEvent {
  const subject = data.providerId ? `provider/${data.providerId}` : 'auth';
  return envelope('auth.login_failure', loginFailureDataSchema, { id, time, orgId: 'platform', subject }, data);
}

export function newDeviceEvent(orgId: string, data: NewDeviceData, id: string, time: string): DomainEvent {
  return envelope('auth.new_device', newDeviceDataSchema, { id, time, orgId, subject: `user/${data.userId}` }, data);
}

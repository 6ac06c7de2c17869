import type { AuditLog } from '#domain/audit/audit.port';
import { loginFailureEvent } from '#domain/events/auth.events';
import type { EventPublisher } from '#domain/events/events.port';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';

/*
 * Refused sign-ins, apart from the sign-in use case itself: refresh and throttling refuse and audit too, and
 * the functions that only refuse (sessions) need not bundle identity-provider schemas and group mapping.
 */

/**
 * Why a sign-in was refused. Internal only: every reason reaches the caller as the same 401, so an
 * attacker cannot tell an unknown user from a wrong password or a disabled account.
 */
export type LoginFailureReason =
  | 'invalid_credentials'
  | 'provider_unknown'
  | 'provider_disabled'
  | 'not_provisioned'
  | 'no_mapping'
  | 'mapping_out_of_scope'
  | 'org_mismatch'
  | 'user_disabled'
  | 'user_missing'
  | 'state_missing'
  | 'state_unknown'
  | 'state_expired'
  | 'state_mismatch'
  | 'code_exchange_failed'
  | 'refresh_invalid'
  | 'refresh_reused'
  | 'refresh_revoked'
  | 'throttled'
  | 'break_glass_disabled'
  | 'break_glass_invalid'
  | 'provider_error';

export class LoginFailure extends Error {
  constructor(
    readonly reason: LoginFailureReason,
    readonly providerId?: string,
  ) {
    super(`login refused: ${reason}`);
    this.name = 'LoginFailure';
  }
}

/** Where a login attempt came from, for the audit trail. Never holds credentials. */
export interface LoginContext {
  sourceIp?: string | undefined;
  requestId?: string | undefined;
  /** The name the caller tried (LDAP username); bounded, and never a password. */
  attemptedName?: string | undefined;
}

/** What auditing a refused sign-in needs. */
export interface LoginFailureDeps {
  audit: AuditLog;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
}

/** Audits a refused login and emits `auth.login_failure`. Used by every login path, not only `signIn`. */
export async function recordLoginFailure(
  failure: LoginFailure,
  deps: LoginFailureDeps,
  context: LoginContext,
  method: string,
): Promise<void> {
  const time = deps.clock.now().toISOString();
  const attempted = context.attemptedName?.slice(0, 128);
  await deps.audit.append({
    actor: 'anonymous',
    orgId: 'platform',
    action: 'auth.login',
    target: failure.providerId ? `provider/${failure.providerId}` : 'auth',
    outcome: 'failure',
    sourceIp: context.sourceIp,
    requestId: context.requestId,
    details: { reason: failure.reason, method, ...(attempted ? { attemptedName: attempted } : {}) },
  });
  await deps.events.publish([
    loginFailureEvent(
      {
        reason: failure.reason,
        method,
        ...(failure.providerId ? { providerId: failure.providerId } : {}),
        ...(context.sourceIp ? { sourceIp: context.sourceIp } : {}),
      },
      deps.ids.next(),
      time,
    ),
  ]);
}

import type { DomainEvent } from '#domain/events/event-envelope';
import type { ApprovalRule } from './approval-rule.schema';
import type { Page } from '#domain/jobs/jobs.port';
import type { CounterEffect } from '#domain/quotas/counters';
import type { Job } from '#domain/jobs/job.schema';
import type { ApprovalRequest, ApprovalState } from '#domain/jobs/approval-request.schema';

/** Outcome of a stamp: the first time, already stamped before, or the request is no longer pending. */
export type StampOutcome = 'first' | 'repeat' | 'closed';

export interface ApprovalRepository {
  get(orgId: string, id: string): Promise<ApprovalRequest | undefined>;
  /** An org's requests in `state`, oldest first (pending ones from a sparse index). */
  list(orgId: string, options: { state: ApprovalState; limit: number; cursor?: string | undefined }): Promise<Page<ApprovalRequest>>;
  /**
   * Moves a pending request and its `pending_approval` job together, with the job's counter effects, in one
   * transaction. `request` is the closed request at the version after the one read: `state` when either
   * had moved meanwhile (another decision, the expiry, a cancel won, or a token was stored: read again).
   * `events` go to the outbox in the same transaction: announced only if the settlement commits.
   */
  settle(
    request: ApprovalRequest,
    job: Job,
    effects?: readonly CounterEffect[],
    events?: readonly DomainEvent[],
  ): Promise<'ok' | 'state' | 'conflict'>;
  /** Stores the task token of the wait in progress, if the request is still pending (bumps the version). */
  storeToken(orgId: string, id: string, token: string): Promise<boolean>;
  /**
   * Sets `notifiedAt` or `escalatedAt` once, while the request is pending (bumps the version); `events` are
   * recorded in the outbox by the same write, so they are announced by the first stamp only.
   */
  stamp(
    orgId: string,
    id: string,
    attribute: 'notifiedAt' | 'escalatedAt',
    at: string,
    events?: readonly DomainEvent[],
  ): Promise<StampOutcome>;
  /** Drops the task token a closed request kept, once its wait was ended (only that token, only when closed). */
  releaseToken(orgId: string, id: string, token: string): Promise<void>;
}

/**
 * Starts the durable flow of a request; idempotent per request id (the execution is named after it). Only the
 * approval bridge and the re-drive hold it: the request path records a flow signal instead.
 */
export interface ApprovalFlows {
  start(request: Pick<ApprovalRequest, 'id' | 'orgId'>): Promise<void>;
}

/** Which requests' flows run now: what re-driving compares the table with. */
export interface RunningFlows {
  runningApprovalIds(): Promise<ReadonlySet<string>>;
}

/** Ends a flow's wait (the approval bridge). False when the token is no longer valid (used, timed out, execution gone). */
export interface TaskTokens {
  succeed(token: string, output: Record<string, unknown>): Promise<boolean>;
}

/**
 * The HMAC key approval links are signed with (docs/approvals.md, "Approve by email"): the deployment's
 * approval-link secret, read and cached by the adapter. Whoever can read it can mint links, so only the
 * function that sends approval emails and the one that checks links may.
 */
export interface ApprovalLinkKey {
  current(): Promise<string>;
}

/** Marks an approval link used, exactly once (a conditional write): false when it was used before. */
export interface ApprovalLinkLedger {
  use(link: { orgId: string; linkId: string; approvalId: string; expiresAt: Date }, at: Date): Promise<boolean>;
  /** Whether the link was used (the confirmation page says so before anyone presses a button). */
  wasUsed(link: { orgId: string; linkId: string }): Promise<boolean>;
}

export interface ApprovalRuleSource {
  /** The rules that apply in `orgId`: its own and the platform's (possibly from a short cache). */
  forOrg(orgId: string): Promise<ApprovalRule[]>;
}
export interface ApprovalRuleRepository extends ApprovalRuleSource {
  /** An org rule of `orgId`, or a platform rule, by id. */
  get(orgId: string, id: string): Promise<ApprovalRule | undefined>;
  /** Creates (`expectedVersion` 0) or replaces the rule at `expectedVersion`; false when that lost a race. */
  save(rule: ApprovalRule, expectedVersion: number): Promise<boolean>;
  remove(rule: ApprovalRule): Promise<boolean>;
}

/**
 * Facts that cost a read, asked only when an applicable rule needs them, so a submission no such rule
 * concerns reads nothing more.
 */
export interface RequesterFacts {
  /** Jobs the requester submitted today (UTC), not counting this one. */
  jobsToday(): Promise<number>;
  /** Whether the requester ever submitted a job before this one. */
  hasSubmittedBefore(): Promise<boolean>;
}

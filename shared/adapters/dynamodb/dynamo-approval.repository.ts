import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalRepository, StampOutcome } from '#domain/approvals/approvals.port';
import { approvalRequestSchema, type ApprovalRequest, type ApprovalState } from '#domain/jobs/approval-request.schema';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { Page } from '#domain/jobs/jobs.port';
import type { CounterEffect } from '#domain/quotas/counters';
import type { Job } from '#domain/jobs/job.schema';
import { approvalItem } from './approval-item';
import { counterUpdate, groupEffects } from './dynamo-counters';
import { outboxPuts } from './dynamo-event-outbox.repository';
import { jobItem } from './dynamo-job.repository';
import { pick, queryPage } from './dynamo-versioned';
import * as keys from './table-keys';
import { DynamoApprovalRequests } from './dynamo-approval-requests.repository';

/**
 * Approval requests (`ORG#<orgId>#APPROVALS` / `APPROVAL#<id>`). Every change is conditional on the request
 * being pending; the moves that end a request also move its job in the same transaction.
 */
export class DynamoApprovalRepository extends DynamoApprovalRequests implements ApprovalRepository {
  list(orgId: string, options: { state: ApprovalState; limit: number; cursor?: string | undefined }): Promise<Page<ApprovalRequest>> {
    if (options.state === 'pending') {
      const partition = keys.pendingApprovalsPartition(orgId);
      return queryPage(
        this.doc,
        {
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': partition },
        },
        approvalRequestSchema,
        {
          limit: options.limit,
          cursor: options.cursor,
          partition: { attribute: 'gsi1pk', value: partition },
          keyOf: (item) => pick(item, ['pk', 'sk', 'gsi1pk', 'gsi1sk']),
        },
      );
    }
    const partition = keys.approvalPartition(orgId);
    return queryPage(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p',
        FilterExpression: '#state = :state',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':p': partition, ':state': options.state },
      },
      approvalRequestSchema,
      {
        limit: options.limit,
        cursor: options.cursor,
        partition: { attribute: 'pk', value: partition },
        keyOf: (item) => pick(item, ['pk', 'sk']),
      },
    );
  }

  async settle(
    request: ApprovalRequest,
    job: Job,
    effects: readonly CounterEffect[] = [],
    events: readonly DomainEvent[] = [],
  ): Promise<'ok' | 'state' | 'conflict'> {
    const pending = { ':pending': 'pending' };
    const items: Record<string, unknown>[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: approvalItem(request),
          // The version as read: a token stored or a stamp set since then makes the caller read again.
          ConditionExpression: '#state = :pending AND #v = :v',
          ExpressionAttributeNames: { '#state': 'state', '#v': 'version' },
          ExpressionAttributeValues: { ...pending, ':v': request.version - 1 },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: jobItem(job),
          ConditionExpression: '#state = :waiting',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':waiting': 'pending_approval' },
        },
      },
      ...groupEffects(effects).map((update) => ({ Update: counterUpdate(this.tableName, update) })),
      ...outboxPuts(this.tableName, events),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return 'ok';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) return 'state';
      return 'conflict';
    }
  }

  async storeToken(orgId: string, id: string, token: string): Promise<boolean> {
    return this.updatePending(
      orgId,
      id,
      'SET #token = :token ADD #v :one',
      { '#token': 'taskToken', '#v': 'version' },
      { ':token': token, ':one': 1 },
    );
  }

  async stamp(
    orgId: string,
    id: string,
    attribute: 'notifiedAt' | 'escalatedAt',
    at: string,
    events: readonly DomainEvent[] = [],
  ): Promise<StampOutcome> {
    const first = await this.updatePending(
      orgId,
      id,
      'SET #a = :at ADD #v :one',
      { '#a': attribute, '#v': 'version' },
      { ':at': at, ':one': 1 },
      'attribute_not_exists(#a)',
      events,
    );
    if (first) return 'first';
    const now = await this.get(orgId, id);
    return now?.state === 'pending' ? 'repeat' : 'closed';
  }

  async releaseToken(orgId: string, id: string, token: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.approvalRequest(orgId, id),
          UpdateExpression: 'REMOVE #token',
          // A pending request's token belongs to a wait still in progress (a re-driven flow's); never drop that one.
          ConditionExpression: '#token = :token AND #state <> :pending',
          ExpressionAttributeNames: { '#token': 'taskToken', '#state': 'state' },
          ExpressionAttributeValues: { ':token': token, ':pending': 'pending' },
        }),
      );
    } catch (error) {
      // Already dropped (a redelivered signal), or not this request's token: nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async updatePending(
    orgId: string,
    id: string,
    update: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
    extraCondition?: string,
    events: readonly DomainEvent[] = [],
  ): Promise<boolean> {
    const change = {
      TableName: this.tableName,
      Key: keys.approvalRequest(orgId, id),
      UpdateExpression: update,
      ConditionExpression: `attribute_exists(pk) AND #state = :pending${extraCondition ? ` AND ${extraCondition}` : ''}`,
      ExpressionAttributeNames: { ...names, '#state': 'state' },
      ExpressionAttributeValues: { ...values, ':pending': 'pending' },
    };
    try {
      if (events.length === 0) await this.doc.send(new UpdateCommand(change));
      // With events: the change and its outbox items in one transaction.
      else await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Update: change }, ...outboxPuts(this.tableName, events)] }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? [])[0]?.Code === 'ConditionalCheckFailed')
        return false;
      throw error;
    }
  }
}

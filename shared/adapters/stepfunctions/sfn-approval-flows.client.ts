import { ListExecutionsCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ApprovalFlows, RunningFlows, TaskTokens } from '#domain/approvals/approvals.port';

/** Errors that mean "this wait is over already": the decision stands, the callback has nothing left to end. */
const STALE_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/**
 * An execution is named after its request; one started again after the first ended carries a suffix
 * (`<id>-r<epoch seconds>`): Standard execution names cannot be reused for 90 days.
 */
const RESTART_SUFFIX = /-r\d+$/;
export const approvalIdOfExecution = (name: string): string => name.replace(RESTART_SUFFIX, '');

/**
 * The approval flow's executions through `@aws-sdk/client-sfn` (the client is built by the composition root
 * with `boundedAwsClientConfig`). Input and names carry ids only, and no error quotes a task token.
 */
export class StepFunctionsApprovalFlows implements ApprovalFlows, RunningFlows {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  /**
   * Starts the flow of a request. StartExecution with the same name and input while it runs is answered
   * with the running execution (a retried start is harmless); `ExecutionAlreadyExists` means the named
   * execution ended while its request still waits (a failed step, a redrive): a new one is started.
   */
  async start(request: { id: string; orgId: string }): Promise<void> {
    const input = JSON.stringify({ approvalId: request.id, orgId: request.orgId });
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: request.id, input }));
    } catch (error) {
      if ((error as { name?: unknown }).name !== 'ExecutionAlreadyExists') throw error;
      const name = `${request.id}-r${Math.floor(this.clock.now().getTime() / 1000)}`;
      await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input }));
    }
  }

  /** Ids of the requests whose flow runs now: one ListExecutions per 1,000 running executions. */
  async runningApprovalIds(): Promise<ReadonlySet<string>> {
    const ids = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListExecutionsCommand({ stateMachineArn: this.stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }),
      );
      for (const execution of page.executions ?? []) if (execution.name) ids.add(approvalIdOfExecution(execution.name));
      nextToken = page.nextToken;
    } while (nextToken);
    return ids;
  }
}

/** Ends a flow's wait with SendTaskSuccess (the token names its execution: no ARN needed). */
export class StepFunctionsTaskTokens implements TaskTokens {
  constructor(private readonly client: SFNClient) {}

  async succeed(token: string, output: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return true;
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (typeof name === 'string' && STALE_TOKEN_ERRORS.has(name)) return false;
      // Named by type only: the error is not passed on as a cause, so nothing of the request can reach a log.
      // eslint-disable-next-line preserve-caught-error -- deliberately without the SDK error (see above)
      throw new Error(`SendTaskSuccess failed: ${typeof name === 'string' ? name : 'Unknown'}`);
    }
  }
}

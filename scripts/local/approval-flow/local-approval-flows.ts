import { randomBytes } from 'node:crypto';
import { StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { ApprovalFlows, RunningFlows, TaskTokens } from '#domain/approvals/approvals.port';

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
/** The library's JSON value type (not exported by name). */
type Json = Awaited<ReturnType<LocalHandlers[string]>>;
type Step = (payload: unknown) => Promise<Record<string, unknown>>;

/** One state entered by a local execution: the bench counts them (Standard bills per state transition). */
export interface LocalTransition {
  approvalId: string;
  state: string;
}

interface Execution {
  token: string;
  abort: () => void;
  done: Promise<unknown>;
  /** Resolves the wait in progress, if any. */
  decide?: (output: Record<string, unknown>) => void;
}

/**
 * The approval flow in the local stack and the tests: the ASL that CDK synthesizes, run by
 * aws-local-stepfunctions. Every task state is overridden by a call of the same step function the deployed
 * Lambda runs. The library has no task-token callbacks, so each execution gets a token in its context
 * (`$$.Task.Token`, as docs/architecture.md#local-stack describes), and a wait-for-token state is a handler that runs the `await`
 * step (which stores the token with the request) and then waits until `succeed(token)`; its timeout is the
 * state's own `TimeoutSecondsPath`, enforced by the library. Executions live in memory: after a restart
 * they are re-driven from the table (`resume`), and the idempotent steps continue where the request is.
 */
export class LocalApprovalFlows implements ApprovalFlows, RunningFlows, TaskTokens {
  private readonly machine: StateMachine;
  private readonly executions = new Map<string, Execution>();
  private readonly byToken = new Map<string, Execution>();

  constructor(
    private readonly definition: StateMachineDefinition,
    private readonly step: Step,
    private readonly options: {
      onError?: (error: unknown, approvalId: string) => void;
      onTransition?: (transition: LocalTransition) => void;
    } = {},
  ) {
    this.machine = new StateMachine(definition);
  }

  private overrides(approvalId: string, execution: () => Execution) {
    const handlers: LocalHandlers = {};
    for (const [name, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      const waits = state.Resource.endsWith('.waitForTaskToken');
      handlers[name] = async (input) => {
        const current = execution();
        delete current.decide; // entering any task ends the previous wait (it timed out)
        if (!waits) return (await this.step(input)) as Json;
        // lambda:invoke.waitForTaskToken passes `{ FunctionName, Payload }`: the step receives the payload.
        await this.step((input as { Payload: unknown }).Payload);
        return new Promise<Json>((resolve) => {
          current.decide = (output) => resolve(output as Json);
        });
      };
    }
    return handlers;
  }

  /** Starts the flow of a request, unless one runs for it already (as a named Standard execution would). */
  async start(request: { id: string; orgId: string }): Promise<void> {
    if (this.executions.has(request.id)) return;
    const token = `local-${randomBytes(24).toString('base64url')}`;
    const execution: Execution = { token, abort: () => undefined, done: Promise.resolve() };
    const run = this.machine.run(
      { approvalId: request.id, orgId: request.orgId },
      {
        overrides: { taskResourceLocalHandlers: this.overrides(request.id, () => execution) },
        context: { Task: { Token: token } },
        noThrowOnAbort: true,
      },
    );
    execution.abort = run.abort;
    // Every state entered, as the execution history records it (only names leave here: inputs hold the token).
    const history = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') this.options.onTransition?.({ approvalId: request.id, state: event.state.name });
      }
    })();
    execution.done = Promise.all([run.result, history])
      .catch((error: unknown) => this.options.onError?.(error, request.id))
      .finally(() => {
        this.executions.delete(request.id);
        this.byToken.delete(token);
      });
    this.executions.set(request.id, execution);
    this.byToken.set(token, execution);
  }

  async succeed(token: string, output: Record<string, unknown>): Promise<boolean> {
    const execution = this.byToken.get(token);
    if (!execution?.decide) return false;
    const decide = execution.decide;
    delete execution.decide;
    decide(output);
    return true;
  }

  async runningApprovalIds(): Promise<ReadonlySet<string>> {
    return new Set(this.executions.keys());
  }

  /** Whether a flow runs for the request. */
  isRunning(approvalId: string): boolean {
    return this.executions.has(approvalId);
  }

  /**
   * Resolves when the request's execution has ended (at once when none runs); rejects after `timeoutMs`, so a
   * wait nobody ends (a resume that never came) fails the caller instead of hanging it.
   */
  async settled(approvalId: string, timeoutMs = 20_000): Promise<void> {
    const done = this.executions.get(approvalId)?.done;
    if (!done) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the flow of ${approvalId} did not end within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Aborts every execution (the local stack stops; pending requests are re-driven at the next start). */
  async stop(): Promise<void> {
    const running = [...this.executions.values()];
    for (const execution of running) execution.abort();
    await Promise.all(running.map((execution) => execution.done));
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import {
  approvalIdOfExecution,
  StepFunctionsApprovalFlows,
  StepFunctionsTaskTokens,
} from '#adapters/stepfunctions/sfn-approval-flows.client';

/**
 * The Step Functions adapter through the real `@aws-sdk/client-sfn` client (serialization, signing, error
 * parsing, the bounded timeouts of every Quartermaster client). Step Functions itself does not run here: a
 * stand-in HTTP server speaks its JSON 1.0 protocol for the three calls the adapter makes.
 */
interface Call {
  action: string;
  body: Record<string, unknown>;
  authorization: string;
}
let server: Server;
let endpoint: string;
let calls: Call[] = [];
let answer: (call: Call) => { status: number; body: Record<string, unknown> } | 'stall' = () => ({ status: 200, body: {} });

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const call = {
        action: String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', ''),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
        authorization: String(request.headers.authorization ?? ''),
      };
      calls.push(call);
      const result = answer(call);
      if (result === 'stall') return;
      response.writeHead(result.status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(result.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  calls = [];
  answer = () => ({ status: 200, body: {} });
});

const client = () =>
  new SFNClient({
    ...boundedAwsClientConfig(),
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:quartermaster-approvals-test';
const error = (type: string) => ({ status: 400, body: { __type: `com.amazonaws.swf.service.v2.model#${type}`, message: 'refused' } });

describe('StepFunctionsApprovalFlows', () => {
  it('starts an execution named after the request, with ids only as input, signed with SigV4', async () => {
    answer = () => ({ status: 200, body: { executionArn: `${ARN}:A1`, startDate: 1 } });
    await new StepFunctionsApprovalFlows(client(), ARN).start({ id: '01JAPPROVAL', orgId: 'acme' });
    expect(calls).toEqual([
      {
        action: 'StartExecution',
        body: { stateMachineArn: ARN, name: '01JAPPROVAL', input: JSON.stringify({ approvalId: '01JAPPROVAL', orgId: 'acme' }) },
        authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/states\/aws4_request/),
      },
    ]);
  });

  it('starts a new execution (suffixed name) when the named one ended while its request still waits', async () => {
    answer = (call) =>
      call.body.name === '01JAPPROVAL' ? error('ExecutionAlreadyExists') : { status: 200, body: { executionArn: 'x', startDate: 1 } };
    const flows = new StepFunctionsApprovalFlows(client(), ARN, { now: () => new Date('2026-12-06T17:00:00Z') });
    await flows.start({ id: '01JAPPROVAL', orgId: 'acme' });
    expect(calls.map((call) => call.body.name)).toEqual(['01JAPPROVAL', `01JAPPROVAL-r${Date.parse('2026-12-06T17:00:00Z') / 1000}`]);
    expect(approvalIdOfExecution(String(calls[1]!.body.name))).toBe('01JAPPROVAL');
  });

  it('lists running executions page by page and names their requests', async () => {
    answer = (call) =>
      call.body.nextToken
        ? {
            status: 200,
            body: { executions: [{ name: '01JB-r1733500000', executionArn: 'b', stateMachineArn: ARN, status: 'RUNNING', startDate: 1 }] },
          }
        : {
            status: 200,
            body: {
              executions: [{ name: '01JA', executionArn: 'a', stateMachineArn: ARN, status: 'RUNNING', startDate: 1 }],
              nextToken: 'page-2',
            },
          };
    const running = await new StepFunctionsApprovalFlows(client(), ARN).runningApprovalIds();
    expect([...running].sort()).toEqual(['01JA', '01JB']);
    expect(calls.map((call) => [call.action, call.body.statusFilter, call.body.nextToken])).toEqual([
      ['ListExecutions', 'RUNNING', undefined],
      ['ListExecutions', 'RUNNING', 'page-2'],
    ]);
  });

  it('surfaces any other failure', async () => {
    answer = () => error('StateMachineDoesNotExist');
    await expect(new StepFunctionsApprovalFlows(client(), ARN).start({ id: 'x', orgId: 'acme' })).rejects.toThrow();
  });
});

describe('StepFunctionsTaskTokens', () => {
  const TOKEN = 'AAAAKgAAAAIAAAAAAAAAA-secret-task-token';

  it('ends a wait with SendTaskSuccess and the output', async () => {
    expect(await new StepFunctionsTaskTokens(client()).succeed(TOKEN, { outcome: 'approved' })).toBe(true);
    expect(calls.map((call) => [call.action, call.body])).toEqual([
      ['SendTaskSuccess', { taskToken: TOKEN, output: '{"outcome":"approved"}' }],
    ]);
  });

  it('answers false for a token already used, timed out or unknown', async () => {
    for (const type of ['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']) {
      answer = () => error(type);
      expect(await new StepFunctionsTaskTokens(client()).succeed(TOKEN, {})).toBe(false);
    }
  });

  it('throws on anything else, naming the error type and never the token', async () => {
    answer = () => error('AccessDeniedException');
    const failure = await new StepFunctionsTaskTokens(client()).succeed(TOKEN, {}).catch((caught: unknown) => caught as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('SendTaskSuccess failed: AccessDeniedException');
    expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).not.toContain(TOKEN);
  });

  it('gives up on a stalled endpoint within the bounded timeouts (2 attempts of 2 s), never hanging a request', async () => {
    answer = () => 'stall';
    const failure = await new StepFunctionsTaskTokens(client()).succeed(TOKEN, {}).catch((caught: unknown) => caught as Error);
    expect((failure as Error).message).toMatch(/SendTaskSuccess failed: (TimeoutError|RequestTimeout)/);
    expect(calls).toHaveLength(2);
  }, 15_000);
});

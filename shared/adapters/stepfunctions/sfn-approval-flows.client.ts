import type { ApprovalFlows, TaskTokens } from '#domain/approvals/approvals.port';
import { signRequest, type AwsCredentials } from './sigv4';

/** Errors that mean "this wait is over already": the decision stands, the callback has nothing left to end. */
const STALE_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export interface StepFunctionsApiOptions {
  region: string;
  /** Resolved per call: Lambda provides the role's credentials in the environment and may rotate them. */
  credentials: () => AwsCredentials;
  /** Default: the regional endpoint. */
  endpoint?: string;
  fetch?: typeof fetch;
}

/** Credentials and region of the function's own role, as Lambda puts them in the environment. */
export function lambdaEnvironmentCredentials(env: Record<string, string | undefined> = process.env): AwsCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) throw new Error('No AWS credentials in the environment');
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** The Step Functions API (JSON 1.0 protocol, SigV4), for the two calls below. */
class StepFunctionsApi {
  private readonly endpoint: URL;

  constructor(private readonly options: StepFunctionsApiOptions) {
    this.endpoint = new URL(options.endpoint ?? `https://states.${options.region}.amazonaws.com/`);
  }

  async call(action: string, payload: Record<string, unknown>): Promise<{ ok: true } | { ok: false; type: string; status: number }> {
    const body = JSON.stringify(payload);
    const headers = signRequest({
      method: 'POST',
      host: this.endpoint.host,
      path: this.endpoint.pathname,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${action}` },
      body,
      region: this.options.region,
      service: 'states',
      at: new Date(),
      credentials: this.options.credentials(),
    });
    const response = await (this.options.fetch ?? fetch)(this.endpoint, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(5_000),
    });
    if (response.ok) return { ok: true };
    const error = (await response.json().catch(() => ({}))) as { __type?: string };
    return { ok: false, type: (error.__type ?? 'Unknown').split('#').pop() ?? 'Unknown', status: response.status };
  }
}

/** Starts approval flows: StartExecution named after the request (starting a running execution again is a no-op). */
export class StepFunctionsApprovalFlows implements ApprovalFlows {
  private readonly api: StepFunctionsApi;

  constructor(
    private readonly stateMachineArn: string,
    options: StepFunctionsApiOptions,
  ) {
    this.api = new StepFunctionsApi(options);
  }

  async start(request: { id: string; orgId: string }): Promise<void> {
    const result = await this.api.call('StartExecution', {
      stateMachineArn: this.stateMachineArn,
      name: request.id,
      input: JSON.stringify({ approvalId: request.id, orgId: request.orgId }),
    });
    if (!result.ok && result.type !== 'ExecutionAlreadyExists') {
      throw new Error(`StartExecution failed for approval ${request.id}: ${result.type} (${result.status})`);
    }
  }
}

/** Ends a flow's wait with SendTaskSuccess. The token travels in the request body only; errors never quote it. */
export class StepFunctionsTaskTokens implements TaskTokens {
  private readonly api: StepFunctionsApi;

  constructor(options: StepFunctionsApiOptions) {
    this.api = new StepFunctionsApi(options);
  }

  async succeed(token: string, output: Record<string, unknown>): Promise<boolean> {
    const result = await this.api.call('SendTaskSuccess', { taskToken: token, output: JSON.stringify(output) });
    if (result.ok) return true;
    if (STALE_TOKEN_ERRORS.has(result.type)) return false;
    throw new Error(`SendTaskSuccess failed: ${result.type} (${result.status})`);
  }
}

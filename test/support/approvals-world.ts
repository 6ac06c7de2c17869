import { mkdtemp } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { EnvFileSecretStore } from '#adapters/secrets/env-file-secret-store.client';
import { approvalLinkKeyFrom, mintApprovalLinks, type ApprovalLinks, type ApprovalLinkTarget } from '#domain/approvals/approval-links';
import { composeApprovalLinks } from '#functions/api/approval-links/approval-links.app';
import { approvalLinksEnvSchema } from '#functions/api/approval-links/approval-links.env';
import { approvalLinksRoutes } from '#functions/api/approval-links/approval-links.routes';
import { DynamoApprovalRepository } from '#adapters/dynamodb/dynamo-approval.repository';
import { DynamoApprovalRuleRepository } from '#adapters/dynamodb/dynamo-approval-rule.repository';
import type { DomainEvent } from '#domain/events/event-envelope';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import type { TaskTokens } from '#domain/approvals/approvals.port';
import { redriveApprovalFlows } from '#domain/approvals/approval-redrive.service';
import type { Clock } from '#domain/runtime/runtime.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { composeApprovals } from '#functions/api/approvals/approvals.app';
import { approvalsEnvSchema } from '#functions/api/approvals/approvals.env';
import { createLogger } from '#adapters/logging/logger';
import { loadEnv } from '#config/env';
import { approvalsRoutes } from '#functions/api/approvals/approvals.routes';
import { composeExplain } from '#functions/api/explain/explain.app';
import { explainEnvSchema } from '#functions/api/explain/explain.env';
import { explainRoutes } from '#functions/api/explain/explain.routes';
import { composeJobs } from '#functions/api/jobs/jobs.app';
import { jobsEnvSchema } from '#functions/api/jobs/jobs.env';
import { jobsRoutes } from '#functions/api/jobs/jobs.routes';
import { createApprovalSteps } from '#functions/workflows/approval/approval-steps.app';
import { createApprovalBridge } from '#functions/workflows/approval/approval-bridge.app';
import { APPROVAL_FLOW_SIGNAL_PATTERN } from '#domain/event-catalog/event-rules';
import type { ApiHandler } from '#http/api-handler';
import { type RouteDeclaration, routeKey } from '#http/route';
import { LocalApprovalFlows, type LocalTransition } from '#scripts/local/approval-flow/local-approval-flows';
import { synthesizedApprovalFlowDefinition } from '#scripts/local/approval-flow/synthesized-definition';
import { seedPeople } from './authz-fixtures';
import { buildHttpApiV2Event } from '#scripts/local/http-server';
import { createAuthzWorld, invokeRoute, type AuthzWorld, type CallInput, type CallResult } from './authz-world';
import { relayedEvents } from './outbox-relay';

/**
 * The authorization world (orgs acme and globex, the matrix's actors) with approvals switched on: the real
 * jobs, explain and approvals handlers composed as deployed, and the approval flow run locally from the
 * ASL that CDK synthesizes, its task states calling the real step function. As deployed, the API functions
 * only record flow signals; the bus delivers them (asynchronously) to the real approval bridge, which starts
 * executions and ends waits. `tokens` sits between the bridge and the flows, so a test can lose a callback on
 * purpose; `failFlowStarts` makes the bridge's starts fail.
 */
export interface ApprovalsWorld {
  world: AuthzWorld;
  /** The running flows (replaced by `restartFlows`). */
  readonly flows: LocalApprovalFlows;
  /** Stops every execution and starts a fresh runner that re-drives pending requests from the table, as a restart of the local stack does. */
  restartFlows(): Promise<number>;
  /** What the relay put on the bus: it drains the outbox relay first (every committed event is there). */
  published(): Promise<readonly DomainEvent[]>;
  approvals: DynamoApprovalRepository;
  approvalRules: DynamoApprovalRuleRepository;
  transitions: LocalTransition[];
  /** The task tokens the approval bridge uses; replace `succeed` to simulate a lost callback. */
  tokens: TaskTokens;
  /** Waits (bounded) until the request's execution runs: the bridge starts it after the submission answered. */
  flowRunning(approvalId: string, timeoutMs?: number): Promise<void>;
  /** Waits (bounded) until the request's execution has ended: a decision resumes it through the bridge. */
  flowEnded(approvalId: string, timeoutMs?: number): Promise<void>;
  stepDeps: Parameters<typeof createApprovalSteps>[0];
  call(caller: string, operationId: string, input?: CallInput): Promise<CallResult>;
  /** While on, the bridge fails to start flows (as a failed StartExecution after the job was stored). */
  failFlowStarts(on: boolean): void;
  /** Starts the bridge attempted while they failed. */
  readonly failedStarts: number;
  /** Mints the links an approval email would carry (the key the approval-links function checks them with). */
  mintLinks(target: ApprovalLinkTarget, now?: Date): Promise<ApprovalLinks>;
  /** Calls the approval-links function as API Gateway does for these public routes: no authorizer. */
  link(request: LinkRequest): Promise<LinkResult>;
  /** The API base URL the links point to (its origin is the one a confirming post must come from). */
  apiBaseUrl: string;
  /** The secret store holding the approval-link key (file-backed, standing in for Secrets Manager), and its reference. */
  secrets: SecretStore;
  linkKeyRef: string;
  stop(): Promise<void>;
}

export type LinkRequest =
  { method: 'GET'; url: string } | { method: 'POST'; form: Record<string, string> | string; headers?: Record<string, string> };
export interface LinkResult {
  status: number;
  headers: Record<string, string>;
  html: string;
}

let definition: ReturnType<typeof synthesizedApprovalFlowDefinition> | undefined;

export async function createApprovalsWorld(options: { clock?: Clock } = {}): Promise<ApprovalsWorld> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const world = await createAuthzWorld();
  await seedPeople(world);
  const { doc, tableName } = world.table;
  const clock = options.clock ?? systemClock;
  const ids = ulidSource();
  // As deployed: the functions record events in the outbox; the relay reads them from the stream onto the bus. It
  // polls in the background: the approval bridge on that bus starts and resumes flows without anyone draining.
  const outbox = await relayedEvents(world.table, { ids, clock }, { background: true });
  const approvals = new DynamoApprovalRepository(doc, tableName);
  const approvalRules = new DynamoApprovalRuleRepository(doc, tableName, 0);
  const transitions: LocalTransition[] = [];
  let flows: LocalApprovalFlows | undefined;
  const tokens: TaskTokens = { succeed: (token, output) => flows!.succeed(token, output) };
  const stepDeps = { approvals, jobs: world.jobs, events: outbox.events, clock, ids, retentionDays: 90 };
  definition ??= synthesizedApprovalFlowDefinition();
  const newFlows = () =>
    new LocalApprovalFlows(definition!, createApprovalSteps(stepDeps), {
      onTransition: (t) => transitions.push(t),
      onError: (error, id) => console.error(`approval flow ${id} failed`, error),
    });
  flows = newFlows();
  // The bridge starts flows through this, so a restart swaps the runner underneath it.
  let failStarts = false;
  let failedStarts = 0;
  const startFlow = {
    start: (request: { id: string; orgId: string }) => {
      if (!failStarts) return flows!.start(request);
      failedStarts += 1;
      return Promise.reject(new Error('StartExecution failed (simulated)'));
    },
  };
  // The approval bridge as deployed (its one composition), fed by the relay's bus as the EventBridge rule feeds it.
  const bridge = createApprovalBridge({ approvals, flows: startFlow, tokens, logger: createLogger({ logLevel: 'SILENT' }) });
  outbox.bus.subscribe(APPROVAL_FLOW_SIGNAL_PATTERN, async (event) => {
    await bridge({ detail: event });
  });

  // The three functions as Lambda builds them (their one composition), on this world's table, with the local
  // runner standing in for Step Functions.
  const values = {
    QM_TABLE_NAME: tableName,
    QM_LOCAL_STACK: 'true',
    QM_BACKENDS: 'local',
    QM_PERMISSION_CACHE_SECONDS: '0',
    QM_MAX_CONCURRENT: '10000',
    QM_USER_MAX_CONCURRENT: '10000',
  };
  const runtime = {
    doc,
    clock,
    ids,
    logger: createLogger({ logLevel: 'SILENT' }),
    configCacheMs: 0,
    validateResponses: true,
    events: outbox.events,
  };
  const apiBaseUrl = 'https://api.qm.example';
  const consoleUrl = 'https://console.qm.example';
  const secrets = new EnvFileSecretStore(await mkdtemp(join(tmpdir(), 'qm-approval-link-key-')));
  const linkKeyRef = await secrets.put('approval-link-key', randomBytes(48).toString('base64url'));
  // The console's origin: CloudFront serves the API there too, so a confirmation may be posted from it.
  const linkValues = { ...values, QM_API_BASE_URL: apiBaseUrl, QM_APPROVAL_LINK_KEY_SECRET_ID: linkKeyRef, QM_CONSOLE_URL: consoleUrl };
  const approvalLinks = composeApprovalLinks(loadEnv(approvalLinksEnvSchema, linkValues), { ...runtime, secrets });
  const handlers: Record<string, ApiHandler> = {
    jobs: composeJobs(loadEnv(jobsEnvSchema, values), runtime),
    explain: composeExplain(loadEnv(explainEnvSchema, values), runtime),
    approvals: composeApprovals(loadEnv(approvalsEnvSchema, values), runtime),
  };
  const routes = new Map<string, { group: string; route: RouteDeclaration }>();
  for (const [group, list] of [
    ['jobs', jobsRoutes],
    ['explain', explainRoutes],
    ['approvals', approvalsRoutes],
  ] as const) {
    for (const route of list) routes.set(route.operationId, { group, route });
  }

  return {
    world,
    get flows() {
      return flows!;
    },
    async restartFlows() {
      await flows!.stop();
      flows = newFlows();
      return redriveApprovalFlows(world.jobs, flows);
    },
    published: outbox.published,
    approvals,
    approvalRules,
    transitions,
    tokens,
    flowRunning: (approvalId, timeoutMs) => waitUntil(() => flows!.isRunning(approvalId), `the flow of ${approvalId} to run`, timeoutMs),
    flowEnded: (approvalId, timeoutMs) => waitUntil(() => !flows!.isRunning(approvalId), `the flow of ${approvalId} to end`, timeoutMs),
    stepDeps,
    async call(caller, operationId, input = {}) {
      const entry = routes.get(operationId);
      if (!entry) return world.call(caller, operationId, input);
      return invokeRoute(handlers[entry.group]!, entry.route, await world.principalOf(caller), input);
    },
    failFlowStarts(on) {
      failStarts = on;
    },
    get failedStarts() {
      return failedStarts;
    },
    mintLinks: (target, now = clock.now()) => mintApprovalLinks(target, now, { apiBaseUrl, key: approvalLinkKeyFrom(secrets, linkKeyRef) }),
    async link(request) {
      const route = approvalLinksRoutes.find((candidate) => candidate.method === request.method)!;
      const url = request.method === 'GET' ? new URL(request.url) : undefined;
      const body =
        request.method === 'POST'
          ? typeof request.form === 'string'
            ? request.form
            : new URLSearchParams(request.form).toString()
          : undefined;
      const event = buildHttpApiV2Event({
        method: request.method,
        rawPath: url?.pathname ?? route.path,
        rawQueryString: url?.search.slice(1) ?? '',
        headers: {
          host: new URL(apiBaseUrl).host,
          ...(request.method === 'POST'
            ? {
                'content-type': 'application/x-www-form-urlencoded',
                origin: apiBaseUrl,
                'sec-fetch-site': 'same-origin',
                ...(request.headers ?? {}),
              }
            : {}),
        },
        ...(body !== undefined ? { body } : {}),
        routeKey: routeKey(route),
        pathParameters: {},
        sourceIp: '10.9.8.7',
      });
      const result = await approvalLinks(event, {} as Context);
      return { status: result.statusCode, headers: result.headers, html: typeof result.body === 'string' ? result.body : '' };
    },
    apiBaseUrl,
    secrets,
    linkKeyRef,
    async stop() {
      await flows!.stop();
      await outbox.stop();
    },
  };
}

/** Polls `check` every 20 ms until it holds, failing after `timeoutMs` (no fixed sleeps: asynchronous steps vary). */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import { setTimeout as delay } from 'node:timers/promises';
import { mkdtemp } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { composeApiFunction, type ApiEdges } from '#functions/api/api.compositions';
import { createApprovalSteps } from '#functions/workflows/approval/approval-steps.app';
import { createApprovalBridge } from '#functions/workflows/approval/approval-bridge.app';
import { DynamoApprovalRepository } from '#adapters/dynamodb/dynamo-approval.repository';
import { redriveApprovalFlows } from '#domain/approvals/approval-redrive.service';
import type { EventPublisher } from '#domain/events/events.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LocalApprovalFlows } from './approval-flow/local-approval-flows';
import { synthesizedApprovalFlowDefinition } from './approval-flow/synthesized-definition';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createLogger } from '#adapters/logging/logger';
import { createDispatcher } from '#functions/dispatcher/dispatcher.app';
import { createScheduler } from '#functions/scheduler/scheduler.app';
import { composeKubePoller } from '#functions/kube-poller/kube-poller.app';
import { kubePollerEnvSchema } from '#functions/kube-poller/kube-poller.env';
import { loadEnv } from '#config/env';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { boundedAwsClientConfig, isDependencyOutage } from '#adapters/runtime/dependency-outage';
import { deliverRunReport } from '#domain/job-flow/run-report-delivery';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoLimitsSource } from '#adapters/dynamodb/dynamo-limits.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { composeRelay } from '#functions/events/relay/relay.app';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { SqsDispatchQueue } from '#adapters/sqs/sqs-dispatch-queue.client';
import { APPROVAL_FLOW_SIGNAL_PATTERN, DISPATCH_REQUEST_PATTERN, SCHEDULER_TRIGGER_PATTERN } from '#domain/event-catalog/event-rules';
import { dispatchMessageSchema } from '#domain/jobs/dispatch-message.schema';
import { EventDispatchQueue } from '#adapters/events/event-dispatch-queue.client';
import type { ConcurrencyLimits } from '#domain/quotas/concurrency';
import type { RunReport } from '#domain/job-flow/run-status.service';
import { composeReconciler } from '#functions/reconciler/reconciler.app';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import type { KubernetesJobBackend } from '#adapters/kubernetes/kubernetes-job-backend.client';
import { LocalProcessBackend } from './backend/local-process-backend';
import { DEV_CLUSTER_ID, startLocalKubernetes, type LocalKubernetes } from './local-kubernetes';
import { startDynamoDbLocal } from './dynamodb-local';
import { startHttpServer } from './http-server';
import { ensureJava } from './java';
import { localClientConfig } from './local-aws';
import { consoleBuilt, startConsoleServer } from './console-server';
import { DEV_IDP_SCOPES } from './dev-idp';
import { CONSOLE_CLIENT_ID, DEV_PROVIDER_ID, LOCAL_API_RESOURCE, startLocalIdentity } from './local-identity';
import { freePort } from './ports';
import { LOCAL_EMAIL_FROM, startLocalNotifications } from './local-notifications';
import { startSerialLoop, startSqsPoller } from './local-workers';
import { startLocalStreamRelay } from './local-stream-relay';
import { DynamoFairShareSource } from '#adapters/dynamodb/dynamo-fair-share.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { migrateEstimateBasis } from '#scripts/migrate/estimate-basis';
import { migrateToGlobalShards } from '#scripts/migrate/global-concurrency-shards';
import { migrateToJobStateShards } from '#scripts/migrate/job-state-shards';
import { migrateToOrgQueueDepth } from '#scripts/migrate/org-queue-depth';
import { migrateToOrgScopedKeys } from '#scripts/migrate/org-scoped-keys';
import { seedDemoData } from './seed';
import { ensureQueues, startLocalSqs } from './sqs-local';
import { ensureTable } from './table';

/**
 * How long each local API function caches configuration (quotas, limits, approval rules, hardware): 1 s, so a
 * change made through one function reaches the others almost at once (deployed: 10–30 s, docs/quotas.md, docs/approvals.md).
 */
export const LOCAL_CONFIG_CACHE_MS = 1_000;
export interface LocalStackOptions {
  /** HTTP port on 127.0.0.1; 0 = any free port. */
  port?: number;
  /** Port of the dev OIDC identity provider (https on 127.0.0.1); 0 = any free port. */
  idpPort?: number;
  /** Lifetime of the dev IdP's access tokens (default 15 minutes); the console tests shorten it to watch renewal. */
  idpAccessTokenSeconds?: number;
  /** Port of the web console (http on 127.0.0.1); 0 = any free port; served only when web/dist is built. */
  consolePort?: number;
  /** Ports of the dev mailbox page, its SMTP sink and the dev webhook receiver; 0 or absent = any free port. */
  notificationPorts?: { mailbox?: number; smtp?: number; receiver?: number };
  /** Persist the table and job runs here; default: a temporary folder, in-memory DynamoDB. */
  dataDir?: string;
  /** How often the scheduler runs without a trigger (the deployed schedule is 1 minute). */
  schedulerIntervalMs?: number;
  limits?: ConcurrencyLimits;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export interface LocalStack {
  url: string;
  dynamoDbEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  dispatchQueueUrl: string;
  dispatchDlqUrl: string;
  /** The dev identity provider: its issuer, and its self-signed certificate (PEM and file) to trust. */
  identity: { issuer: string; ca: string; caFile: string };
  /** The fake Kubernetes API server (a test double) registered as cluster `dev-k8s`. */
  kubernetes: { cluster: string; endpoint: string };
  /** The web console's URL, when web/dist is built. */
  consoleUrl?: string;
  /** Dev mailbox (SMTP sink + page) and dev webhook receiver (verifies signatures), and the notification queues. */
  notifications: {
    mailboxUrl: string;
    smtp: string;
    webhookUrl: string;
    webhookSecret: string;
    queueUrl: string;
    dlqUrl: string;
  };
  stop(): Promise<void>;
}

export const LOCAL_TABLE_NAME = 'quartermaster';
/** How often the local stack's reconciler compares active jobs with their backend (deployed: every 5 minutes). */
const RECONCILER_INTERVAL_MS = 10_000;

/**
 * The whole of Quartermaster on one machine: DynamoDB Local, local SQS, the route handlers and authorizer
 * (the same factories the deployed functions compose), the scheduler and dispatcher loops, and the
 * `local` backend, the notifier on its own queue. What differs from AWS is only the adapters where no stand-in
 * exists: the in-process event bus for EventBridge, subprocesses for ECS, the run folder for CloudWatch Logs,
 * SMTP to the dev mailbox for SES. Events travel as
 * deployed: functions write them to the table's outbox, and the relay (the same composition, fed by a poller of
 * DynamoDB Local's stream) hands them to the in-process bus.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const onError = (where: string) => (error: unknown) =>
    log(`${where} error`, { error: error instanceof Error ? error.message : String(error) });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(onError('shutdown'));
  };

  try {
    ensureJava();
    const dynamo = await startDynamoDbLocal(options.dataDir ? { dbPath: join(options.dataDir, 'dynamodb') } : {});
    stops.push(() => dynamo.stop());
    const sqsServer = await startLocalSqs();
    stops.push(() => sqsServer.stop());

    // Bounded like the deployed clients: a stalled emulator answers 503 within seconds, not never.
    const ddb = new DynamoDBClient({ ...localClientConfig(dynamo.endpoint), ...boundedAwsClientConfig() });
    const doc = createDocumentClient({ client: ddb });
    const sqs = new SQSClient({ ...localClientConfig(sqsServer.endpoint), ...boundedAwsClientConfig() });
    await ensureTable(ddb, LOCAL_TABLE_NAME);
    // Data kept in a data dir from before counters and usage named the org is moved once (docs/quotas.md).
    const migrated = await migrateToOrgScopedKeys(doc, LOCAL_TABLE_NAME);
    if (migrated.unattributed.length > 0) log('data migration left records it could not attribute', { records: migrated.unattributed });
    await migrateToOrgQueueDepth(doc, LOCAL_TABLE_NAME);
    await migrateToJobStateShards(doc, LOCAL_TABLE_NAME);
    await migrateToGlobalShards(doc, LOCAL_TABLE_NAME);
    await migrateEstimateBasis(doc, LOCAL_TABLE_NAME);
    await seedDemoData(doc, LOCAL_TABLE_NAME);
    const queues = await ensureQueues(sqs, { prefix: 'qm', visibilityTimeoutSeconds: 5 });

    const runsDir = options.dataDir ? join(options.dataDir, 'runs') : await mkdtemp(join(tmpdir(), 'qm-runs-'));
    const jobs = new DynamoJobRepository(doc, LOCAL_TABLE_NAME);
    const hardware = new DynamoHardwareCatalog(doc, LOCAL_TABLE_NAME, 5_000);
    const bus = new InProcessEventBus(onError('event subscriber'));
    // As deployed: writers record events in the outbox, the relay reads them from the table's stream and puts
    // them on the bus. It holds its place in the stream before anything below writes.
    const relay = startLocalStreamRelay({
      ddb,
      streams: new DynamoDBStreamsClient({ ...localClientConfig(dynamo.endpoint), ...boundedAwsClientConfig() }),
      tableName: LOCAL_TABLE_NAME,
      handler: composeRelay({ sink: bus, onFailure: (details) => log('relay: retrying from the first event not delivered', details) }),
      from: 'latest',
      onDeadLetter: (records) => log('relay: gave up on outbox records (the DLQ when deployed)', { records: records.length }),
      onError: onError('outbox relay'),
    });
    stops.push(() => relay.stop());
    await relay.ready;
    const events = new DynamoEventOutbox(doc, LOCAL_TABLE_NAME);
    // As deployed: the bus rule delivers dispatch requests to SQS.
    const sqsDispatch = new SqsDispatchQueue(sqs, queues.dispatchQueueUrl);
    bus.subscribe(DISPATCH_REQUEST_PATTERN, (event) => sqsDispatch.send(dispatchMessageSchema.parse(event.data)));
    const ids = ulidSource();
    const dispatch = new EventDispatchQueue(events, ids, systemClock);
    const ending = { jobs, events, clock: systemClock, ids, retentionDays: 90 };

    const reports: Promise<unknown>[] = [];
    // A report that meets a database outage is retried with backoff until stored (or the stack stops: the
    // reconciler below then repairs the job from its exit file at the next start).
    let stopping = false;
    const delivery = { ...ending, isTransient: isDependencyOutage, sleep: (ms: number) => delay(ms), keepTrying: () => !stopping };
    const backend = new LocalProcessBackend(runsDir, (report: RunReport) => {
      reports.push(deliverRunReport(report, delivery).catch(onError('run report')));
    });
    stops.push(async () => {
      stopping = true;
      backend.stopAll();
      await Promise.all(reports);
    });

    // Short caches locally, so an admin's change shows at once in a demo; deployed functions keep 10 s.
    const quotas = new DynamoQuotaRepository(doc, LOCAL_TABLE_NAME, 1_000);
    const limits = new DynamoLimitsSource(doc, LOCAL_TABLE_NAME, options.limits ?? { maxConcurrent: 4, userMaxConcurrent: 2 }, 1_000);
    const scheduling = new DynamoSchedulingSettings(doc, LOCAL_TABLE_NAME, 1_000);
    const admission = { ...ending, quotas, limits, scheduling };
    const scheduler = createScheduler({
      ...admission,
      dispatch,
      fairShare: new DynamoFairShareSource(doc, LOCAL_TABLE_NAME),
      scheduling,
      redispatchAfterMs: 30_000,
    });
    const schedulerLoop = startSerialLoop(scheduler, options.schedulerIntervalMs ?? 2_000, onError('scheduler'));
    stops.push(() => schedulerLoop.stop());
    bus.subscribe(SCHEDULER_TRIGGER_PATTERN, () => schedulerLoop.trigger());

    // dev-k8s (the fake Kubernetes API server) starts once the secret store exists, after the identity stack.
    const started: { kube?: LocalKubernetes } = {};
    const kubeBackend = (): KubernetesJobBackend => {
      if (!started.kube) throw new Error('the dev Kubernetes cluster is not started yet');
      return started.kube.backend;
    };
    const dispatcher = createDispatcher(
      { ...ending, hardware, backends: (kind) => (kind === 'kubernetes' ? kubeBackend() : backend) },
      { error: (message, details) => log(message, details) },
    );
    const poller = startSqsPoller(sqs, queues.dispatchQueueUrl, dispatcher, onError('dispatcher'));
    stops.push(() => poller.stop());

    // The local authorizer's sign-ins audit to the same hash-chained log the functions append to. The per-append
    // anchor log line stays out of the dev console (WARN and up only).
    const quiet = createLogger({ logLevel: 'WARN' });
    const access = dynamoApiAccess(
      doc,
      LOCAL_TABLE_NAME,
      { QM_AUDIT_RETENTION_DAYS: 90, QM_PERMISSION_CACHE_SECONDS: 5 },
      { logger: quiet },
    );
    // The API's URL is needed before it listens: it is the session-token issuer and the OIDC redirect base.
    const apiPort = options.port || (await freePort());
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const consolePort = consoleBuilt() ? options.consolePort || (await freePort()) : undefined;
    const consoleUrl = consolePort ? `http://127.0.0.1:${consolePort}` : undefined;
    const identity = await startLocalIdentity({
      consoleUrl,
      doc,
      tableName: LOCAL_TABLE_NAME,
      apiUrl,
      dataDir: options.dataDir,
      idpPort: options.idpPort,
      idpAccessTokenSeconds: options.idpAccessTokenSeconds,
      events,
      access,
    });
    stops.push(() => identity.stop());
    const tenancy = new DynamoTenancyRepository(doc, LOCAL_TABLE_NAME);
    const devCluster = await startLocalKubernetes({
      doc,
      tableName: LOCAL_TABLE_NAME,
      dataDir: options.dataDir,
      hardware,
      orgExists: async (orgId) => (await tenancy.getOrg(orgId)) !== undefined,
      secrets: identity.edges.secrets,
    });
    started.kube = devCluster;
    stops.push(() => devCluster.stop());
    // The Kubernetes status poller, on the schedule the deployed one runs on (faster locally).
    const pollKubernetes = composeKubePoller(
      loadEnv(kubePollerEnvSchema, { QM_TABLE_NAME: LOCAL_TABLE_NAME, QM_STAGE: 'local', QM_LOCAL_STACK: 'true' }),
      { doc, events: bus, secrets: identity.edges.secrets, clock: systemClock, ids, log: (message, details) => log(message, details) },
    );
    const kubePoller = startSerialLoop(pollKubernetes, options.schedulerIntervalMs ?? 2_000, onError('kubernetes poller'));
    stops.push(() => kubePoller.stop());
    // The reconciler, as deployed (one composition), reading the local backend's exit files and dev-k8s: at
    // start it repairs the jobs whose reports were lost (and fails runs the last stop cut short), then every 10 s.
    const reconcile = composeReconciler(
      { QM_TABLE_NAME: LOCAL_TABLE_NAME, QM_JOB_RETENTION_DAYS: ending.retentionDays },
      { doc, events, clock: systemClock, ids, observers: { local: backend, kubernetes: devCluster.backend }, onError: log },
    );
    const reconciler = startSerialLoop(reconcile, RECONCILER_INTERVAL_MS, onError('reconciler'));
    reconciler.trigger();
    stops.push(() => reconciler.stop());
    // Every route group is built by its one composition, as Lambda builds it (access gate, audit middleware and
    // all); only the edges differ: the local key, secret files and the run folder stand in for KMS, Secrets Manager
    // and CloudWatch Logs (events go to the outbox, as deployed). Short caches, so an admin's change shows at once.
    const localLimits = options.limits ?? { maxConcurrent: 4, userMaxConcurrent: 2 };
    const envValues = {
      QM_TABLE_NAME: LOCAL_TABLE_NAME,
      QM_STAGE: 'local',
      QM_LOCAL_STACK: 'true',
      // `local` stays the default; a job that names a cluster (or backend kubernetes) runs on dev-k8s.
      QM_BACKENDS: 'local,kubernetes',
      QM_PERMISSION_CACHE_SECONDS: '5',
      QM_MAX_CONCURRENT: String(localLimits.maxConcurrent),
      QM_USER_MAX_CONCURRENT: String(localLimits.userMaxConcurrent),
      QM_API_BASE_URL: apiUrl,
      // Sessions are signed by the local key (`identity.edges.signer`), never by KMS.
      QM_SESSION_KMS_KEY_ID: 'local-session-key',
      QM_CONSOLE_URL: consoleUrl ?? 'http://127.0.0.1:5173',
      QM_EMAIL_FROM: LOCAL_EMAIL_FROM,
      // The approval-link key in the local secret files (kept across restarts, so emailed links stay valid).
      QM_APPROVAL_LINK_KEY_SECRET_ID: await localApprovalLinkKey(identity.edges.secrets),
    };
    const notifications = await startLocalNotifications({
      doc,
      tableName: LOCAL_TABLE_NAME,
      sqs,
      bus,
      events,
      secrets: identity.edges.secrets,
      consoleUrl: consoleUrl ?? 'http://127.0.0.1:5173',
      apiBaseUrl: apiUrl,
      approvalLinkKeyRef: envValues.QM_APPROVAL_LINK_KEY_SECRET_ID,
      dataDir: options.dataDir,
      ports: options.notificationPorts,
      log,
      onError: onError('notifier'),
    });
    stops.push(() => notifications.stop());
    const approvals = await startLocalApprovals(doc, bus, ending, onError('approval flow'));
    stops.push(() => approvals.stop());
    const edges: ApiEdges = {
      doc,
      events,
      jobOutput: (job) => (job.backend === 'kubernetes' ? devCluster.logs : backend),
      ...identity.edges,
      logger: quiet,
      configCacheMs: LOCAL_CONFIG_CACHE_MS,
    };
    const handlers = new Map(API_ROUTE_GROUPS.map((group) => [group.name, composeApiFunction(group, envValues, edges)]));
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: apiPort,
      groups: API_ROUTE_GROUPS,
      loadHandler: async (group) => {
        const handler = handlers.get(group.name);
        if (!handler) throw new Error(`No local handler for route group ${group.name}`);
        return handler;
      },
      authorizer: identity.authorizer,
      ...(consoleUrl ? { cors: { allowOrigins: [consoleUrl] } } : {}),
    });
    stops.push(() => server.close());
    const consoleServer = consolePort
      ? await startConsoleServer({
          port: consolePort,
          config: {
            apiUrl: server.url,
            stage: 'local',
            providers: [
              {
                type: 'oidc',
                id: DEV_PROVIDER_ID,
                label: 'Dev IdP (demo users)',
                authority: identity.idp.issuer,
                clientId: CONSOLE_CLIENT_ID,
                scope: DEV_IDP_SCOPES,
                resource: LOCAL_API_RESOURCE,
              },
            ],
          },
          connectOrigins: [server.url, new URL(identity.idp.issuer).origin],
        })
      : undefined;
    if (consoleServer) stops.push(() => consoleServer.close());

    return {
      url: server.url,
      dynamoDbEndpoint: dynamo.endpoint,
      sqsEndpoint: sqsServer.endpoint,
      tableName: LOCAL_TABLE_NAME,
      dispatchQueueUrl: queues.dispatchQueueUrl,
      dispatchDlqUrl: queues.dispatchDlqUrl,
      identity: { issuer: identity.idp.issuer, ca: identity.ca, caFile: identity.caFile },
      kubernetes: { cluster: DEV_CLUSTER_ID, endpoint: devCluster.server.url },
      ...(consoleServer ? { consoleUrl: consoleServer.url } : {}),
      notifications: {
        mailboxUrl: notifications.mailbox.url,
        smtp: `${notifications.mailbox.smtp.host}:${notifications.mailbox.smtp.port}`,
        webhookUrl: `${notifications.receiver.url}/hooks`,
        webhookSecret: notifications.receiver.secret,
        queueUrl: notifications.queueUrl,
        dlqUrl: notifications.dlqUrl,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Approvals locally: the approval flow's synthesized ASL run in-process (`LocalApprovalFlows`), its task
 * states calling the same step function as the deployed Lambda; the approval bridge (the same composition as
 * the deployed function) fed by the bus's flow signals, as the deployed rule feeds it; and every request still
 * pending in the table re-driven (executions do not survive a restart; the table does).
 */
async function startLocalApprovals(
  doc: DynamoDBDocumentClient,
  bus: InProcessEventBus,
  ending: { jobs: DynamoJobRepository; events: EventPublisher; clock: Clock; ids: IdSource; retentionDays: number },
  onError: (error: unknown) => void,
): Promise<LocalApprovalFlows> {
  const approvals = new DynamoApprovalRepository(doc, LOCAL_TABLE_NAME);
  const flows = new LocalApprovalFlows(synthesizedApprovalFlowDefinition(), createApprovalSteps({ ...ending, approvals }), { onError });
  const bridge = createApprovalBridge({ approvals, flows, tokens: flows, logger: createLogger({ logLevel: 'WARN' }) });
  bus.subscribe(APPROVAL_FLOW_SIGNAL_PATTERN, async (event) => {
    await bridge({ detail: event });
  });
  await redriveApprovalFlows(ending.jobs, flows);
  return flows;
}

/** The reference of the local approval-link key, generated on the first start (as CDK generates the deployed one). */
export async function localApprovalLinkKey(secrets: SecretStore): Promise<string> {
  const ref = 'file:approval-link-key';
  const existing = await secrets.get(ref).catch(() => undefined);
  return existing ? ref : secrets.put('approval-link-key', randomBytes(48).toString('base64url'));
}

import { toJobView } from '#contracts/jobs.contract';
import type { HardwareCatalog } from '#domain/catalog/catalog.port';
import type { EventPublisher } from '#domain/events/events.port';
import { cancelJob } from '#domain/job-flow/cancel-job.service';
import type { ClusterSource } from '#domain/clusters/clusters.port';
import type { JobRepository } from '#domain/jobs/jobs.port';
import { getVisibleJob, listOwnJobs } from '#domain/jobs/job-queries.service';
import type { BackendKind } from '#domain/jobs/job.schema';
import { submitJob, type SubmitJobDeps } from '#domain/job-flow/submit-job.service';
import { QueueBusyHint } from '#domain/jobs/queue-hint';
import type { ApprovalRepository } from '#domain/approvals/approvals.port';
import { DynamoApprovalRepository } from '#adapters/dynamodb/dynamo-approval.repository';
import type { LimitsSource, QuotaSource } from '#domain/quotas/quotas.port';
import type { SchedulingSettingsSource } from '#domain/scheduling/scheduling.port';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { ResourceRuleSource } from '#domain/authz/authz.port';
import type { AuditLog } from '#domain/audit/audit.port';
import type { TemplateRepository } from '#domain/templates/templates.port';
import { specForSubmission } from '#domain/templates/templates.service';
import { createApiHandler } from '#http/api-handler';
import { jobsRoutes } from './jobs.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoTemplateRepository } from '#adapters/dynamodb/dynamo-template.repository';
import { dynamoApprovalGate, dynamoSubmissionReads } from '#functions/api/submission-reads';
import type { JobsEnv } from './jobs.env';

export interface JobsDeps {
  jobs: JobRepository;
  quotas: QuotaSource;
  limits: LimitsSource;
  hardware: HardwareCatalog;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
  backends: readonly BackendKind[];
  retentionDays: number;
  scheduling: SchedulingSettingsSource;
  /** Job templates a submission may name (`template`); resource rules checked at submission. */
  templates?: TemplateRepository;
  resourceRules?: ResourceRuleSource;
  /** Registered clusters, where the deployment offers the `kubernetes` backend. */
  clusters?: ClusterSource;
  principalGate?: PrincipalGate;
  audit?: AuditLog;
  /** Per-instance memory that the queue was busy: saves a doomed admission attempt in a burst. */
  queueHint?: QueueBusyHint;
  /** Approval rules: a job a rule holds waits in `pending_approval` (absent: no approvals). */
  approval?: SubmitJobDeps['approval'];
  /** Approval requests: cancelling a held job closes its request. */
  approvals?: ApprovalRepository;
}

/** The jobs API: thin routes over the job use cases; every response goes through the explicit mapper. */
export function createJobsHandler(deps: JobsDeps) {
  return createApiHandler(
    jobsRoutes,
    {
      submitJob: async ({ principal, body, headers }) => {
        const idempotencyKey = headers['idempotency-key'];
        const spec = await specForSubmission(principal, body, deps.templates);
        const { job, created } = await submitJob({ principal, spec, ...(idempotencyKey ? { idempotencyKey } : {}) }, deps);
        const responseHeaders = { location: `/v1/jobs/${job.id}`, 'idempotent-replayed': String(!created) };
        // A replay of an Idempotency-Key changed nothing: the first submission's entry stands.
        const audit = created
          ? { target: `job/${job.id}`, details: { template: spec.template, hardwareType: spec.hardwareType } }
          : { unchanged: true };
        return { status: 201, body: toJobView(job), headers: responseHeaders, audit };
      },
      listJobs: async ({ principal, query }) => {
        const page = await listOwnJobs(principal, query, deps.jobs);
        return { status: 200, body: { items: page.items.map(toJobView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
      },
      getJob: async ({ principal, params }) => ({ status: 200, body: toJobView(await getVisibleJob(principal, params.id, deps.jobs)) }),
      cancelJob: async ({ principal, params }) => ({ status: 200, body: toJobView(await cancelJob(principal, params.id, deps)) }),
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/**
 * The jobs function, as Lambda, the local stack and the tests build it. Its events, dispatch requests (launch,
 * stop) and approval flow signals are outbox items written in the transaction of the change they announce; the
 * relay puts them on the bus, whose rules deliver dispatch requests to the dispatch queue and flow signals to
 * the approval bridge.
 */
export function composeJobs(env: JobsEnv, runtime: ApiRuntime & { events: EventPublisher }) {
  const { access, options, clock, ids } = composeApiAccess(env, runtime);
  return createJobsHandler({
    ...dynamoSubmissionReads(env, { ...runtime, clock, ids }),
    events: runtime.events,
    retentionDays: env.QM_JOB_RETENTION_DAYS,
    templates: new DynamoTemplateRepository(runtime.doc, env.QM_TABLE_NAME),
    queueHint: new QueueBusyHint(),
    // A job an approval rule holds waits for its request; cancelling it closes the request.
    approval: dynamoApprovalGate(env, runtime, access.levels),
    approvals: new DynamoApprovalRepository(runtime.doc, env.QM_TABLE_NAME),
    ...options,
  });
}

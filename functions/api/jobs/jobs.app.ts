import { toJobView } from '../../../shared/contracts/jobs.contract';
import type { HardwareCatalog } from '../../../shared/domain/catalog/hardware-catalog.port';
import type { EventPublisher } from '../../../shared/domain/events/event-envelope';
import { cancelJob } from '../../../shared/domain/jobs/cancel-job.service';
import type { DispatchQueue } from '../../../shared/domain/jobs/dispatch-message.schema';
import { getVisibleJob, listOwnJobs } from '../../../shared/domain/jobs/job-queries.service';
import type { JobRepository } from '../../../shared/domain/jobs/job-repository.port';
import type { BackendKind } from '../../../shared/domain/jobs/job.schema';
import { submitJob } from '../../../shared/domain/jobs/submit-job.service';
import type { QueueBusyHint } from '../../../shared/domain/jobs/queue-hint';
import type { LimitsSource } from '../../../shared/domain/jobs/concurrency';
import type { QuotaSource } from '../../../shared/domain/quotas/quota-repository.port';
import type { Clock, IdSource } from '../../../shared/domain/runtime/runtime.port';
import type { PrincipalGate } from '../../../shared/domain/authz/access-gate';
import type { ResourceRuleSource } from '../../../shared/domain/authz/resource-rules';
import type { AuditLog } from '../../../shared/domain/audit/audit.port';
import type { TemplateRepository } from '../../../shared/domain/templates/template.schema';
import { specForSubmission } from '../../../shared/domain/templates/templates.service';
import { createApiHandler } from '../../../shared/http/api-handler';
import { jobsRoutes } from './jobs.routes';

export interface JobsDeps {
  jobs: JobRepository;
  quotas: QuotaSource;
  limits: LimitsSource;
  hardware: HardwareCatalog;
  events: EventPublisher;
  dispatch: DispatchQueue;
  clock: Clock;
  ids: IdSource;
  backends: readonly BackendKind[];
  retentionDays: number;
  /** Job templates a submission may name (`template`); resource rules checked at submission. */
  templates?: TemplateRepository;
  resourceRules?: ResourceRuleSource;
  principalGate?: PrincipalGate;
  audit?: AuditLog;
  /** Per-instance memory that the queue was busy: saves a doomed admission attempt in a burst. */
  queueHint?: QueueBusyHint;
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

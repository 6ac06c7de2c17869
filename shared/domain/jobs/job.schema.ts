import { holdSchema } from '#domain/quotas/counters';
import * as z from 'zod/mini';
import { jobApprovalSchema } from './approval-request.schema';
import { clusterIdSchema, namespaceNameSchema, placementSchema } from '#domain/clusters/cluster.schema';
import { backendKindSchema, jobStateSchema, type JobState } from './job-state.schema';

export { JOB_STATES, jobStateSchema, backendKindSchema, type JobState, type BackendKind } from './job-state.schema';

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set([
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'rejected',
  'expired',
  'denied',
]);
/** States that hold concurrency counters (taken at admission, released exactly once at the end). */
export const ACTIVE_STATES: ReadonlySet<JobState> = new Set(['admitted', 'starting', 'running']);

export const isTerminal = (state: JobState): boolean => TERMINAL_STATES.has(state);

const slug = z
  .string()
  .check(z.minLength(1), z.maxLength(63), z.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and dashes'));

/** Env values are plain configuration; secrets go by reference (`secretRef`), never by value. */
const envVarName = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name'));
/**
 * Names whose underscore-separated words say "secret": HF_TOKEN, DB_PASSWORD, AWS_SECRET_ACCESS_KEY,
 * OPENAI_API_KEY, GITHUB_PAT. Whole words only, so ML settings such as MAX_NEW_TOKENS or
 * TOKENIZERS_PARALLELISM stay plain configuration.
 */
const SECRET_LOOKING =
  /(^|_)(SECRET|PASSWORD|PASSWD|PWD|TOKEN|CREDENTIALS?|PAT|AUTH)(_|$)|(^|_)(API|PRIVATE|ACCESS|SESSION|SECRET|SIGNING)_?KEY(_|$)/i;

export const jobEnvEntrySchema = z.union([
  z.strictObject({ name: envVarName, value: z.string().check(z.maxLength(4096)) }),
  z.strictObject({ name: envVarName, secretRef: z.string().check(z.minLength(1), z.maxLength(512)) }),
]);

/** What an estimated start rests on (docs/scheduling.md, "Where a job stands"). */
export const estimateBasisSchema = z.enum(['max_runtime', 'history', 'period_reset']);
export type EstimateBasis = z.infer<typeof estimateBasisSchema>;

export const jobPrioritySchema = z.enum(['low', 'normal', 'high']);
export type JobPriority = z.infer<typeof jobPrioritySchema>;

/** What a caller submits (docs/architecture.md#the-job-lifecycle-and-its-writes). `maxRuntimeMinutes` is required: it bounds the cost. */
export const jobSpecSchema = z.strictObject({
  name: slug.check(z.describe('Job name, unique enough for humans; lower-case, digits, dashes')),
  template: z.optional(slug).check(z.describe('Job template to start from (optional)')),
  image: z.string().check(z.minLength(1), z.maxLength(512), z.regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/, 'a container image reference')),
  command: z.array(z.string().check(z.maxLength(8192))).check(z.minLength(1), z.maxLength(64)),
  args: z._default(z.array(z.string().check(z.maxLength(8192))).check(z.maxLength(256)), []),
  env: z._default(z.array(jobEnvEntrySchema).check(z.maxLength(100)), []).check(
    z.superRefine((entries, ctx) => {
      entries.forEach((entry, index) => {
        // camelCase counts as separate words too: ClientSecret → Client_Secret.
        if ('value' in entry && SECRET_LOOKING.test(entry.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2'))) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'value'],
            message: `"${entry.name}" looks like a secret: pass it as { name, secretRef } instead of a plain value`,
          });
        }
      });
    }),
  ),
  hardwareType: slug.check(z.describe('Hardware type from the catalog, e.g. gpu-a10g-1x')),
  backend: z.optional(backendKindSchema).check(z.describe('Backend to run on; omitted = any allowed')),
  teamId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))).check(z.describe('Team to charge; defaults to the first team')),
  cluster: z
    .optional(clusterIdSchema)
    .check(z.describe('Kubernetes: registered cluster to run on (implies backend kubernetes); omitted = the first one allowed')),
  namespace: z.optional(namespaceNameSchema).check(z.describe('Kubernetes: namespace to run in; omitted = the first one allowed')),
  maxRuntimeMinutes: z.number().check(z.int(), z.gte(1), z.lte(60 * 24 * 14)),
  priority: z._default(jobPrioritySchema, 'normal'),
});
export type JobSpecInput = z.input<typeof jobSpecSchema>;
export type JobSpec = z.infer<typeof jobSpecSchema>;

/** Why a non-terminal job is waiting (the explainable queue). */
export const waitingReasonSchema = z.object({
  code: z.enum([
    'awaiting_approval',
    'queue_position',
    'global_concurrency',
    'user_concurrency',
    'quota_full',
    'queue_paused',
    'team_required',
    'backend_capacity',
    'dispatching',
    'starting',
    'running',
  ]),
  message: z.string(),
  /** Place among the org's waiting jobs in admission order (1 = next). */
  position: z.optional(z.number().check(z.int())),
  /** Place among the jobs held back by the same limit (1 = first to get the room it frees). */
  limitPosition: z.optional(z.number().check(z.int())),
  /** The quota that holds the job back, for `quota_full`. */
  quotaId: z.optional(z.string()),
  /**
   * An estimate, not a promise: when the job should start, what it rests on (`basis`: the running and
   * waiting jobs' max runtimes, their recent run `history`, or a budget's `period_reset`) and in words.
   */
  estimatedStart: z.optional(
    z.object({
      at: z.string(),
      basis: estimateBasisSchema,
      detail: z.optional(z.string()),
    }),
  ),
});
export type WaitingReason = z.infer<typeof waitingReasonSchema>;

export const stateTransitionSchema = z.object({ state: jobStateSchema, at: z.string() });

/** The stored job (schema version 1). `history` keeps a timestamp per state reached. */
export const jobSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  orgId: z.string(),
  ownerId: z.string(),
  teamId: z.optional(z.string()),
  spec: jobSpecSchema,
  backend: backendKindSchema,
  state: jobStateSchema,
  waiting: z.optional(waitingReasonSchema),
  stateReason: z.optional(z.string()),
  priorityClass: z.number().check(z.int()),
  estimatedCostUsd: z.number(),
  gpuCount: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(stateTransitionSchema),
  runRef: z.optional(z.string()),
  /** Kubernetes backend: the cluster and namespace chosen at submission. */
  placement: z.optional(placementSchema),
  exitCode: z.optional(z.number().check(z.int())),
  startedAt: z.optional(z.string()),
  endedAt: z.optional(z.string()),
  idempotencyKey: z.optional(z.string()),
  /** Counters this job holds while active; released exactly once, by the write that ends it. */
  holds: z._default(z.array(holdSchema), []),
  /** Level of the owner at submission: level quotas (a per-user limit for every user of a level) use it. */
  ownerLevel: z.optional(z.string()),
  /** The owner held `job.bypass.queue` at submission: skips ordering and the global limit, never a quota. */
  bypassQueue: z.optional(z.boolean()),
  /** When an admin moved the queued job to the front of the queue (`queue.manage`, audited). */
  movedToFrontAt: z.optional(z.string()),
  /** `warn` quotas this job went over at admission: shown to the user, never blocking. */
  quotaWarnings: z.optional(z.array(z.string())),
  /** The approval that holds (or held) the job: request id, rule, approver level, escalation and expiry times. */
  approval: z.optional(jobApprovalSchema),
  /** ECS backend: where the current (or last) launch was placed: fleet, purchase kind, pinned instance type. */
  ecsPlacement: z.optional(
    z.object({
      fleet: z.string(),
      purchase: z.enum(['spot', 'on-demand']),
      instanceType: z.optional(z.string()),
      /** The fleet falls back to On-Demand: a Spot attempt that finds no capacity in time is queued again. */
      onDemandFallback: z.optional(z.boolean()),
    }),
  ),
  /** While `starting` and waiting for capacity: the time after which the launch gives up (ISO 8601). */
  launchDeadline: z.optional(z.string()),
  /** The run that lost its instance before the job was queued again: its late reports are ignored. */
  interruptedRunRef: z.optional(z.string()),
  /** How often the job lost its instance to a Spot reclaim; it is queued again once, then not. */
  spotInterruptions: z.optional(z.number().check(z.int(), z.gte(0))),
  /** Epoch seconds after which DynamoDB TTL removes the ended job (retention); absent = keep. */
  expiresAt: z.optional(z.number().check(z.int())),
  version: z.number().check(z.int()),
});
export type Job = z.infer<typeof jobSchema>;

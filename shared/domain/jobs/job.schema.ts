import * as z from 'zod';

/** Job states of DESIGN §4.5. Every transition is a conditional write on the previous state. */
export const JOB_STATES = [
  'submitted',
  'pending_approval',
  'queued',
  'admitted',
  'starting',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'rejected',
  'expired',
  'denied',
] as const;
export const jobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof jobStateSchema>;

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
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and dashes');

/** Env values are plain configuration; secrets go by reference (`secretRef`), never by value. */
const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name');
/**
 * Names whose underscore-separated words say "secret": HF_TOKEN, DB_PASSWORD, AWS_SECRET_ACCESS_KEY,
 * OPENAI_API_KEY, GITHUB_PAT. Whole words only, so ML settings such as MAX_NEW_TOKENS or
 * TOKENIZERS_PARALLELISM stay plain configuration.
 */
const SECRET_LOOKING =
  /(^|_)(SECRET|PASSWORD|PASSWD|PWD|TOKEN|CREDENTIALS?|PAT|AUTH)(_|$)|(^|_)(API|PRIVATE|ACCESS|SESSION|SECRET|SIGNING)_?KEY(_|$)/i;

export const jobEnvEntrySchema = z.union([
  z.object({ name: envVarName, value: z.string().max(4096) }).strict(),
  z.object({ name: envVarName, secretRef: z.string().min(1).max(512) }).strict(),
]);

export const backendKindSchema = z.enum(['ecs', 'kubernetes', 'local']);
export type BackendKind = z.infer<typeof backendKindSchema>;

export const jobPrioritySchema = z.enum(['low', 'normal', 'high']);
export type JobPriority = z.infer<typeof jobPrioritySchema>;

/** What a caller submits (DESIGN §4.5). `maxRuntimeMinutes` is required: it bounds the cost. */
export const jobSpecSchema = z
  .object({
    name: slug.describe('Job name, unique enough for humans; lower-case, digits, dashes'),
    template: slug.optional().describe('Job template to start from (optional)'),
    image: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/, 'a container image reference'),
    command: z.array(z.string().max(8192)).min(1).max(64),
    args: z.array(z.string().max(8192)).max(256).default([]),
    env: z
      .array(jobEnvEntrySchema)
      .max(100)
      .default([])
      .superRefine((entries, ctx) => {
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
    hardwareType: slug.describe('Hardware type from the catalog, e.g. gpu-a10g-1x'),
    backend: backendKindSchema.optional().describe('Backend to run on; omitted = any allowed'),
    teamId: z.string().min(1).max(64).optional().describe('Team to charge; defaults to the first team'),
    maxRuntimeMinutes: z.number().int().min(1).max(60 * 24 * 14),
    priority: jobPrioritySchema.default('normal'),
  })
  .strict();
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
    'team_required',
    'backend_capacity',
    'dispatching',
    'starting',
    'running',
  ]),
  message: z.string(),
  position: z.number().int().optional(),
  /** The quota that holds the job back, for `quota_full`. */
  quotaId: z.string().optional(),
});
export type WaitingReason = z.infer<typeof waitingReasonSchema>;

/**
 * A counter a job holds while active. `concurrency` holds are given back at the end; `budget` holds reserve
 * the estimate and settle to the actual use (`perHour` × hours run); `count` holds (daily job counts) stay.
 */
export const holdSchema = z.object({
  counter: z.string(),
  amount: z.number(),
  kind: z.enum(['concurrency', 'budget', 'count']).default('concurrency'),
  perHour: z.number().optional(),
});
export type Hold = z.infer<typeof holdSchema>;

export const stateTransitionSchema = z.object({ state: jobStateSchema, at: z.string() });

/** The stored job (schema version 1). `history` keeps a timestamp per state reached. */
export const jobSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  orgId: z.string(),
  ownerId: z.string(),
  teamId: z.string().optional(),
  spec: jobSpecSchema,
  backend: backendKindSchema,
  state: jobStateSchema,
  waiting: waitingReasonSchema.optional(),
  stateReason: z.string().optional(),
  priorityClass: z.number().int(),
  estimatedCostUsd: z.number(),
  gpuCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(stateTransitionSchema),
  runRef: z.string().optional(),
  exitCode: z.number().int().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  idempotencyKey: z.string().optional(),
  /** Counters this job holds while active; released exactly once, by the write that ends it. */
  holds: z.array(holdSchema).default([]),
  /** Level of the owner at submission: level quotas (a per-user limit for every user of a level) use it. */
  ownerLevel: z.string().optional(),
  /** The owner held `job.bypass.queue` at submission: skips ordering and the global limit, never a quota. */
  bypassQueue: z.boolean().optional(),
  /** `warn` quotas this job went over at admission: shown to the user, never blocking. */
  quotaWarnings: z.array(z.string()).optional(),
  /** Epoch seconds after which DynamoDB TTL removes the ended job (retention); absent = keep. */
  expiresAt: z.number().int().optional(),
  version: z.number().int(),
});
export type Job = z.infer<typeof jobSchema>;

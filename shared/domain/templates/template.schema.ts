import * as z from 'zod/mini';
import { jobSpecSchema } from '#domain/jobs/job.schema';

const spec = jobSpecSchema.shape;

/**
 * The reusable part of a job spec (docs/permissions.md: "config" = job templates): every field optional and with no
 * defaults, so a template states only what it fixes and a submission fills in or overrides the rest.
 */
export const templateSpecSchema = z.strictObject({
  image: z.optional(spec.image),
  command: z.optional(spec.command),
  args: z.optional(spec.args._zod.def.innerType),
  env: z.optional(spec.env._zod.def.innerType),
  hardwareType: z.optional(spec.hardwareType),
  backend: spec.backend,
  maxRuntimeMinutes: z.optional(spec.maxRuntimeMinutes),
  priority: z.optional(spec.priority._zod.def.innerType),
});
export type TemplateSpec = z.infer<typeof templateSpecSchema>;

export const templateNameSchema = spec.name;

export const jobTemplateSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  orgId: z.string().check(z.minLength(1)),
  /** Unique within the org; what `template` in a job spec and `config` resource rules name. */
  name: templateNameSchema,
  description: z._default(z.string().check(z.maxLength(500)), ''),
  ownerId: z.string().check(z.minLength(1)),
  /** The team the template belongs to: a lead holding `config.edit.all` reaches their teams' templates. */
  teamId: z.optional(z.string().check(z.minLength(1))),
  spec: templateSpecSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.gte(1)),
});
export type JobTemplate = z.infer<typeof jobTemplateSchema>;

/**
 * A job submission: the job spec's fields, all optional but `name` so that a template can supply them. The
 * complete spec (template + submission) is validated against the job spec schema before anything else.
 */
export const jobSubmissionSchema = z.strictObject(
  z.extend(templateSpecSchema, {
    name: spec.name,
    template: spec.template,
    teamId: spec.teamId,
    // Where a Kubernetes job runs is decided per submission, not stored in a template.
    cluster: spec.cluster,
    namespace: spec.namespace,
  }).shape,
);
export type JobSubmission = z.infer<typeof jobSubmissionSchema>;

import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';
import { slugSchema } from '#domain/tenancy/slug';
import { jobSubmissionSchema, templateNameSchema, templateSpecSchema, type JobTemplate } from '#domain/templates/template.schema';
import { paginationQuerySchema } from './common.contract';

export const templateParamsSchema = z.object({ name: templateNameSchema });

export const listTemplatesQuerySchema = z.extend(paginationQuerySchema, {
  mine: z.optional(z.enum(['true', 'false'])).check(z.describe('Only templates I own')),
});

const templateSpec = templateSpecSchema.clone().register(z.globalRegistry, { id: 'TemplateSpec' });

export const createTemplateBodySchema = z
  .strictObject({
    name: templateNameSchema,
    description: z.optional(z.string().check(z.maxLength(500))),
    teamId: z.optional(slugSchema),
    spec: templateSpec,
  })
  .register(z.globalRegistry, { id: 'CreateTemplate' });

export const replaceTemplateBodySchema = z
  .strictObject({ description: z.optional(z.string().check(z.maxLength(500))), teamId: z.optional(slugSchema), spec: templateSpec })
  .register(z.globalRegistry, { id: 'ReplaceTemplate' });

export const templateViewSchema = lazySchema(() =>
  z
    .object({
      name: z.string(),
      description: z.string(),
      ownerId: z.string(),
      teamId: z.optional(z.string()),
      spec: templateSpec,
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .register(z.globalRegistry, { id: 'JobTemplate' }),
);
export const templateListSchema = lazySchema(() =>
  z
    .object({ items: z.array(templateViewSchema()), nextCursor: z.optional(z.string()) })
    .register(z.globalRegistry, { id: 'JobTemplateList' }),
);

export const toTemplateView = (template: JobTemplate): z.infer<ReturnType<typeof templateViewSchema>> => ({
  name: template.name,
  description: template.description,
  ownerId: template.ownerId,
  ...(template.teamId ? { teamId: template.teamId } : {}),
  spec: template.spec,
  createdAt: template.createdAt,
  updatedAt: template.updatedAt,
});

/** `POST /v1/jobs`: a job spec whose fields may come from the named template (see `specForSubmission`). */
export const jobSubmissionBodySchema = jobSubmissionSchema.clone().register(z.globalRegistry, {
  id: 'JobSubmission',
  description: 'A job spec. `image`, `command`, `hardwareType` and `maxRuntimeMinutes` are required unless `template` supplies them.',
});

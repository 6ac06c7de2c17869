import * as z from 'zod';
import { slugSchema } from '../domain/tenancy/tenancy.schema';
import { jobSubmissionSchema, templateNameSchema, templateSpecSchema, type JobTemplate } from '../domain/templates/template.schema';
import { paginationQuerySchema } from './common.contract';

export const templateParamsSchema = z.object({ name: templateNameSchema });

export const listTemplatesQuerySchema = paginationQuerySchema.extend({
  mine: z.enum(['true', 'false']).optional().describe('Only templates I own'),
});

const templateSpec = templateSpecSchema.meta({ id: 'TemplateSpec' });

export const createTemplateBodySchema = z
  .object({
    name: templateNameSchema,
    description: z.string().max(500).optional(),
    teamId: slugSchema.optional(),
    spec: templateSpec,
  })
  .strict()
  .meta({ id: 'CreateTemplate' });

export const replaceTemplateBodySchema = z
  .object({ description: z.string().max(500).optional(), teamId: slugSchema.optional(), spec: templateSpec })
  .strict()
  .meta({ id: 'ReplaceTemplate' });

export const templateViewSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    ownerId: z.string(),
    teamId: z.string().optional(),
    spec: templateSpec,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'JobTemplate' });
export const templateListSchema = z.object({ items: z.array(templateViewSchema), nextCursor: z.string().optional() }).meta({ id: 'JobTemplateList' });

export const toTemplateView = (template: JobTemplate): z.infer<typeof templateViewSchema> => ({
  name: template.name,
  description: template.description,
  ownerId: template.ownerId,
  ...(template.teamId ? { teamId: template.teamId } : {}),
  spec: template.spec,
  createdAt: template.createdAt,
  updatedAt: template.updatedAt,
});

/** `POST /v1/jobs`: a job spec whose fields may come from the named template (see `specForSubmission`). */
export const jobSubmissionBodySchema = jobSubmissionSchema.meta({
  id: 'JobSubmission',
  description: 'A job spec. `image`, `command`, `hardwareType` and `maxRuntimeMinutes` are required unless `template` supplies them.',
});

import { conflictResponse, notFoundResponse, standardErrors } from '#contracts/route-responses';
import {
  createTemplateBodySchema,
  listTemplatesQuerySchema,
  replaceTemplateBodySchema,
  templateListSchema,
  templateParamsSchema,
  templateViewSchema,
} from '#contracts/templates.contract';
import type { RouteDeclaration } from '#http/route';

const templateNotFound = notFoundResponse('template');

/** Job templates (docs/permissions.md "config"): shared within the org; edited by their owner or with `config.edit.all`. */
export const templatesRoutes = [
  {
    method: 'GET',
    path: '/v1/templates',
    operationId: 'listTemplates',
    summary: "The org's job templates",
    access: 'config.view',
    tags: ['templates'],
    request: { query: listTemplatesQuerySchema },
    responses: { 200: { description: 'A page of templates', schema: templateListSchema }, ...standardErrors },
  },
  {
    method: 'POST',
    path: '/v1/templates',
    operationId: 'createTemplate',
    summary: 'Create a job template',
    access: 'config.create',
    tags: ['templates'],
    request: { body: createTemplateBodySchema },
    responses: {
      201: { description: 'The template', schema: templateViewSchema },
      ...standardErrors,
      ...notFoundResponse('team named in the body'),
      ...conflictResponse('The name is taken'),
    },
  },
  {
    method: 'GET',
    path: '/v1/templates/{name}',
    operationId: 'getTemplate',
    summary: 'Get a job template',
    access: 'config.view',
    tags: ['templates'],
    request: { params: templateParamsSchema },
    responses: { 200: { description: 'The template', schema: templateViewSchema }, ...standardErrors, ...templateNotFound },
  },
  {
    method: 'PUT',
    path: '/v1/templates/{name}',
    operationId: 'replaceTemplate',
    summary: 'Replace a job template (own: config.edit.own; others: config.edit.all)',
    access: 'config.edit.own',
    tags: ['templates'],
    request: { params: templateParamsSchema, body: replaceTemplateBodySchema },
    responses: {
      200: { description: 'The template', schema: templateViewSchema },
      ...standardErrors,
      ...notFoundResponse('template, or team named in the body'),
      ...conflictResponse('The template was changed meanwhile'),
    },
  },
  {
    method: 'DELETE',
    path: '/v1/templates/{name}',
    operationId: 'deleteTemplate',
    summary: 'Delete a job template (own: config.edit.own; others: config.edit.all)',
    access: 'config.edit.own',
    tags: ['templates'],
    request: { params: templateParamsSchema },
    responses: { 204: { description: 'Deleted' }, ...standardErrors, ...templateNotFound },
  },
] as const satisfies readonly RouteDeclaration[];

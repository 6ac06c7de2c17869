import { toTemplateView } from '#contracts/templates.contract';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { AuditLog } from '#domain/audit/audit.port';
import type { Clock } from '#domain/runtime/runtime.port';
import type { TemplateRepository } from '#domain/templates/templates.port';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, replaceTemplate } from '#domain/templates/templates.service';
import { createApiHandler } from '#http/api-handler';
import { templatesRoutes } from './templates.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { DynamoTemplateRepository } from '#adapters/dynamodb/dynamo-template.repository';
import type { TemplatesEnv } from './templates.env';

export interface TemplatesAppDeps {
  templates: TemplateRepository;
  /** A template's team must be a team of the caller's org. */
  teams: Pick<TenancyRepository, 'getTeam'>;
  clock: Clock;
  principalGate?: PrincipalGate;
  audit?: AuditLog;
}

export function createTemplatesHandler(deps: TemplatesAppDeps) {
  return createApiHandler(
    templatesRoutes,
    {
      listTemplates: async ({ principal, query }) => {
        const page = await listTemplates(principal, { limit: query.limit, cursor: query.cursor, mine: query.mine === 'true' }, deps);
        return {
          status: 200,
          body: { items: page.items.map(toTemplateView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
        };
      },
      createTemplate: async ({ principal, body }) => {
        const { name, ...input } = body;
        const template = await createTemplate(principal, name, input, deps);
        return {
          status: 201,
          body: toTemplateView(template),
          headers: { location: `/v1/templates/${name}` },
          audit: { target: `template/${name}` },
        };
      },
      getTemplate: async ({ principal, params }) => ({
        status: 200,
        body: toTemplateView(await getTemplate(principal, params.name, deps)),
      }),
      replaceTemplate: async ({ principal, params, body }) => {
        const { template, previous } = await replaceTemplate(principal, params.name, body, deps);
        return {
          status: 200,
          body: toTemplateView(template),
          audit: { target: `template/${template.name}`, details: { owner: previous.ownerId, version: template.version } },
        };
      },
      deleteTemplate: async ({ principal, params }) => {
        const template = await deleteTemplate(principal, params.name, deps);
        return { status: 204, audit: { target: `template/${template.name}`, details: { owner: template.ownerId } } };
      },
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/** The templates function, as Lambda, the local stack and the tests build it. */
export function composeTemplates(env: TemplatesEnv, runtime: ApiRuntime) {
  const { access, options, clock } = composeApiAccess(env, runtime);
  return createTemplatesHandler({
    templates: new DynamoTemplateRepository(runtime.doc, env.QM_TABLE_NAME),
    teams: new DynamoTenancyRepository(runtime.doc, env.QM_TABLE_NAME, access.orgStatus),
    clock,
    ...options,
  });
}

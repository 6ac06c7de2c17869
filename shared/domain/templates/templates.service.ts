import { hasPermission, reaches, reachOf } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden, notFound, validationFailed } from '#domain/errors/app-error';
import { jobSpecSchema, type JobSpec } from '#domain/jobs/job.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import { teamOfOrg, unknownInOrg } from '#domain/tenancy/org-references';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import type { ListOptions, Page } from '#domain/page';
import { jobTemplateSchema, type JobSubmission, type JobTemplate, type TemplateSpec } from './template.schema';
import type { TemplateRepository } from './templates.port';

export interface TemplatesDeps {
  templates: TemplateRepository;
  /** To check that a template's team is a team of the org. */
  teams: Pick<TenancyRepository, 'getTeam'>;
  clock: Clock;
}

export interface TemplateInput {
  description?: string | undefined;
  teamId?: string | undefined;
  spec: TemplateSpec;
}

/** Templates are shared within an org: everyone holding `config.view` sees the org's templates. */
export function listTemplates(
  principal: Principal,
  options: ListOptions & { mine?: boolean | undefined },
  deps: TemplatesDeps,
): Promise<Page<JobTemplate>> {
  return deps.templates.list(principal.orgId, { ...options, ...(options.mine ? { ownerId: principal.userId } : {}) });
}

export async function getTemplate(principal: Principal, name: string, deps: TemplatesDeps): Promise<JobTemplate> {
  const template = await deps.templates.get(principal.orgId, name);
  if (!template) throw notFound('Template');
  return template;
}

/** `config.edit.own` on one's own templates; `config.edit.all` on others' within its reach (a lead's teams, an admin's org). */
function assertCanEdit(principal: Principal, template: JobTemplate): void {
  if (template.ownerId === principal.userId && hasPermission(principal, 'config.edit.own')) return;
  if (reaches(principal, 'config.edit.all', { orgId: template.orgId, teamIds: [template.teamId] })) return;
  throw forbidden(`You may not change template "${template.name}"`, {
    permission: template.ownerId === principal.userId ? 'config.edit.own' : 'config.edit.all',
  });
}

/**
 * A template can belong to one of the caller's teams (or, with org reach, any team of the caller's org: 404
 * for a team the org does not have, another org's included).
 */
async function assertTeam(principal: Principal, teamId: string | undefined, deps: TemplatesDeps): Promise<void> {
  if (teamId === undefined || principal.teamIds.includes(teamId)) return;
  const reach = reachOf(principal, 'config.edit.all');
  if (reach !== 'org' && reach !== 'platform') throw forbidden('A template can only belong to a team you are in', { field: 'body.teamId' });
  await teamOfOrg(deps.teams, principal.orgId, teamId, 'body.teamId');
}

export async function createTemplate(principal: Principal, name: string, input: TemplateInput, deps: TemplatesDeps): Promise<JobTemplate> {
  await assertTeam(principal, input.teamId, deps);
  const now = deps.clock.now().toISOString();
  const template = jobTemplateSchema.parse({
    orgId: principal.orgId,
    name,
    description: input.description ?? '',
    ownerId: principal.userId,
    ...(input.teamId ? { teamId: input.teamId } : {}),
    spec: input.spec,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  if (!(await deps.templates.save(template, 0)))
    throw new AppError('conflict', `A template "${name}" already exists`, { field: 'body.name' });
  return template;
}

export async function replaceTemplate(
  principal: Principal,
  name: string,
  input: TemplateInput,
  deps: TemplatesDeps,
): Promise<{ template: JobTemplate; previous: JobTemplate }> {
  const previous = await getTemplate(principal, name, deps);
  assertCanEdit(principal, previous);
  if (input.teamId !== previous.teamId) await assertTeam(principal, input.teamId, deps);
  const template = jobTemplateSchema.parse({
    ...previous,
    description: input.description ?? previous.description,
    teamId: input.teamId,
    spec: input.spec,
    updatedAt: deps.clock.now().toISOString(),
    version: previous.version + 1,
  });
  if (!(await deps.templates.save(template, previous.version)))
    throw new AppError('conflict', 'The template was changed meanwhile; read it again and retry');
  return { template, previous };
}

export async function deleteTemplate(principal: Principal, name: string, deps: TemplatesDeps): Promise<JobTemplate> {
  const template = await getTemplate(principal, name, deps);
  assertCanEdit(principal, template);
  if (!(await deps.templates.remove(principal.orgId, name))) throw notFound('Template');
  return template;
}

/**
 * The complete job spec of a submission: the named template's fields, overridden by whatever the
 * submission states, validated as a whole (400 naming each missing or invalid field). The template is
 * looked up in the caller's org only; whether the caller may use it is for the `config` resource rules.
 */
export async function specForSubmission(
  principal: Principal,
  submission: JobSubmission,
  templates: TemplateRepository | undefined,
): Promise<JobSpec> {
  let base: TemplateSpec = {};
  if (submission.template !== undefined) {
    if (!hasPermission(principal, 'config.view'))
      throw forbidden('Submitting from a template needs config.view', { field: 'body.template' });
    const template = templates ? await templates.get(principal.orgId, submission.template) : undefined;
    // Another org's template does not exist here: 404 naming the field, like a missing one.
    if (!template) throw unknownInOrg('template', submission.template, 'body.template');
    base = template.spec;
  }
  const stated = Object.fromEntries(Object.entries(submission).filter(([, value]) => value !== undefined));
  const result = jobSpecSchema.safeParse({ ...base, ...stated });
  if (!result.success) {
    throw validationFailed(
      result.error.issues.map((issue) => ({ field: ['body', ...issue.path.map(String)].join('.'), message: issue.message })),
    );
  }
  return result.data;
}

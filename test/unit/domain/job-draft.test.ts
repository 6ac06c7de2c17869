import { describe, expect, it } from 'vitest';
import type { Level } from '#domain/authz/permissions';
import type { Principal } from '#domain/authz/principal';
import { hardwareTypeSchema } from '#domain/catalog/hardware.schema';
import { AppError } from '#domain/errors/app-error';
import { draftJob, type DraftDeps } from '#domain/jobs/job-draft';
import type { JobSpecInput } from '#domain/jobs/job.schema';
import { researcher, spec } from '#test-support/job-fixtures';

/** draftJob: what a caller may ask for, checked and priced before anything is written. */

const as = (level: Level, overrides: Partial<Principal> = {}): Principal => researcher('u1', { level, ...overrides });

const catalog = [
  hardwareTypeSchema.parse({ id: 'gpu-a10g-1x', gpuModel: 'A10G', gpuCount: 1, vcpu: 4, memoryMiB: 16_384, pricePerHourUsd: 1.006 }),
  hardwareTypeSchema.parse({
    id: 'gpu-retired',
    gpuModel: 'K80',
    gpuCount: 1,
    vcpu: 4,
    memoryMiB: 16_384,
    pricePerHourUsd: 0.9,
    enabled: false,
  }),
];

const deps: DraftDeps = {
  hardware: { get: async (id) => catalog.find((h) => h.id === id) },
  clock: { now: () => new Date('2026-11-22T10:00:00.000Z') },
  ids: { next: () => '01JOB' },
  backends: ['ecs', 'kubernetes'],
};

const draft = (principal: Principal, input: Partial<JobSpecInput> = {}) => draftJob(principal, spec(input), deps);

async function refusal(principal: Principal, input: Partial<JobSpecInput>): Promise<AppError> {
  const error = await draft(principal, input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('draftJob', () => {
  it('drafts a queued job owned by the caller, in the caller org, priced from the catalog', async () => {
    const { job } = await draft(as('researcher'), { maxRuntimeMinutes: 60 });
    expect(job).toMatchObject({
      id: '01JOB',
      orgId: 'acme',
      ownerId: 'u1',
      teamId: 'vision',
      backend: 'ecs',
      state: 'queued',
      priorityClass: 20,
      estimatedCostUsd: 1.01,
      gpuCount: 1,
      version: 1,
    });
    expect(job.history.map((h) => h.state)).toEqual(['submitted', 'queued']);
  });

  it('refuses priority high without job.priority.high, and lets a lead ask for it', async () => {
    expect((await refusal(as('researcher'), { priority: 'high' })).code).toBe('forbidden');
    await expect(draft(as('lead'), { priority: 'high' })).resolves.toMatchObject({ job: { priorityClass: 80 } });
  });

  it('refuses charging a team the caller is not in', async () => {
    expect((await refusal(as('researcher'), { teamId: 'nlp' })).code).toBe('forbidden');
    await expect(draft(as('researcher', { teamIds: ['vision', 'nlp'] }), { teamId: 'nlp' })).resolves.toMatchObject({
      job: { teamId: 'nlp' },
    });
  });

  it('refuses a backend the deployment does not offer, and unknown or disabled hardware', async () => {
    expect((await refusal(as('researcher'), { backend: 'local' })).code).toBe('unprocessable');
    expect((await refusal(as('researcher'), { hardwareType: 'gpu-x' })).code).toBe('unprocessable');
    expect((await refusal(as('researcher'), { hardwareType: 'gpu-retired' })).code).toBe('unprocessable');
  });

  it.each([
    'quartermaster/other-org/hf',
    'quartermaster/acme/../other-org/hf',
    'quartermaster/acmecorp/hf',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:quartermaster/acme/hf',
  ])('refuses a secretRef outside the caller org namespace: %s', async (secretRef) => {
    const error = await refusal(as('researcher'), { env: [{ name: 'HF_TOKEN', secretRef }] });
    expect(error).toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'body.env.0.secretRef' }] } });
  });

  it('accepts a secretRef in the caller org namespace', async () => {
    await expect(draft(as('researcher'), { env: [{ name: 'HF_TOKEN', secretRef: 'quartermaster/acme/hf' }] })).resolves.toBeDefined();
  });
});

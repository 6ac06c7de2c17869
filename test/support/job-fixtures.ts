import type { Principal } from '#domain/authz/principal';
import type { User } from '#domain/users/user.schema';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { jobSpecSchema, type Job, type JobSpec, type JobSpecInput } from '#domain/jobs/job.schema';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { ulidSource } from '#adapters/runtime/system-runtime';

export const researcher = (userId = 'rae', overrides: Partial<Principal> = {}): Principal => ({
  userId,
  orgId: 'acme',
  level: 'researcher',
  platformAdmin: false,
  teamIds: ['vision'],
  authMethod: 'dev',
  ...overrides,
});

/** The principal a signed-in user acts as, from their stored record (no scopes: a session or sign-in, not an API key). */
export const principalOfUser = (
  user: Pick<User, 'id' | 'orgId' | 'level' | 'platformAdmin' | 'teamIds'>,
  authMethod: Principal['authMethod'],
): Principal => ({
  userId: user.id,
  orgId: user.orgId,
  level: user.level,
  platformAdmin: user.platformAdmin,
  teamIds: user.teamIds,
  authMethod,
});

export const spec = (overrides: Partial<JobSpecInput> = {}): JobSpec =>
  jobSpecSchema.parse({
    name: 'train',
    image: 'busybox',
    command: ['sh', '-c', 'echo hello'],
    hardwareType: 'gpu-a10g-1x',
    maxRuntimeMinutes: 30,
    ...overrides,
  });

/** A clock tests can move forward. */
export function manualClock(start = '2026-11-22T10:00:00.000Z'): Clock & { advance(ms: number): void } {
  let now = Date.parse(start);
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

export function testRuntime(): { clock: Clock; ids: IdSource; events: InProcessEventBus } {
  return { clock: { now: () => new Date() }, ids: ulidSource(), events: new InProcessEventBus() };
}

/** A queued job on the local backend (cpu-small, 5 minutes) as the table holds it; `note` rides in its env. */
export function queuedJob(fields: {
  id: string;
  orgId: string;
  ownerId: string;
  teamId: string | undefined;
  name: string;
  note: string;
  at: string;
}): Job {
  const { id, orgId, ownerId, teamId, name, note, at } = fields;
  return {
    schemaVersion: 1,
    id,
    orgId,
    ownerId,
    teamId,
    spec: jobSpecSchema.parse({
      name,
      image: 'busybox',
      command: ['true'],
      hardwareType: 'cpu-small',
      maxRuntimeMinutes: 5,
      env: [{ name: 'NOTE', value: note }],
    }),
    backend: 'local',
    state: 'queued',
    priorityClass: 20,
    estimatedCostUsd: 0.01,
    gpuCount: 0,
    createdAt: at,
    updatedAt: at,
    history: [{ state: 'queued', at }],
    holds: [],
    version: 1,
  };
}

/** A job as the table holds it: rae's (org acme, team vision), queued on ECS; tests override what they are about. */
export const storedJob = (overrides: Partial<Job> = {}): Job => ({
  schemaVersion: 1,
  id: '01JOB',
  orgId: 'acme',
  ownerId: 'rae',
  teamId: 'vision',
  spec: spec(),
  backend: 'ecs',
  state: 'queued',
  priorityClass: 20,
  estimatedCostUsd: 0.5,
  gpuCount: 1,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
  history: [],
  holds: [],
  version: 1,
  ...overrides,
});

/** A job of rae's (org acme) that failed on the local backend: what a notification about a job's end is built from. */
export const failedJob = (id: string, teamId = 'vision'): Job =>
  storedJob({
    id,
    teamId,
    backend: 'local',
    state: 'failed',
    estimatedCostUsd: 0.1,
    gpuCount: 0,
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:00.000Z',
    version: 3,
  });

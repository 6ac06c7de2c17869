import type { Principal } from '#domain/authz/principal';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { jobSpecSchema, type JobSpec, type JobSpecInput } from '#domain/jobs/job.schema';
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

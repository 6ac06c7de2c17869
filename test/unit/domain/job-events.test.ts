import { describe, expect, it } from 'vitest';
import { EVENT_SOURCE, eventEnvelopeSchema } from '#domain/events/event-envelope';
import { matchesPattern, SCHEDULER_TRIGGER_PATTERN } from '#domain/event-catalog/event-rules';
import { eventTypeForState, JOB_EVENT_TYPES, jobEvent, SCHEDULER_TRIGGER_EVENT_TYPES } from '#domain/jobs/job.events';
import { canTransition } from '#domain/jobs/job-lifecycle';
import { ACTIVE_STATES, JOB_STATES, type Job } from '#domain/jobs/job.schema';
import { spec, storedJob } from '#test-support/job-fixtures';

const SECRET = 'sk-live-DO-NOT-LEAK';

function job(overrides: Partial<Job> = {}): Job {
  const { teamId: _noTeam, ...raes } = storedJob({
    spec: spec({ command: ['sh', '-c', `curl -H "x: ${SECRET}"`], args: [SECRET], env: [{ name: 'EXTRA', value: SECRET }] }),
    state: 'running',
    version: 4,
  });
  return { ...raes, ...overrides };
}

describe('jobEvent', () => {
  it('builds a valid envelope addressed to the job and its org', () => {
    const event = jobEvent('job.started', job({ teamId: 'vision' }), '01EVT', '2026-11-22T11:00:00.000Z');
    expect(eventEnvelopeSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({ id: '01EVT', type: 'job.started', orgId: 'acme', subject: 'job/01JOB', version: 1 });
    expect(event.data).toEqual({
      jobId: '01JOB',
      name: 'train',
      ownerId: 'rae',
      teamId: 'vision',
      state: 'running',
      backend: 'ecs',
      hardwareType: 'gpu-a10g-1x',
    });
  });

  it('carries no spec content: no env values, command, args or image', () => {
    const event = jobEvent(
      'job.failed',
      job({ state: 'failed', exitCode: 1, stateReason: 'OOMKilled' }),
      '01EVT',
      '2026-11-22T11:00:00.000Z',
    );
    const text = JSON.stringify(event);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('busybox');
    expect(Object.keys(event.data).sort()).toEqual(['backend', 'exitCode', 'hardwareType', 'jobId', 'name', 'ownerId', 'reason', 'state']);
  });

  it('includes exit code 0, and omits team, exit code and reason when absent', () => {
    expect(jobEvent('job.completed', job({ state: 'succeeded', exitCode: 0 }), 'e', 't').data).toMatchObject({ exitCode: 0 });
    const data = jobEvent('job.submitted', job({ state: 'queued' }), 'e', 't').data;
    expect(data).not.toHaveProperty('teamId');
    expect(data).not.toHaveProperty('exitCode');
    expect(data).not.toHaveProperty('reason');
  });
});

describe('eventTypeForState', () => {
  it('announces start, success, failure (including time-outs) and cancellation', () => {
    expect(Object.fromEntries(JOB_STATES.map((s) => [s, eventTypeForState(s)]).filter(([, t]) => t))).toEqual({
      running: 'job.started',
      succeeded: 'job.completed',
      failed: 'job.failed',
      timed_out: 'job.failed',
      cancelled: 'job.cancelled',
    });
  });

  it('wakes the scheduler whenever an active job ends, since that frees capacity', () => {
    const endsOfActiveJobs = JOB_STATES.filter(
      (to) => [...ACTIVE_STATES].some((from) => canTransition(from, to)) && !ACTIVE_STATES.has(to),
    );
    for (const state of endsOfActiveJobs.filter((s) => s !== 'queued')) {
      const type = eventTypeForState(state);
      expect(type, state).toBeDefined();
      expect(SCHEDULER_TRIGGER_EVENT_TYPES, state).toContain(type);
    }
  });
});

describe('scheduler trigger rule', () => {
  it('matches exactly the trigger types from the Quartermaster source', () => {
    for (const type of JOB_EVENT_TYPES) {
      expect(matchesPattern(SCHEDULER_TRIGGER_PATTERN, { source: EVENT_SOURCE, detailType: type }), type).toBe(
        SCHEDULER_TRIGGER_EVENT_TYPES.includes(type),
      );
    }
    expect(matchesPattern(SCHEDULER_TRIGGER_PATTERN, { source: 'evil.source', detailType: 'job.submitted' })).toBe(false);
    expect(SCHEDULER_TRIGGER_EVENT_TYPES).toContain('job.submitted');
    expect(SCHEDULER_TRIGGER_EVENT_TYPES).not.toContain('job.started');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '#domain/errors/app-error';
import { canTransition, transition } from '#domain/jobs/job-lifecycle';
import { isTerminal, JOB_STATES, TERMINAL_STATES, type Job, type JobState } from '#domain/jobs/job.schema';
import { storedJob } from '#test-support/job-fixtures';

/**
 * The lifecycle of docs/architecture.md#the-job-lifecycle-and-its-writes, written out as data. Beyond the diagram, the implementation allows three
 * edges the design implies: `admitted → failed` (the launch was refused), `admitted → queued` (handed back
 * when the backend has no capacity) and `starting → succeeded` (a job that finished before it was seen
 * running).
 */
const ALLOWED: Record<JobState, readonly JobState[]> = {
  submitted: ['pending_approval', 'queued', 'denied', 'cancelled'],
  pending_approval: ['queued', 'rejected', 'expired', 'cancelled'],
  queued: ['admitted', 'cancelled'],
  admitted: ['starting', 'cancelled', 'failed', 'queued'],
  // → queued: the run lost its Spot instance (requeued once, see job-requeue.ts).
  starting: ['running', 'failed', 'cancelled', 'timed_out', 'succeeded', 'queued'],
  running: ['succeeded', 'failed', 'timed_out', 'cancelled', 'queued'],
  succeeded: [],
  failed: [],
  timed_out: [],
  cancelled: [],
  rejected: [],
  expired: [],
  denied: [],
};

const ALL_PAIRS = JOB_STATES.flatMap((from) => JOB_STATES.map((to) => [from, to] as const));
const AT = '2026-11-22T12:00:00.000Z';

function jobIn(state: JobState, overrides: Partial<Job> = {}): Job {
  return storedJob({
    state,
    waiting: { code: 'quota_full', message: 'Team quota full' },
    history: [{ state, at: '2026-11-22T10:00:00.000Z' }],
    version: 3,
    ...overrides,
  });
}

function invalidStateError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the transition to throw');
}

describe('job lifecycle: which transitions exist', () => {
  it('allows exactly the edges of docs/architecture.md#the-job-lifecycle-and-its-writes', () => {
    for (const [from, to] of ALL_PAIRS) {
      expect(canTransition(from, to), `${from} → ${to}`).toBe(ALLOWED[from].includes(to));
    }
  });

  it('lets every non-terminal job be cancelled, and no terminal job move at all', () => {
    for (const state of JOB_STATES) {
      if (isTerminal(state))
        expect(
          JOB_STATES.filter((to) => canTransition(state, to)),
          state,
        ).toEqual([]);
      else expect(canTransition(state, 'cancelled'), state).toBe(true);
    }
  });

  it('never moves a job back to submitted or into itself', () => {
    for (const state of JOB_STATES) {
      expect(canTransition(state, 'submitted')).toBe(false);
      expect(canTransition(state, state)).toBe(false);
    }
  });

  it('reaches a terminal state from every state (no dead ends)', () => {
    for (const start of JOB_STATES) {
      const seen = new Set<JobState>([start]);
      const frontier = [start];
      while (frontier.length > 0) {
        const state = frontier.pop() as JobState;
        for (const next of ALLOWED[state].filter((s) => !seen.has(s))) {
          seen.add(next);
          frontier.push(next);
        }
      }
      expect([...seen].some(isTerminal), start).toBe(true);
    }
  });
});

describe('job lifecycle: transition()', () => {
  it('on every allowed edge: appends history, bumps the version, stamps updatedAt, and ends terminal jobs', () => {
    for (const [from, to] of ALL_PAIRS.filter(([f, t]) => ALLOWED[f].includes(t))) {
      const job = jobIn(from);
      const next = transition(job, to, AT);
      expect(next.state).toBe(to);
      expect(next.history).toEqual([...job.history, { state: to, at: AT }]);
      expect(next.version).toBe(job.version + 1);
      expect(next.updatedAt).toBe(AT);
      if (isTerminal(to)) {
        expect(next.endedAt, `${from} → ${to}`).toBe(AT);
        expect(next.waiting, `${from} → ${to}`).toBeUndefined();
      } else {
        expect(next.endedAt, `${from} → ${to}`).toBeUndefined();
      }
    }
  });

  it('on every disallowed edge: throws invalid_state naming both states, and writes nothing', () => {
    for (const [from, to] of ALL_PAIRS.filter(([f, t]) => !ALLOWED[f].includes(t))) {
      const job = jobIn(from);
      const before = structuredClone(job);
      const error = invalidStateError(() => transition(job, to, AT));
      expect(error.code).toBe('invalid_state');
      expect(error.details).toMatchObject({ from, to });
      expect(job).toEqual(before);
    }
  });

  it('holds its invariants for any job, edge, time and patch (property)', () => {
    const state = fc.constantFrom(...JOB_STATES);
    const waiting = fc.option(
      fc.record({ code: fc.constantFrom('awaiting_approval', 'quota_full', 'backend_capacity' as const), message: fc.string() }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        state,
        state,
        fc.nat({ max: 1_000 }),
        fc.array(fc.record({ state, at: fc.string() }), { maxLength: 8 }),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        waiting,
        (from, to, version, history, at, patchWaiting) => {
          const job = jobIn(from, { version, history });
          const before = structuredClone(job);
          // A patch cannot forge the bookkeeping fields: state, history and version always follow the edge.
          const patch: Partial<Job> = {
            stateReason: 'why',
            version: 999,
            history: [],
            state: 'succeeded',
            ...(patchWaiting ? { waiting: patchWaiting } : {}),
          };
          if (!canTransition(from, to)) {
            expect(invalidStateError(() => transition(job, to, at, patch)).code).toBe('invalid_state');
            return;
          }
          const next = transition(job, to, at, patch);
          expect(job).toEqual(before); // pure: the input is untouched
          expect(next.state).toBe(to);
          expect(next.version).toBe(version + 1);
          expect(next.history).toHaveLength(history.length + 1);
          expect(next.history.at(-1)).toEqual({ state: to, at });
          expect(next.stateReason).toBe('why');
          expect(next.endedAt === at).toBe(TERMINAL_STATES.has(to));
          if (isTerminal(to)) expect(next.waiting).toBeUndefined();
          else if (patchWaiting) expect(next.waiting).toEqual(patchWaiting);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('derives the waiting reason from the state unless the patch explains it', () => {
    expect(transition(jobIn('submitted'), 'queued', AT).waiting?.code).toBe('queue_position');
    expect(transition(jobIn('queued'), 'admitted', AT).waiting?.code).toBe('dispatching');
    expect(transition(jobIn('admitted'), 'starting', AT).waiting?.code).toBe('starting');
    expect(transition(jobIn('starting'), 'running', AT).waiting?.code).toBe('running');
    const capacity = { code: 'backend_capacity' as const, message: 'No GPU capacity right now' };
    expect(transition(jobIn('admitted'), 'queued', AT, { waiting: capacity }).waiting).toEqual(capacity);
    // A stale reason from the previous state is not carried over.
    expect(transition(jobIn('submitted'), 'pending_approval', AT).waiting).toBeUndefined();
  });
});

import type { Job } from '#domain/jobs/job.schema';
import { ExpectedRuntimes, simulateLimit } from '#domain/scheduling/eta';
import { runtimeHistoryEffects } from '#domain/scheduling/runtime-history';
import { fairShareRecord, type FairShareDays } from '#domain/scheduling/fair-share';
import { orderQueue } from '#domain/scheduling/queue-order';
import { DEFAULT_SCHEDULING } from '#domain/scheduling/scheduling-settings';

/**
 * A replayed synthetic trace (issue 19): one org, 8 GPUs (the global limit), a heavy team that submits
 * bursts of long jobs and four light teams that submit a few jobs each, replayed minute by minute twice —
 * once in the real queue order (`orderQueue`: aging + fair share) and once in plain FIFO — with the same
 * arrivals. Reported for each: Jain's fairness index of GPU-hours per team over the contended first
 * 6 hours, p50/p95 wait per team, and the error of the estimated start (`simulateLimit`, computed when a job
 * is queued, as the scheduler does: once from max runtimes only, once with run history — the runs that
 * ended so far, recorded and read as the run-history records are) against its actual start. Jobs run
 * 40-100 % of their max runtime (deterministic PRNG); each team repeats one job (same name), so history
 * builds up per team.
 */
const CAPACITY = 8;
const WINDOW_MINUTES = 6 * 60;
const START = Date.parse('2026-12-01T08:00:00.000Z');

interface Arrival {
  id: string;
  team: string;
  at: number; // minutes from START
  maxMinutes: number;
  runMinutes: number;
}

function arrivals(): Arrival[] {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const list: Arrival[] = [];
  const add = (team: string, at: number, maxMinutes: number) =>
    list.push({
      id: `j${String(list.length).padStart(4, '0')}`,
      team,
      at,
      maxMinutes,
      runMinutes: Math.round(maxMinutes * (0.4 + 0.6 * random())),
    });
  for (const burst of [0, 180]) for (let i = 0; i < 40; i += 1) add('heavy', burst + i, 120);
  for (const team of ['light-a', 'light-b', 'light-c', 'light-d']) {
    for (let i = 0; i < 6; i += 1) add(team, Math.round(20 + random() * 300), 30 + Math.round(random() * 60));
  }
  return list.sort((a, b) => a.at - b.at);
}

function toJob(a: Arrival): Job {
  const at = new Date(START + a.at * 60_000).toISOString();
  return {
    schemaVersion: 1,
    id: a.id,
    orgId: 'trace',
    ownerId: `${a.team}-user`,
    teamId: a.team,
    spec: {
      name: `${a.team}-train`,
      image: 'x',
      command: [],
      args: [],
      env: [],
      hardwareType: 'gpu',
      maxRuntimeMinutes: a.maxMinutes,
      priority: 'normal',
    },
    backend: 'ecs',
    state: 'queued',
    priorityClass: 20,
    estimatedCostUsd: 1,
    gpuCount: 1,
    createdAt: at,
    updatedAt: at,
    history: [{ state: 'queued', at }],
    holds: [],
    version: 1,
  };
}

function replay(policy: 'fair' | 'fifo') {
  const trace = arrivals();
  const byId = new Map(trace.map((a) => [a.id, a]));
  const queue: Job[] = [];
  const running: { job: Job; end: number; team: string; start: number }[] = [];
  const usage: Record<string, FairShareDays> = {};
  const history: Record<string, FairShareDays> = {};
  const starts = new Map<string, number>();
  const estimates = { maxRuntime: new Map<string, number>(), history: new Map<string, number>() };
  let next = 0;
  for (let minute = 0; starts.size < trace.length && minute < 7 * 24 * 60; minute += 1) {
    const now = new Date(START + minute * 60_000);
    for (let i = running.length - 1; i >= 0; i -= 1) {
      const run = running[i]!;
      if (run.end > minute) continue;
      running.splice(i, 1);
      const record = fairShareRecord({ type: 'team', orgId: 'trace', id: run.team });
      const day = `d${now.toISOString().slice(0, 10)}`;
      usage[record] = { ...usage[record], [day]: (usage[record]?.[day] ?? 0) + (run.end - run.start) / 60 };
      for (const { counter, field, amount } of runtimeHistoryEffects(run.job, now.toISOString())) {
        history[counter] = { ...history[counter], [field!]: (history[counter]?.[field!] ?? 0) + amount };
      }
    }
    const arrived: Job[] = [];
    while (next < trace.length && trace[next]!.at <= minute) arrived.push(toJob(trace[next++]!));
    queue.push(...arrived);
    const order =
      policy === 'fair'
        ? orderQueue(queue, { now, settingsOf: () => DEFAULT_SCHEDULING, usage }).map((r) => r.job)
        : [...queue].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    while (running.length < CAPACITY && order.length > 0) {
      const job = order.shift()!;
      queue.splice(queue.indexOf(job), 1);
      const a = byId.get(job.id)!;
      starts.set(job.id, minute);
      const startedAt = new Date(START + minute * 60_000).toISOString();
      running.push({ job: { ...job, state: 'running', startedAt }, team: a.team, start: minute, end: minute + a.runMinutes });
    }
    // Estimates for newly queued jobs that did not start, as the scheduler computes them.
    for (const [basis, runtimes] of [
      ['maxRuntime', new ExpectedRuntimes({}, now)],
      ['history', new ExpectedRuntimes(history, now)],
    ] as const) {
      const ahead = order.map((job) => ({ id: job.id, amount: 1, runtimeMs: runtimes.of(job).ms }));
      const holders = running.map((r) => ({ end: Date.parse(r.job.startedAt!) + runtimes.of(r.job).ms, amount: 1 }));
      const eta = simulateLimit(CAPACITY, running.length, holders, ahead, now.getTime());
      for (const job of arrived)
        if (!starts.has(job.id) && eta.has(job.id)) estimates[basis].set(job.id, (eta.get(job.id)! - START) / 60_000);
    }
  }
  return summarize(trace, starts, estimates);
}

function summarize(trace: Arrival[], starts: Map<string, number>, estimates: Record<'maxRuntime' | 'history', Map<string, number>>) {
  const teams = [...new Set(trace.map((a) => a.team))];
  const gpuHours = teams.map((team) =>
    trace
      .filter((a) => a.team === team && starts.has(a.id))
      .reduce((sum, a) => {
        const start = starts.get(a.id)!;
        const inWindow = Math.max(0, Math.min(start + a.runMinutes, WINDOW_MINUTES) - Math.min(start, WINDOW_MINUTES));
        return sum + inWindow / 60;
      }, 0),
  );
  const jain = gpuHours.reduce((s, x) => s + x, 0) ** 2 / (teams.length * gpuHours.reduce((s, x) => s + x * x, 0));
  const waits = Object.fromEntries(
    teams.map((team) => {
      const w = trace.filter((a) => a.team === team).map((a) => (starts.get(a.id) ?? NaN) - a.at);
      return [team, { p50Minutes: percentile(w, 0.5), p95Minutes: percentile(w, 0.95) }];
    }),
  );
  const etaError = (byJob: Map<string, number>) => {
    const errors = [...byJob].map(([id, estimate]) => estimate - starts.get(id)!);
    return {
      estimated: errors.length,
      meanLate: round(errors.reduce((s, e) => s + e, 0) / Math.max(1, errors.length)),
      p50Absolute: percentile(errors.map(Math.abs), 0.5),
      p95Absolute: percentile(errors.map(Math.abs), 0.95),
    };
  };
  return {
    jainIndexGpuHoursFirst6h: round(jain),
    gpuHoursFirst6hPerTeam: Object.fromEntries(teams.map((t, i) => [t, round(gpuHours[i]!)])),
    waitPerTeam: waits,
    etaErrorMinutes: { maxRuntime: etaError(estimates.maxRuntime), history: etaError(estimates.history) },
  };
}

function percentile(values: number[], q: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

export function replayTrace() {
  return {
    method: `one org, ${CAPACITY} GPUs; heavy team: 2 bursts of 40 × 120-min jobs; 4 light teams: 6 jobs of 30-90 min each; runs 40-100 % of max runtime; Jain over the first ${WINDOW_MINUTES / 60} h; ETA error = estimate − actual start (positive = late)`,
    fairShare: replay('fair'),
    fifo: replay('fifo'),
  };
}

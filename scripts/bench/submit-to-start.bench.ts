import { devIdpTokens } from '#scripts/local/dev-idp-login';
import { demoPassword } from '#scripts/local/local-identity';
import { startLocalStack } from '#scripts/local/local-stack';
import { progress } from './bench-env';
import { round, summarize } from './stats';

const JOBS = Number(process.env.QM_BENCH_START_JOBS ?? 10);
const POLL_MS = 25;
/** One local SQS long-poll cycle (`startSqsPoller` asks for WaitTimeSeconds: 1). */
const PHASE_JITTER_MS = 1_000;
const START_TIMEOUT_MS = 30_000;
/** Set once the stack runs: an access token from the dev IdP's real login (no development shortcut exists). */
const AUTH = { authorization: '' };
const STARTED_STATES = new Set(['running', 'succeeded']);
const TERMINAL_STATES = new Set(['succeeded', 'failed', 'timed_out', 'cancelled', 'rejected']);

interface JobView {
  id: string;
  state: string;
  createdAt: string;
  startedAt?: string;
  stateReason?: string;
  history?: { state: string; at: string }[];
}

/** Stages of the path, from the job's own history: which hop the time goes to. */
const STAGES = [
  ['queuedToAdmitted', 'queued', 'admitted'],
  ['admittedToStarting', 'admitted', 'starting'],
  ['startingToRunning', 'starting', 'running'],
] as const;
type StageName = (typeof STAGES)[number][0];

interface Sample {
  /** startedAt − createdAt from the job record (server clocks; the scheduler and dispatcher path). */
  recordMs: number | undefined;
  /** From sending POST until a GET first shows the job started (adds HTTP and up to one poll interval). */
  clientMs: number;
  stages: Partial<Record<StageName, number>>;
}

/**
 * Submit-to-start latency on the local stack (`startLocalStack`, the same one `npm run dev` runs): jobs are
 * submitted one at a time over HTTP with a dev-IdP access token and polled until they start. Each job's run ends
 * before the next submit (untimed), so every sample starts from an idle stack and limits never queue it.
 */
export async function run(): Promise<Record<string, unknown>> {
  const stack = await startLocalStack({
    // Generous limits: we measure the path, not queueing behind our own earlier jobs.
    limits: { maxConcurrent: 50, userMaxConcurrent: 50 },
    log: (message, details) => progress(`local stack: ${message} ${details ? JSON.stringify(details) : ''}`),
  });
  try {
    progress(`submit-to-start: local stack at ${stack.url}`);
    const { issuer, ca } = stack.identity;
    AUTH.authorization = `Bearer ${(await devIdpTokens({ issuer, username: 'rae', password: demoPassword('rae'), ca })).accessToken}`;
    const warmUp = await submitAndWait(stack.url, 'bench-start-warm');
    const samples: Sample[] = [];
    for (let i = 1; i <= JOBS; i++) samples.push(await submitAndWait(stack.url, `bench-start-${i}`));
    const recorded = samples.map((s) => s.recordMs).filter((ms): ms is number => ms !== undefined);
    const stages = Object.fromEntries(
      STAGES.map(([name]) => {
        const values = samples.map((s) => s.stages[name]).filter((ms): ms is number => ms !== undefined);
        return [name, values.length > 0 ? summarize(values, 0) : null];
      }),
    );
    return {
      method: `local stack over HTTP (dev-IdP access token), ${JOBS} jobs submitted sequentially after 1 warm-up, each after an untimed random 0-${PHASE_JITTER_MS} ms pause, GET every ${POLL_MS} ms until startedAt is set or the job is running/succeeded; each job ends before the next is submitted`,
      jobs: JOBS,
      recordStartedMinusCreatedMs: recorded.length > 0 ? summarize(recorded, 0) : null,
      recordMissingStartedAt: samples.length - recorded.length,
      clientObservedMs: summarize(
        samples.map((s) => s.clientMs),
        1,
      ),
      stagesFromHistoryMs: stages,
      warmUp: { recordMs: warmUp.recordMs, clientMs: round(warmUp.clientMs, 1), stages: warmUp.stages },
    };
  } finally {
    await stack.stop();
  }
}

async function submitAndWait(url: string, name: string): Promise<Sample> {
  // Untimed random pause: the local dispatch-queue poller runs in fixed cycles, and submitting right after
  // the previous job ended would always land at the same phase of that cycle (a biased, not typical, wait).
  await sleep(Math.random() * PHASE_JITTER_MS);
  const t0 = performance.now();
  const submitted = await request<JobView>(url, 'POST', '/v1/jobs', {
    name,
    image: 'busybox',
    command: ['true'],
    hardwareType: 'cpu-small',
    maxRuntimeMinutes: 5,
  });
  let job = submitted;
  const deadline = t0 + START_TIMEOUT_MS;
  while (!job.startedAt && !STARTED_STATES.has(job.state)) {
    if (TERMINAL_STATES.has(job.state)) throw new Error(`job ${job.id} ended ${job.state} without starting: ${job.stateReason ?? ''}`);
    if (performance.now() > deadline) throw new Error(`job ${job.id} not started after ${START_TIMEOUT_MS} ms (state ${job.state})`);
    await sleep(POLL_MS);
    job = await request<JobView>(url, 'GET', `/v1/jobs/${job.id}`);
  }
  const clientMs = performance.now() - t0;
  const recordMs = job.startedAt ? Date.parse(job.startedAt) - Date.parse(job.createdAt) : undefined;
  // Untimed: let the run finish so the next sample starts from an idle stack.
  while (!TERMINAL_STATES.has(job.state) && performance.now() < deadline) {
    await sleep(POLL_MS * 2);
    job = await request<JobView>(url, 'GET', `/v1/jobs/${job.id}`);
  }
  return { recordMs, clientMs, stages: stageDurations(job.history ?? []) };
}

async function request<T>(base: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...AUTH, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

function stageDurations(history: readonly { state: string; at: string }[]): Partial<Record<StageName, number>> {
  const at = (state: string): number | undefined => {
    const entry = history.find((h) => h.state === state);
    return entry ? Date.parse(entry.at) : undefined;
  };
  const result: Partial<Record<StageName, number>> = {};
  for (const [name, from, to] of STAGES) {
    const start = at(from);
    const end = at(to);
    if (start !== undefined && end !== undefined) result[name] = end - start;
  }
  return result;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type {
  HardwareRequirements,
  JobBackend,
  JobLogReader,
  LaunchResult,
  LogLine,
  RunObservation,
  RunObserver,
} from '#domain/jobs/jobs.port';
import { AppError } from '#domain/errors/app-error';
import type { Job } from '#domain/jobs/job.schema';
import type { RunReport } from '#domain/job-flow/run-status.service';

/**
 * The `local` backend: runs a job's command as a subprocess on this machine (the image is not pulled; the
 * command runs on the host), so the whole flow works without AWS. It exists only in the local stack:
 * deployed functions never import this file, and `QM_BACKENDS` cannot offer `local` outside it.
 *
 * Idempotency: each run owns the folder `<runsDir>/<jobId>`, created exclusively; a second launch of the
 * same job finds the folder and returns the first run. Output goes to `output.jsonl`, one line per line.
 */
export class LocalProcessBackend implements JobBackend, JobLogReader, RunObserver {
  readonly kind = 'local' as const;
  private readonly children = new Map<string, number>();

  constructor(
    private readonly runsDir: string,
    private readonly onReport: (report: RunReport) => void,
  ) {}

  private runDir(jobId: string): string {
    return join(this.runsDir, jobId);
  }

  async launch(job: Job, _hardware: HardwareRequirements): Promise<LaunchResult> {
    const runRef = `local:${job.id}`;
    await mkdir(this.runsDir, { recursive: true });
    try {
      await mkdir(this.runDir(job.id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { runRef, alreadyLaunched: true };
      throw error;
    }
    const [program, ...commandArgs] = job.spec.command;
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.runDir(job.id), QM_JOB_ID: job.id };
    for (const entry of job.spec.env) if ('value' in entry) env[entry.name] = entry.value;

    const output = createWriteStream(join(this.runDir(job.id), 'output.jsonl'), { flags: 'a' });
    const child = spawn(program ?? 'true', [...commandArgs, ...job.spec.args], {
      cwd: this.runDir(job.id),
      env,
      detached: true, // own process group, so stop() ends the job's children too
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pipes: Promise<void>[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = createInterface({ input: child[stream] });
      lines.on('line', (message) => output.write(`${JSON.stringify({ at: new Date().toISOString(), stream, message })}\n`));
      pipes.push(new Promise((resolve) => lines.on('close', resolve)));
    }
    if (child.pid) this.children.set(job.id, child.pid);
    let spawnError: string | undefined;
    child.on('error', (error) => {
      spawnError = error.message;
    });
    child.on('close', (code, signal) => {
      void Promise.all(pipes).then(async () => {
        output.end();
        const exitCode = code ?? (signal ? 128 : 127);
        const reason = spawnError ? `Could not start: ${spawnError}` : signal ? `Stopped by ${signal}` : undefined;
        await writeFile(join(this.runDir(job.id), 'exit.json'), JSON.stringify({ exitCode, reason }));
        // Only now: until the exit record exists, `observe` must still see the run as running, not gone.
        this.children.delete(job.id);
        this.onReport({ jobId: job.id, runRef, status: 'ended', exitCode, ...(reason ? { reason } : {}) });
      });
    });
    return { runRef, alreadyLaunched: false };
  }

  async stop(job: Job, _reason: string): Promise<void> {
    const pid = this.children.get(job.id);
    if (!pid) return; // never started here, or already ended
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // the process group is already gone
    }
  }

  /** Runs this process started that are still alive: the dev server stops them on exit. */
  stopAll(): void {
    for (const pid of this.children.values()) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }

  /**
   * The run's truth, for the reconciler: its exit record (`exit.json`, written when the process ends, before
   * the report is sent) if there is one; running while this process has it; otherwise `missing` (no run
   * folder, or a run lost when the local stack stopped).
   */
  async observe(job: Job): Promise<RunObservation> {
    let exit: { exitCode?: unknown; reason?: unknown };
    try {
      exit = JSON.parse(await readFile(join(this.runDir(job.id), 'exit.json'), 'utf8')) as typeof exit;
    } catch {
      return this.children.has(job.id) ? { status: 'running' } : { status: 'missing' };
    }
    return {
      status: 'ended',
      ...(typeof exit.exitCode === 'number' ? { exitCode: exit.exitCode } : {}),
      ...(typeof exit.reason === 'string' ? { reason: exit.reason } : {}),
    };
  }

  async read(job: Job, options: { cursor?: string; limit: number }): Promise<{ lines: LogLine[]; nextCursor?: string }> {
    if (options.cursor !== undefined && !/^\d{1,9}$/.test(options.cursor)) {
      throw new AppError('validation_failed', 'Invalid cursor', {
        fields: [{ field: 'query.cursor', message: 'not a cursor this listing issued' }],
      });
    }
    const offset = options.cursor ? Number.parseInt(options.cursor, 10) : 0;
    let text: string;
    try {
      text = await readFile(join(this.runDir(job.id), 'output.jsonl'), 'utf8');
    } catch {
      return { lines: [] };
    }
    const all = text.split('\n').filter(Boolean);
    const start = Number.isFinite(offset) && offset > 0 ? offset : 0;
    const lines = all.slice(start, start + options.limit).map((line) => JSON.parse(line) as LogLine);
    const next = start + lines.length;
    return next < all.length ? { lines, nextCursor: String(next) } : { lines };
  }
}

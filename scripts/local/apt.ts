import { spawnSync } from 'node:child_process';

/**
 * Installs Debian packages for the local stack and the tests (a JRE, slapd, chromium) when a tool is
 * missing: root only, waiting for another apt run's lock rather than failing on it.
 */
export function aptInstall(packages: readonly string[], why: string): void {
  if (process.getuid?.() !== 0)
    throw new Error(`${why} is missing and we are not root: run 'sudo apt-get install -y ${packages.join(' ')}'`);
  console.error(`${why}: not found; installing ${packages.join(' ')} from Debian apt`);
  const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
  for (const args of [
    [...lockWait, 'update'],
    [...lockWait, 'install', '-y', '--no-install-recommends', ...packages],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} exited with ${result.status}`);
  }
}

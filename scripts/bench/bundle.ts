import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_OPTIONS, LAZY_FILES, type LazyFile } from '#lib/constructs/bundling-options';

export interface BuiltBundle {
  /** Absolute path of the `index.mjs` CDK would upload. */
  file: string;
  bytes: number;
  metafile: Metafile;
  /** The files this bundle imports on first use (left external; CDK builds them beside `index.mjs`). */
  lazyFiles: LazyFile[];
}

/**
 * Bundles `entry` with ESBUILD_OPTIONS, the very object `QmFunction` maps onto CDK's bundling, so the
 * floor and every function are built the way CDK builds them: CDK's NodejsFunction adds only the entry,
 * an `index.mjs` outfile (ESM format) and no externals (`bundleAwsSDK: true`), which we mirror here.
 * The metafile is kept so an over-budget bundle can be explained by its largest inputs.
 */
export async function bundleFunction(repoRoot: string, entry: string, outDir: string): Promise<BuiltBundle> {
  const file = join(outDir, 'index.mjs');
  const result = await build({
    ...ESBUILD_OPTIONS,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    external: [...ESBUILD_OPTIONS.external],
    banner: { ...ESBUILD_OPTIONS.banner },
    define: { ...ESBUILD_OPTIONS.define },
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, entry)],
    outfile: file,
    metafile: true,
    write: true,
    logLevel: 'error',
  });
  return { file, bytes: (await stat(file)).size, metafile: result.metafile, lazyFiles: lazyFilesOf(result.metafile) };
}

/** The lazily loaded files a bundle imports: its external dynamic imports of `./<file>` (see ESBUILD_OPTIONS). */
export function lazyFilesOf(metafile: Metafile): LazyFile[] {
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
  return LAZY_FILES.filter((lazy) => imports.some((i) => i.external && i.kind === 'dynamic-import' && i.path === `./${lazy.file}`));
}

export interface InputShare {
  path: string;
  bytes: number;
}

/** The `count` inputs contributing the most bytes to the output, e.g. to explain an over-budget bundle. */
export function topInputs(metafile: Metafile, count = 10): InputShare[] {
  return inputShares(metafile)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

/**
 * Output bytes per npm package (`@scope/name` or `name`, nested node_modules resolved to the innermost);
 * our own sources are grouped as `(quartermaster)`. A package view says which dependency to cut.
 */
export function bytesByPackage(metafile: Metafile, count = 10): InputShare[] {
  const totals = new Map<string, number>();
  for (const { path, bytes } of inputShares(metafile)) {
    const name = packageOf(path);
    totals.set(name, (totals.get(name) ?? 0) + bytes);
  }
  return [...totals]
    .map(([path, bytes]) => ({ path, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

export function packageOf(inputPath: string): string {
  const marker = 'node_modules/';
  const at = inputPath.lastIndexOf(marker);
  if (at < 0) return '(quartermaster)';
  const parts = inputPath.slice(at + marker.length).split('/');
  const first = parts[0] ?? '';
  return first.startsWith('@') ? `${first}/${parts[1] ?? ''}` : first;
}

function inputShares(metafile: Metafile): InputShare[] {
  // One entry point, one output file (plus nothing else: no splitting, no source map).
  const output = Object.values(metafile.outputs)[0];
  if (!output) return [];
  return Object.entries(output.inputs).map(([path, info]) => ({ path, bytes: info.bytesInOutput }));
}

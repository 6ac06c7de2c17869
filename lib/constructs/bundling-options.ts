import type { BuildOptions } from 'esbuild';

/** A module that some functions load on first use from a file of its own beside `index.mjs` in their asset. */
export interface LazyFile {
  /** Entry, relative to the repository root. */
  readonly entry: string;
  /** File name in the asset, beside `index.mjs`. */
  readonly file: string;
}

/**
 * The Kubernetes adapters with @kubernetes/client-node and undici (~2 MB): their own file, so the functions
 * that only sometimes talk to a cluster keep the client out of their cold start (docs/architecture.md, "The
 * Kubernetes client loads on first use"). Built beside `index.mjs` in every asset whose `index.mjs` imports it.
 */
export const KUBERNETES_ADAPTERS: LazyFile = Object.freeze({
  entry: 'shared/adapters/kubernetes/kube-adapters.ts',
  file: 'kube-adapters.mjs',
});

/** Files some bundles import on first use instead of containing them (`QmFunction`'s after-bundling step builds them). */
export const LAZY_FILES: readonly LazyFile[] = [KUBERNETES_ADAPTERS];

/**
 * The esbuild settings every Lambda bundle is built with, as a plain object in esbuild's own option
 * shape. `QmFunction` maps it onto CDK's `BundlingOptions`, and the bench script passes it to esbuild's
 * `build()` to build the GetItem-only floor, so both sides of the cold-start budget (docs/budgets.md) are built
 * identically.
 */
export const ESBUILD_OPTIONS = Object.freeze({
  bundle: true,
  platform: 'node',
  /** Matches the Lambda runtime (`nodejs24.x`); esbuild then leaves modern syntax untranspiled. */
  target: 'node24',
  /** ESM output (`index.mjs`): top-level await is available and the runtime loads it natively. */
  format: 'esm',
  minify: true,
  /** Off: source maps would inflate the bundle and the init time we budget. */
  sourcemap: false,
  /** Prefer ESM builds of dependencies so esbuild can tree-shake them (the AWS SDK v3 ships both). */
  mainFields: ['module', 'main'],
  /**
   * Some bundled CommonJS dependencies call `require()` for Node built-ins, which does not exist in an ES
   * module; esbuild's shim falls back to this `require`.
   */
  banner: {
    js: "import { createRequire as __qmCreateRequire } from 'node:module'; const require = __qmCreateRequire(import.meta.url);",
  },
  /**
   * The AWS SDK v3 goes into the bundle, pinned to our lockfile and tree-shaken, instead of the runtime's copy
   * (whose version we do not control). The one external is the Kubernetes adapters' own file (below).
   */
  external: [`./${KUBERNETES_ADAPTERS.file}`],
  /**
   * Makes shared/adapters/kubernetes/kube-lazy.ts import `./kube-adapters.mjs` (left external above) instead of
   * bundling the adapters and @kubernetes/client-node into `index.mjs`; the file is built beside it
   * (`QmFunction`'s `lazyFiles`). Unset under tsx and vitest, which import the TypeScript source.
   */
  define: { QM_KUBE_ADAPTERS_FILE: JSON.stringify(`./${KUBERNETES_ADAPTERS.file}`) },
} satisfies BuildOptions);

/**
 * {@link ESBUILD_OPTIONS} as esbuild command-line flags, for the lazily loaded files `QmFunction` builds in
 * CDK's after-bundling step (a shell command; CDK runs its own build of `index.mjs` the same way).
 */
export function esbuildCliFlags(options: typeof ESBUILD_OPTIONS = ESBUILD_OPTIONS): string[] {
  return [
    ...(options.bundle ? ['--bundle'] : []),
    `--platform=${options.platform}`,
    `--target=${options.target}`,
    `--format=${options.format}`,
    ...(options.minify ? ['--minify'] : []),
    ...(options.sourcemap ? ['--sourcemap'] : []),
    `--main-fields=${options.mainFields.join(',')}`,
    `--banner:js=${options.banner.js}`,
    ...options.external.map((path) => `--external:${path}`),
    ...Object.entries(options.define).map(([name, value]) => `--define:${name}=${value}`),
  ];
}

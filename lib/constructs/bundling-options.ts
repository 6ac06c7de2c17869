import type { BuildOptions } from 'esbuild';

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
   * Nothing is external: the AWS SDK v3 goes into the bundle, pinned to our lockfile and tree-shaken,
   * instead of the runtime's copy (whose version we do not control).
   */
  external: [],
} satisfies BuildOptions);

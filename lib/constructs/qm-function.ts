import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Token } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, type FunctionOptions } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as z from 'zod';
import { parseBackends } from '#config/backends';
import { LOCAL_ONLY_ENV_KEYS } from '#config/env';
import { ESBUILD_OPTIONS, esbuildCliFlags, LAZY_FILES } from './bundling-options';

/** Repository root: entry paths in route groups and function props are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** {@link DeployedEnv} removes the local-only variables from the type and {@link QmFunction} refuses them at synth. */
export { LOCAL_ONLY_ENV_KEYS };
type LocalOnlyEnvKey = (typeof LOCAL_ONLY_ENV_KEYS)[number];

/** Lambda environment values are strings (or string tokens); string literal unions such as enums stay narrow. */
type EnvValue<T> = T extends string ? T : string;

/**
 * The environment of a deployed function, derived from the function's zod env schema (`z.input`): keys with
 * a default are optional, unknown keys are a compile error, and local-only keys cannot be written at all.
 */
export type DeployedEnv<S extends z.core.$ZodType> = Omit<{ [K in keyof z.input<S>]: EnvValue<z.input<S>[K]> }, LocalOnlyEnvKey>;

const shellQuoted = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * After CDK's esbuild has written `index.mjs`: each lazily loaded file that the bundle imports (esbuild left
 * `import("./kube-adapters.mjs")` in it, see ESBUILD_OPTIONS.define) is built beside it with the same esbuild
 * and settings, so the asset holds both and the import resolves at run time. Bundles that do not import it
 * get nothing extra. Why a second file: docs/architecture.md, "The Kubernetes client loads on first use".
 */
export function lazyFileCommands(inputDir: string, outputDir: string): string[] {
  const esbuild = join(inputDir, 'node_modules', '.bin', 'esbuild');
  return LAZY_FILES.map((lazy) => {
    const build = [
      esbuild,
      join(inputDir, lazy.entry),
      ...esbuildCliFlags(),
      '--log-level=warning',
      `--outfile=${join(outputDir, lazy.file)}`,
    ];
    return `if grep -qF ${shellQuoted(`./${lazy.file}`)} ${shellQuoted(join(outputDir, 'index.mjs'))}; then ${build.map(shellQuoted).join(' ')}; fi`;
  });
}

/** CDK bundling derived from {@link ESBUILD_OPTIONS}; local esbuild only, never Docker. */
export const QM_BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: ESBUILD_OPTIONS.target,
  minify: ESBUILD_OPTIONS.minify,
  sourceMap: ESBUILD_OPTIONS.sourcemap,
  mainFields: [...ESBUILD_OPTIONS.mainFields],
  banner: ESBUILD_OPTIONS.banner.js,
  externalModules: [...ESBUILD_OPTIONS.external],
  define: { ...ESBUILD_OPTIONS.define },
  bundleAwsSDK: true,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: lazyFileCommands,
  },
};

export interface QmFunctionProps<S extends z.core.$ZodType> {
  /** Entry file, relative to the repository root (e.g. `functions/api/jobs/jobs.handler.ts`); it exports `handler`. */
  readonly entry: string;
  /** The function's env schema (`functions/<fn>/<fn>.env.ts`): types `env`, and literal values are checked against it at synth. */
  readonly envSchema: S;
  /** Environment variables, typed by `envSchema`. Tokens (ARNs, names) are accepted wherever a string is. */
  readonly env: DeployedEnv<S>;
  /** @default 512 MiB: enough CPU for a quick cold start without paying for idle memory. */
  readonly memorySize?: number;
  /** @default 10 seconds: API routes must answer well within API Gateway's 30 s limit. */
  readonly timeout?: Duration;
  /** @default - unreserved; set 1 for functions that must never run concurrently (the scheduler). */
  readonly reservedConcurrentExecutions?: number;
  /** Retention of the function's own log group. @default 90 days */
  readonly logRetention?: RetentionDays;
  /** Asynchronous invocation settings (EventBridge targets). @default Lambda's defaults (2 retries, 6 h) */
  readonly retryAttempts?: FunctionOptions['retryAttempts'];
  readonly maxEventAge?: FunctionOptions['maxEventAge'];
  readonly description?: string;
}

/**
 * The one Lambda function construct of Quartermaster. Documented defaults: Node.js 24 (`nodejs24.x`) on
 * arm64; ESM bundle by local esbuild with the AWS SDK inside ({@link ESBUILD_OPTIONS}); JSON log format
 * into an explicit log group with retention; a dedicated role whose only built-in permission is writing to
 * that log group (no AWS managed policy); no X-Ray (it would need `xray:*` on `*`). Connection reuse is
 * SDK v3's default, so the v2-era `AWS_NODEJS_CONNECTION_REUSE_ENABLED` variable is not set.
 */
export class QmFunction<S extends z.core.$ZodType> extends NodejsFunction {
  constructor(scope: Construct, id: string, props: QmFunctionProps<S>) {
    const environment = checkedEnvironment(id, props.envSchema, props.env);
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${id} function`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      description: props.description,
      environment,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      // SDK v3 keeps connections alive by default; the v2-era variable would only add noise.
      awsSdkConnectionReuse: false,
      bundling: QM_BUNDLING,
    });
  }
}

/**
 * Validates the literal values of `env` against the schema (token values are only known at deploy time and
 * are skipped) and refuses anything that belongs to the local stack only.
 */
function checkedEnvironment(id: string, schema: z.core.$ZodType, env: Record<string, string>): Record<string, string> {
  const problems: string[] = [];
  for (const key of LOCAL_ONLY_ENV_KEYS) {
    if (key in env) problems.push(`${key} is local-stack only`);
  }
  const backends = env.QM_BACKENDS;
  if (backends !== undefined && !Token.isUnresolved(backends)) {
    // Parsed as the function will parse it at cold start, outside the local stack.
    try {
      parseBackends(backends, false);
    } catch (error) {
      problems.push(`QM_BACKENDS: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const result = z.safeParse(schema, env);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      const value = env[key];
      if (value !== undefined && Token.isUnresolved(value)) continue;
      problems.push(`${key}: ${issue.message}`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid environment for function ${id}: ${problems.join('; ')}`);
  return env;
}

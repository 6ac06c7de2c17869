import * as z from 'zod';
import { DEFAULT_FLEETS, DEFAULT_GPU_HARDWARE } from '#domain/catalog/default-catalog';
import { checkCatalog } from '#domain/catalog/fleet-checks';
import { fleetSchema } from '#domain/catalog/fleet.schema';
import { GPU_INSTANCE_TYPES, instanceTypeSpecSchema, type InstanceTypeSpec } from '#domain/catalog/gpu-instance-types';
import { hardwareTypeSchema } from '#domain/catalog/hardware.schema';

/**
 * Typed configuration of one deployed stage. Every stack reads its settings from here, never from
 * `process.env` or ad-hoc context lookups, so a stage is fully described by one validated object.
 *
 * Overrides come from the CDK context key `quartermaster` (an object, in `cdk.json` or with
 * `cdk.context.json`) and `-c stage=<name>` on the command line; see {@link stageConfigFromContext}.
 */

/** Log retention periods CloudWatch Logs accepts (days). */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Backends a deployed stage may offer. `local` exists only in the local stack, so it cannot be named here. */
export const DEPLOYABLE_BACKENDS = ['ecs', 'kubernetes'] as const;
export type DeployableBackend = (typeof DEPLOYABLE_BACKENDS)[number];

/** https, or http on localhost for the dev server: Cognito refuses plain http elsewhere. */
const redirectUrl = z
  .url()
  .refine((url) => url.startsWith('https://') || /^http:\/\/localhost(:\d+)?(\/|$)/.test(url), 'must be https (http only for localhost)');

export const stageConfigSchema = z.object({
  /** Stage name: part of every stack name and passed to functions as `QM_STAGE`. `local` is reserved. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,15}$/, 'lower-case letters, digits and dashes, 2-16 characters')
    .refine((stage) => stage !== 'local', '`local` is reserved for the local stack'),
  /**
   * GPU fleets: each becomes its own ECS capacity provider(s) on its own Auto Scaling group(s), scaling
   * from zero (docs/deploy.md, "Choosing fleets"). Defaults: one fleet per GPU family of the demo catalog.
   */
  fleets: z
    .array(fleetSchema)
    .min(1)
    .default(() => DEFAULT_FLEETS.map((fleet) => fleetSchema.parse(fleet))),
  /**
   * The hardware catalog the stage deploys: written to the table on every deploy that changes it. Each
   * type with `ecs` names one of `fleets`; synth refuses types that name an absent fleet, cannot fit their
   * instance type, or are priced outside what their fleet costs.
   */
  hardwareTypes: z.array(hardwareTypeSchema).default(() => DEFAULT_GPU_HARDWARE.map((hardware) => ({ ...hardware }))),
  /**
   * Entries of the instance price list to replace or add (instance type → hardware and USD per hour): the
   * built-in list holds us-east-1 prices; other regions and negotiated prices go here.
   */
  instancePrices: z.record(z.string(), instanceTypeSpecSchema).default({}),
  /** How far a hardware type's price may sit outside its fleet's price range before synth refuses it (%). */
  priceTolerancePercent: z.number().min(0).max(100).default(10),
  /** NAT gateways for the private subnets (1 is cheaper, 2 survives an AZ outage). */
  natGateways: z.number().int().min(1).max(2).default(1),
  /** Retention of function, API access, flow and job logs (days). */
  logRetentionDays: z
    .number()
    .refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), 'not a CloudWatch Logs retention period')
    .default(90),
  /** Days job records live after they end (DynamoDB TTL); 0 keeps them. */
  jobRetentionDays: z.number().int().min(0).default(90),
  /** Days audit entries are kept (DynamoDB TTL); 0 keeps them. */
  auditRetentionDays: z.number().int().min(0).default(90),
  /** Name of the custom EventBridge bus for domain events. */
  eventBusName: z.string().min(1).default('quartermaster'),
  /** CloudWatch Logs group for job output (awslogs driver). */
  jobLogGroupName: z.string().min(1).default('/quartermaster/jobs'),
  /** Backends offered to users. */
  backends: z.array(z.enum(DEPLOYABLE_BACKENDS)).min(1).default(['ecs']),
  /**
   * EKS clusters of this account and region that the stage's Kubernetes functions reach (docs/kubernetes.md,
   * "Deploying with EKS"): each gets an EKS access entry per function role, its access policy scoped to these
   * namespaces. Clusters elsewhere (another account, a non-EKS cluster) are mapped by their own admins.
   */
  eksAccess: z
    .array(
      z.object({
        clusterName: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'an EKS cluster name'),
        namespaces: z
          .array(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a namespace name'))
          .min(1)
          .max(20),
      }),
    )
    .default([]),
  /** Default global and per-user concurrency limits until an admin sets them in the table. */
  maxConcurrentJobs: z.number().int().min(1).default(100),
  userMaxConcurrentJobs: z.number().int().min(1).default(10),
  /** How long API Gateway caches an authorizer decision per Authorization header (seconds, max 3600). */
  authorizerCacheTtlSeconds: z.number().int().min(0).max(3600).default(60),
  /**
   * AWS region the stage deploys to. Unset: the stacks are environment-agnostic (the deploying profile's
   * region), and the API's WAF web ACL, which AWS accepts for CloudFront only in us-east-1, exists only when
   * that region is us-east-1. Set: every stack is pinned to it, and outside us-east-1 a small `edge` stack in
   * us-east-1 holds the web ACL (docs/deploy.md, "The API behind CloudFront and WAF").
   */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region name such as eu-west-1')
    .optional(),
  /** WAF: requests one client address may send to the API in any 5 minutes (rate-based rule). */
  apiRequestsPerIpPer5Minutes: z.number().int().min(10).default(2000),
  /** WAF: requests one client address may send to the sign-in routes (`/v1/auth/*`) in any 5 minutes. */
  signInRequestsPerIpPer5Minutes: z.number().int().min(10).default(100),
  /** Stage-wide API throttling. */
  apiRateLimit: z.number().int().min(1).default(50),
  apiBurstLimit: z.number().int().min(1).default(100),
  /** Browser origins allowed to call the API (CORS). */
  corsAllowedOrigins: z.array(z.url()).default(['http://localhost:5173']),
  /** OAuth redirect URLs of the SPA client (authorization code + PKCE). */
  callbackUrls: z.array(redirectUrl).min(1).default(['http://localhost:5173/auth/callback']),
  logoutUrls: z.array(redirectUrl).min(1).default(['http://localhost:5173/']),
  /** Break-glass admin login (docs/architecture.md#identity): off by default; turn on only to recover access, then off again. */
  breakGlassEnabled: z.boolean().default(false),
  /** Opt-in: the first user provisioned just in time becomes a platform admin. */
  firstUserBecomesAdmin: z.boolean().default(false),
  /** Org that users of the stack's Cognito user pool land in (its groups map to levels by name). */
  cognitoDefaultOrgId: z.string().min(1).max(128).default('default'),
  /**
   * Where notification email comes from (docs/deploy.md, "Notification email"): an SES identity verified in the
   * stage's account and region (a domain such as `example.com`, or one address) and the From address, which
   * must belong to it. Functions may send from this identity only. Unset: email channels report that email is
   * not configured, and nothing is sent.
   */
  notificationSender: z
    .object({
      identity: z
        .string()
        .min(3)
        .max(253)
        .regex(/^[^\s@]+@[^\s@]+$|^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a domain or an email address'),
      from: z.email(),
    })
    .refine(
      ({ identity, from }) =>
        identity.includes('@') ? from.toLowerCase() === identity.toLowerCase() : from.toLowerCase().endsWith(`@${identity.toLowerCase()}`),
      { message: 'from must be the identity itself (an address) or an address of it (a domain)', path: ['from'] },
    )
    .optional(),
  /** Base URL of the web console (its CloudFront URL or your domain): links in notifications point there. */
  consoleUrl: z.url().default('http://localhost:5173'),
  /** Prefix of the Cognito managed-login domain (`<prefix>.auth.<region>.amazoncognito.com`); none when unset. */
  cognitoDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)
    .optional(),
});

/** Keys of earlier versions: refused with a pointer, so an old `cdk.json` is not silently ignored. */
const REPLACED_KEYS: Readonly<Record<string, string>> = {
  gpuInstanceType: 'replaced by `fleets` (instance types per fleet)',
  gpuMaxInstances: 'replaced by `fleets[].maxInstances`',
  gpuRootVolumeGiB: 'replaced by `fleets[].rootVolumeGiB`',
};

/** The price list of a stage: the built-in one with the stage's `instancePrices` laid over it. */
export const stagePriceList = (config: Pick<StageConfig, 'instancePrices'>): Record<string, InstanceTypeSpec> => ({
  ...GPU_INSTANCE_TYPES,
  ...config.instancePrices,
});

/** A validated stage configuration: every field present. */
export type StageConfig = z.infer<typeof stageConfigSchema>;
/** What a caller may pass: only `stage` is required, everything else has a default. */
export type StageConfigInput = z.input<typeof stageConfigSchema>;

/** Validates `input` and fills defaults; throws one readable error naming every bad field. */
export function resolveStageConfig(input: StageConfigInput): StageConfig {
  const problems = Object.keys(input)
    .filter((key) => key in REPLACED_KEYS)
    .map((key) => `${key}: ${REPLACED_KEYS[key]}`);
  const result = stageConfigSchema.safeParse(input);
  if (!result.success) {
    problems.push(...result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  } else {
    const config = result.data;
    problems.push(
      ...checkCatalog(config.hardwareTypes, {
        fleets: config.fleets,
        prices: stagePriceList(config),
        priceTolerance: config.priceTolerancePercent / 100,
      }),
    );
  }
  if (result.success && result.data.eksAccess.length > 0 && !result.data.backends.includes('kubernetes')) {
    problems.push('eksAccess: lists EKS clusters, but `backends` does not offer kubernetes');
  }
  if (problems.length > 0) throw new Error(`Invalid stage config:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  return result.data as StageConfig;
}

/** The subset of a construct node needed to read context (keeps this module free of CDK imports). */
interface ContextSource {
  tryGetContext(key: string): unknown;
}

/**
 * Reads the stage config from CDK context: the object under `quartermaster`, with `stage` overridable on
 * the command line (`cdk synth -c stage=dev`). Defaults to stage `prod`.
 */
export function stageConfigFromContext(node: ContextSource): StageConfig {
  const fromContext = node.tryGetContext('quartermaster') as Partial<StageConfigInput> | undefined;
  const stage = node.tryGetContext('stage') as string | undefined;
  return resolveStageConfig({
    ...fromContext,
    stage: stage ?? fromContext?.stage ?? 'prod',
  });
}

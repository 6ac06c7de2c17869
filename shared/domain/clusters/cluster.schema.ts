import * as z from 'zod/mini';

/**
 * Registered Kubernetes clusters (docs/architecture.md#gpu-fleets-ecs): a deployment-wide object that platform admins register and
 * that orgs may be allowed to use. Credentials never live here: an `eks` cluster authenticates with an IAM
 * token minted per call (nothing stored); a `generic` cluster's service-account token or kubeconfig is kept
 * in the secret store, write-only, and only its reference is stored (`credentialsRef`).
 */

/** Cluster ids are DNS labels: they appear in URLs and in the Kubernetes labels of the Jobs we create. */
export const clusterIdSchema = z
  .string()
  .check(z.regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, 'lower-case letters, digits and dashes, 1-40 characters, starting with a letter'));

/** A namespace glob: `team-x-*`, `research`, `*`. Globs use `*` and `?` like resource rules. */
const namespacePatternSchema = z
  .string()
  .check(z.regex(/^[a-z0-9*?]([-a-z0-9*?]{0,62})$/, 'a namespace name or glob (lower-case, digits, dashes, * and ?)'));
export const namespaceNameSchema = z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a namespace name (RFC 1123 label)'));

const labelKey = z
  .string()
  .check(z.regex(/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'a Kubernetes label key'));
const labelValue = z.string().check(z.regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'a Kubernetes label value'));

export const tolerationSchema = z.strictObject({
  key: z.optional(labelKey),
  operator: z._default(z.enum(['Equal', 'Exists']), 'Equal'),
  value: z.optional(labelValue),
  effect: z.optional(z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])),
});
export type Toleration = z.infer<typeof tolerationSchema>;

/** Where a hardware type's pods go on this cluster. */
export const clusterHardwareSchema = z.strictObject({
  nodeSelector: z._default(z.record(labelKey, labelValue), {}),
  tolerations: z._default(z.array(tolerationSchema).check(z.maxLength(20)), []),
});
export type ClusterHardware = z.infer<typeof clusterHardwareSchema>;

/** Which namespaces an org (and, more narrowly or more widely, which of its teams) may run jobs in. */
export const clusterOrgAccessSchema = z.strictObject({
  orgId: z.string().check(z.minLength(1), z.maxLength(128)),
  /** Namespaces every member of the org may use. */
  namespaces: z._default(z.array(namespacePatternSchema).check(z.maxLength(50)), []),
  /** Namespaces members of a team may use in addition. */
  teams: z._default(
    z
      .array(
        z.strictObject({
          teamId: z.string().check(z.minLength(1), z.maxLength(128)),
          namespaces: z.array(namespacePatternSchema).check(z.minLength(1), z.maxLength(50)),
        }),
      )
      .check(z.maxLength(100)),
    [],
  ),
});
export type ClusterOrgAccess = z.infer<typeof clusterOrgAccessSchema>;

export const clusterKindSchema = z.enum(['eks', 'generic']);
export type ClusterKind = z.infer<typeof clusterKindSchema>;

/** What a platform admin sends (create and replace). */
export const clusterInputSchema = z.strictObject({
  displayName: z._default(z.string().check(z.maxLength(100)), ''),
  kind: clusterKindSchema,
  /** https URL of the API server. */
  endpoint: z.string().check(z.minLength(1), z.maxLength(2048)),
  /** PEM certificate(s) of the CA that signed the API server's certificate. */
  caPem: z.string().check(z.minLength(1), z.maxLength(65_536)),
  /** EKS only: the cluster name (sent as `x-k8s-aws-id`) and its region. */
  eks: z.optional(
    z.strictObject({
      clusterName: z.string().check(z.regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'an EKS cluster name')),
      region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region')),
    }),
  ),
  orgs: z._default(z.array(clusterOrgAccessSchema).check(z.maxLength(200)), []),
  gpuResource: z._default(
    z.string().check(z.regex(/^[a-z0-9.-]+\/[a-z0-9.-]+$/, 'an extended resource name such as nvidia.com/gpu')),
    'nvidia.com/gpu',
  ),
  /** Hardware types this cluster offers, with their node selector and tolerations. */
  hardware: z._default(z.record(z.string().check(z.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)), clusterHardwareSchema), {}),
  /** Kueue LocalQueue to submit to; jobs are then created suspended and labelled for Kueue. */
  kueueQueue: z.optional(labelValue.check(z.minLength(1))),
  /** How long finished Jobs stay in the cluster before Kubernetes removes them (pod logs go with them). */
  ttlSecondsAfterFinished: z._default(z.number().check(z.int(), z.gte(60), z.lte(7 * 24 * 3600)), 24 * 3600),
  enabled: z._default(z.boolean(), true),
});
export type ClusterInput = z.input<typeof clusterInputSchema>;

export const clusterSchema = z.object({
  ...clusterInputSchema.shape,
  schemaVersion: z._default(z.literal(1), 1),
  id: clusterIdSchema,
  /** Secret store reference of a generic cluster's token or kubeconfig; absent until credentials are sent. */
  credentialsRef: z.optional(z.string()),
  credentialsKind: z.optional(z.enum(['token', 'kubeconfig'])),
  credentialsUpdatedAt: z.optional(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.gte(1)),
});
export type Cluster = z.infer<typeof clusterSchema>;

/** Where a job runs on Kubernetes: decided at submission, stored on the job. */
export const placementSchema = z.object({ cluster: clusterIdSchema, namespace: namespaceNameSchema });
export type Placement = z.infer<typeof placementSchema>;

/** Labels Quartermaster puts on every Job and pod it creates (and selects by). */
export const KUBE_LABELS = {
  managed: 'quartermaster.dev/managed',
  job: 'quartermaster.dev/job-id',
  org: 'quartermaster.dev/org',
  team: 'quartermaster.dev/team',
  user: 'quartermaster.dev/user',
  kueueQueue: 'kueue.x-k8s.io/queue-name',
} as const;

import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';
import { clusterIdSchema, clusterInputSchema, clusterSchema } from '#domain/clusters/cluster.schema';

/** `POST /v1/clusters`: the id (a DNS label, used in run references and Job labels) and the settings. */
export const registerClusterBodySchema = z
  .strictObject({ id: clusterIdSchema, ...clusterInputSchema.shape })
  .register(z.globalRegistry, { id: 'ClusterRegistration' });
export const replaceClusterBodySchema = clusterInputSchema.register(z.globalRegistry, { id: 'ClusterInput' });

export const clusterIdParamsSchema = z.object({ id: clusterIdSchema });

/** Write-only: the token or kubeconfig goes to the secret store and is never returned. */
export const clusterCredentialsBodySchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('token'), token: z.string().check(z.minLength(1), z.maxLength(16_384)) }),
    z.strictObject({ kind: z.literal('kubeconfig'), kubeconfig: z.string().check(z.minLength(1), z.maxLength(65_536)) }),
  ])
  .register(z.globalRegistry, { id: 'ClusterCredentials' });

export const clusterViewSchema = lazySchema(() =>
  z
    .object({
      ...z.omit(clusterSchema, { schemaVersion: true, credentialsRef: true }).shape,
      /** EKS clusters always (IAM); generic clusters once credentials were sent. */
      hasCredentials: z.boolean(),
    })
    .register(z.globalRegistry, { id: 'Cluster' }),
);
export const clusterListSchema = lazySchema(() =>
  z.object({ items: z.array(clusterViewSchema()) }).register(z.globalRegistry, { id: 'ClusterList' }),
);

export const clusterHealthSchema = lazySchema(() =>
  z
    .object({
      cluster: z.string(),
      status: z.enum(['healthy', 'degraded', 'unreachable']),
      version: z.optional(z.string()),
      message: z.optional(z.string()),
      checkedAt: z.string(),
      pools: z.optional(z.array(z.object({ pool: z.string(), nodes: z.number(), allocatableGpus: z.number(), requestedGpus: z.number() }))),
    })
    .register(z.globalRegistry, { id: 'ClusterHealth' }),
);

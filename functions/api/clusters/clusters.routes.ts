import { errorEnvelopeSchema } from '#contracts/common.contract';
import {
  clusterCredentialsBodySchema,
  clusterHealthSchema,
  clusterIdParamsSchema,
  clusterListSchema,
  clusterViewSchema,
  registerClusterBodySchema,
  replaceClusterBodySchema,
} from '#contracts/clusters.contract';
import { standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const errors = standardErrors;
const notFound = { 404: { description: "Unknown cluster (or one the caller's org may not use)", schema: errorEnvelopeSchema } } as const;
const conflict = { 409: { description: 'Registered already, or changed meanwhile', schema: errorEnvelopeSchema } } as const;

/**
 * Registered Kubernetes clusters (DESIGN §4.3, §4.4): deployment-wide. Platform admins (`platform.config`)
 * register, change, disable and rotate credentials; org admins (`admin.config`) see the clusters their org
 * may use, with their own org's namespaces only. Credentials are write-only.
 */
export const clustersRoutes = [
  {
    method: 'GET',
    path: '/v1/clusters',
    operationId: 'listClusters',
    summary: 'List registered clusters (org admins: those their org may use)',
    access: 'admin.config',
    tags: ['clusters'],
    responses: { 200: { description: 'Clusters (credentials never included)', schema: clusterListSchema }, ...errors },
  },
  {
    method: 'POST',
    path: '/v1/clusters',
    operationId: 'registerCluster',
    summary: 'Register a Kubernetes or EKS cluster (platform admins)',
    access: 'platform.config',
    tags: ['clusters'],
    request: { body: registerClusterBodySchema },
    responses: { 201: { description: 'Registered', schema: clusterViewSchema }, ...errors, ...conflict },
  },
  {
    method: 'GET',
    path: '/v1/clusters/{id}',
    operationId: 'getCluster',
    summary: 'Get a cluster',
    access: 'admin.config',
    tags: ['clusters'],
    request: { params: clusterIdParamsSchema },
    responses: { 200: { description: 'The cluster', schema: clusterViewSchema }, ...errors, ...notFound },
  },
  {
    method: 'PUT',
    path: '/v1/clusters/{id}',
    operationId: 'replaceCluster',
    summary: 'Change a cluster: endpoint, CA, orgs and namespaces, hardware placement, Kueue queue (platform admins)',
    access: 'platform.config',
    tags: ['clusters'],
    request: { params: clusterIdParamsSchema, body: replaceClusterBodySchema },
    responses: { 200: { description: 'The changed cluster', schema: clusterViewSchema }, ...errors, ...notFound, ...conflict },
  },
  {
    method: 'DELETE',
    path: '/v1/clusters/{id}',
    operationId: 'disableCluster',
    summary: 'Disable a cluster (platform admins; soft delete: running jobs keep their status and logs)',
    access: 'platform.config',
    tags: ['clusters'],
    request: { params: clusterIdParamsSchema },
    responses: { 200: { description: 'The disabled cluster', schema: clusterViewSchema }, ...errors, ...notFound, ...conflict },
  },
  {
    method: 'POST',
    path: '/v1/clusters/{id}/credentials',
    operationId: 'setClusterCredentials',
    summary: "Store or rotate a generic cluster's token or kubeconfig (write-only; platform admins)",
    access: 'platform.config',
    tags: ['clusters'],
    request: { params: clusterIdParamsSchema, body: clusterCredentialsBodySchema },
    responses: {
      200: { description: 'The cluster (the credential is never returned)', schema: clusterViewSchema },
      ...errors,
      ...notFound,
      ...conflict,
    },
  },
  {
    method: 'GET',
    path: '/v1/clusters/{id}/health',
    operationId: 'getClusterHealth',
    summary: 'Check a cluster now: reachability, version, allocatable and requested GPUs per node pool',
    access: 'admin.config',
    tags: ['clusters'],
    request: { params: clusterIdParamsSchema },
    responses: { 200: { description: 'Health and capacity', schema: clusterHealthSchema }, ...errors, ...notFound },
  },
] as const satisfies readonly RouteDeclaration[];

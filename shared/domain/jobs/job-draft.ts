import { createHash } from 'node:crypto';
import { hasPermission } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { enforceResourceRules } from '#domain/authz/resource-rules';
import type { ResourceRuleSource } from '#domain/authz/authz.port';
import { placeJob, type PlacementDecision } from '#domain/clusters/placement.service';
import type { ClusterSource } from '#domain/clusters/clusters.port';
import { LEVELS } from '#domain/authz/permissions';
import type { HardwareCatalog } from '#domain/catalog/catalog.port';
import { estimateCostUsd, type HardwareType } from '#domain/catalog/hardware.schema';
import { AppError, forbidden } from '#domain/errors/app-error';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { BackendKind, Job, JobSpec } from './job.schema';

export interface DraftDeps {
  hardware: HardwareCatalog;
  clock: Clock;
  ids: IdSource;
  /** Backends this deployment offers, in preference order (the first is used when the spec names none). */
  backends: readonly BackendKind[];
  /** The org's resource rules (templates, hardware, backends); without them nothing is restricted. */
  resourceRules?: ResourceRuleSource;
  /** Registered clusters, where the deployment offers the `kubernetes` backend. */
  clusters?: ClusterSource;
}

/** Priority class of docs/scheduling.md: the level's priority, raised for `high` and lowered for `low`. */
export function priorityClassFor(principal: Principal, priority: JobSpec['priority']): number {
  // Custom levels carry their own priority; the built-in ones are in LEVELS.
  const custom = (principal as { levelPriority?: number }).levelPriority;
  const base = custom ?? (LEVELS as Readonly<Record<string, number>>)[principal.level] ?? LEVELS.viewer;
  if (priority === 'high') return base + 50;
  if (priority === 'low') return Math.max(0, base - 5);
  return base;
}

/** Secret names a job may reference: the org's own namespace in Secrets Manager. */
export const secretNamespace = (orgId: string): string => `quartermaster/${orgId}/`;

/**
 * A `secretRef` is resolved by the cluster's execution role, which can read every org's secrets: the org
 * boundary is enforced here, before anything is stored or launched.
 */
function assertOwnSecrets(spec: JobSpec, orgId: string, backend: BackendKind): void {
  if (backend === 'kubernetes') {
    // On a cluster, a secretRef names a Secret of the job's namespace (`<secret>/<key>`): the namespaces an org
    // may use are its boundary (docs/kubernetes.md).
    spec.env.forEach((entry, index) => {
      if ('secretRef' in entry && !KUBE_SECRET_REF.test(entry.secretRef)) {
        throw new AppError('validation_failed', 'On Kubernetes, a secret reference names a Secret of the namespace as <secret>/<key>', {
          fields: [{ field: `body.env.${index}.secretRef`, message: 'must be <secret name>/<key>' }],
        });
      }
    });
    return;
  }
  const prefix = secretNamespace(orgId);
  spec.env.forEach((entry, index) => {
    if ('secretRef' in entry && (!entry.secretRef.startsWith(prefix) || entry.secretRef.includes('..'))) {
      throw new AppError('validation_failed', 'Secret references must name a secret of your organization', {
        fields: [{ field: `body.env.${index}.secretRef`, message: `must start with "${prefix}"` }],
      });
    }
  });
}

const KUBE_SECRET_REF = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/[-._a-zA-Z0-9]{1,253}$/;

/** Stable fingerprint of a spec: a repeated Idempotency-Key must come with the same spec. */
export function specFingerprint(spec: JobSpec): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(spec)))
    .digest('hex');
}

/** Same value with object keys sorted at every depth, so key order never changes the fingerprint. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, inner]) => [key, canonical(inner)]),
    );
  }
  return value;
}

/**
 * Checks what the caller may ask for and prices it: the job as it would be stored, `queued`, before any
 * write. Submission and the explain endpoint share it, so a dry run refuses exactly what a submit would.
 */
export async function draftJob(
  principal: Principal,
  spec: JobSpec,
  deps: DraftDeps,
  idempotencyKey?: string,
): Promise<{ job: Job; hardware: HardwareType; placement?: PlacementDecision }> {
  if (spec.priority === 'high' && !hasPermission(principal, 'job.priority.high')) {
    throw forbidden('Priority "high" needs the job.priority.high permission', { field: 'body.priority' });
  }
  // Naming a cluster or namespace means Kubernetes; naming them with another backend is a contradiction.
  const backend = spec.backend ?? (spec.cluster || spec.namespace ? 'kubernetes' : deps.backends[0]);
  if ((spec.cluster || spec.namespace) && backend !== 'kubernetes') {
    throw new AppError('validation_failed', 'cluster and namespace are for the kubernetes backend', {
      fields: [{ field: spec.cluster ? 'body.cluster' : 'body.namespace', message: `not for backend ${backend}` }],
    });
  }
  if (!backend || !deps.backends.includes(backend)) {
    throw new AppError('unprocessable', `Backend "${spec.backend}" is not offered by this deployment`, {
      fields: [{ field: 'body.backend', message: `one of: ${deps.backends.join(', ')}` }],
    });
  }
  const teamId = spec.teamId ?? principal.teamIds[0];
  if (spec.teamId && !principal.teamIds.includes(spec.teamId)) {
    throw forbidden('You can only charge an active team you belong to', { field: 'body.teamId' });
  }
  assertOwnSecrets(spec, principal.orgId, backend);
  const hardware = await deps.hardware.get(spec.hardwareType);
  if (!hardware || !hardware.enabled) {
    throw new AppError('unprocessable', `Unknown hardware type "${spec.hardwareType}"`, {
      fields: [{ field: 'body.hardwareType', message: 'not in the hardware catalog' }],
    });
  }
  // docs/permissions.md resource rules: a 403 naming the rule (from a short cache: no round trip on a warm function).
  if (deps.resourceRules)
    await enforceResourceRules(principal, { config: spec.template, hardware: spec.hardwareType, provider: backend }, deps.resourceRules);
  const placed = backend === 'kubernetes' ? await placeOnCluster(principal, spec, teamId, deps) : undefined;

  const now = deps.clock.now().toISOString();
  const job: Job = {
    schemaVersion: 1,
    id: deps.ids.next(),
    orgId: principal.orgId,
    ownerId: principal.userId,
    ownerLevel: principal.level,
    ...(teamId ? { teamId } : {}),
    spec,
    backend,
    ...(placed ? { placement: placed.placement } : {}),
    state: 'queued',
    waiting: { code: 'queue_position', message: 'Queued; the scheduler will place it shortly' },
    priorityClass: priorityClassFor(principal, spec.priority),
    estimatedCostUsd: estimateCostUsd(hardware, spec.maxRuntimeMinutes),
    gpuCount: hardware.gpuCount,
    createdAt: now,
    updatedAt: now,
    history: [
      { state: 'submitted', at: now },
      { state: 'queued', at: now },
    ],
    ...(idempotencyKey ? { idempotencyKey } : {}),
    ...(hasPermission(principal, 'job.bypass.queue') ? { bypassQueue: true } : {}),
    holds: [],
    version: 1,
  };
  return { job, hardware, ...(placed ? { placement: placed } : {}) };
}

async function placeOnCluster(
  principal: Principal,
  spec: JobSpec,
  teamId: string | undefined,
  deps: DraftDeps,
): Promise<PlacementDecision> {
  if (!deps.clusters) {
    throw new AppError('unprocessable', 'Backend "kubernetes" is not offered by this deployment', {
      fields: [{ field: 'body.backend', message: `one of: ${deps.backends.join(', ')}` }],
    });
  }
  const rules = deps.resourceRules ? await deps.resourceRules.forOrg(principal.orgId) : [];
  return placeJob(
    principal,
    { hardwareType: spec.hardwareType, cluster: spec.cluster, namespace: spec.namespace, teamId },
    deps.clusters,
    rules,
  );
}

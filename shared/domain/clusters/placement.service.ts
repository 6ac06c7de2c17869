import type { ClusterSource } from './clusters.port';
import { globMatch } from '#domain/authz/glob';
import type { Principal } from '#domain/authz/principal';
import { grantRules } from '#domain/authz/resource-grant';
import { evaluateRules } from '#domain/authz/resource-rules';
import type { ResourceRule } from '#domain/authz/resource-rule.schema';
import { AppError, forbidden } from '#domain/errors/app-error';
import { unknownInOrg } from '#domain/tenancy/org-references';
import type { Cluster, Placement } from './cluster.schema';

export interface PlacementRequest {
  hardwareType: string;
  cluster?: string | undefined;
  namespace?: string | undefined;
  /** The team the job is charged to: its namespaces join the org's. */
  teamId?: string | undefined;
}

/** The decision and, for the explain endpoint, why each other cluster was passed over. */
export interface PlacementDecision {
  placement: Placement;
  passedOver: string[];
}

/** The namespace patterns the org and the charged team may use on a cluster. */
function namespacePatterns(cluster: Cluster, orgId: string, teamId: string | undefined): string[] {
  const entry = cluster.orgs.find((o) => o.orgId === orgId);
  if (!entry) return [];
  return [...entry.namespaces, ...entry.teams.filter((t) => t.teamId === teamId).flatMap((t) => t.namespaces)];
}

const isConcrete = (pattern: string): boolean => !/[*?]/.test(pattern);

/**
 * One cluster considered for a job: the namespace it would use, or why not. Resource rules of type
 * `cluster` match the cluster id and rules of type `namespace` match `<cluster>/<namespace>`, with the same
 * "most permissive wins" semantics as every other rule type (DESIGN §4.2).
 */
function consider(
  cluster: Cluster,
  principal: Principal,
  request: PlacementRequest,
  rules: readonly ResourceRule[],
): { namespace: string } | { why: string; denial?: boolean } {
  const subject = { level: principal.level, teamIds: principal.teamIds };
  if (!cluster.hardware[request.hardwareType]) return { why: `${cluster.id}: offers no ${request.hardwareType} nodes` };
  const clusterRule = evaluateRules(rules, 'cluster', cluster.id, subject);
  if (!clusterRule.allowed) {
    const rule =
      clusterRule.reason === 'deny'
        ? `resource rule ${clusterRule.by.id} denies it`
        : `no resource rule allows it (allowed: ${clusterRule.allowRules.map((r) => r.pattern).join(', ')})`;
    return { why: `${cluster.id}: ${rule}`, denial: true };
  }
  const patterns = namespacePatterns(cluster, principal.orgId, request.teamId);
  const candidates = request.namespace ? [request.namespace] : patterns.filter(isConcrete);
  if (request.namespace && !patterns.some((p) => globMatch(p, request.namespace!))) {
    return {
      why: `${cluster.id}: namespace ${request.namespace} is not one your org${request.teamId ? ` or team ${request.teamId}` : ''} may use (${patterns.join(', ') || 'none'})`,
    };
  }
  if (candidates.length === 0) return { why: `${cluster.id}: name a namespace (allowed: ${patterns.join(', ') || 'none'})` };
  const reasons: string[] = [];
  for (const namespace of candidates) {
    const decision = evaluateRules(rules, 'namespace', `${cluster.id}/${namespace}`, subject);
    if (decision.allowed) return { namespace };
    reasons.push(
      decision.reason === 'deny'
        ? `resource rule ${decision.by.id} denies ${cluster.id}/${namespace}`
        : `no resource rule allows ${cluster.id}/${namespace}`,
    );
  }
  return { why: `${cluster.id}: ${reasons.join('; ')}`, denial: true };
}

/**
 * Chooses the cluster and namespace of a Kubernetes job at submission (DESIGN §4.4): the named cluster, or
 * the first (by id) enabled cluster the org may use that offers the hardware type; the named namespace, or
 * the first concrete namespace the org (or the charged team) may use there. Clusters of other orgs do not
 * exist for the caller (a named one answers 404, like a missing one). Refusals say, per cluster, why not: 403 when only
 * resource rules stand in the way, 422 otherwise.
 */
export async function placeJob(
  principal: Principal,
  request: PlacementRequest,
  clusters: ClusterSource,
  rules: readonly ResourceRule[],
): Promise<PlacementDecision> {
  // Grants from the caller's identity-provider groups count as allow rules of the org (most permissive wins).
  const effective = [...rules, ...grantRules(principal.orgId, principal.resourceGrants)];
  const usable = (await clusters.list())
    .filter((c) => c.enabled && c.orgs.some((o) => o.orgId === principal.orgId))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const candidates = request.cluster ? usable.filter((c) => c.id === request.cluster) : usable;
  // Another org's cluster and a missing one get the same answer: 404 naming the field (DESIGN §4.3).
  if (request.cluster && candidates.length === 0) throw unknownInOrg('cluster', request.cluster, 'body.cluster');
  if (candidates.length === 0) {
    throw new AppError('unprocessable', 'No Kubernetes cluster is registered for your org', {
      fields: [{ field: 'body.backend', message: 'no cluster your org may use' }],
    });
  }
  const passedOver: string[] = [];
  let onlyRules = true;
  for (const cluster of candidates) {
    const outcome = consider(cluster, principal, request, effective);
    if ('namespace' in outcome) return { placement: { cluster: cluster.id, namespace: outcome.namespace }, passedOver };
    passedOver.push(outcome.why);
    onlyRules &&= outcome.denial === true;
  }
  const message = `No cluster and namespace you may use: ${passedOver.join('; ')}`;
  const field = request.namespace ? 'body.namespace' : request.cluster ? 'body.cluster' : 'body.backend';
  if (onlyRules) throw forbidden(message, { field });
  throw new AppError('unprocessable', message, { fields: [{ field, message: passedOver.join('; ') }] });
}

import { hasPermission, reachOf } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { canView } from '#domain/jobs/job-queries.service';
import type { WaitingReason } from '#domain/jobs/job.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import { teamOfOrg, unknownInOrg } from '#domain/tenancy/org-references';
import { AppError } from '#domain/errors/app-error';
import { snapshotQueue, type QueueReads } from './queue-snapshot';

export type QueueScope = 'own' | 'team' | 'org';

/** One queued job as the caller may see it: anonymized entries carry no id, name, owner, team or message. */
export interface QueueItem {
  rank: number;
  anonymized: boolean;
  id?: string;
  name?: string;
  ownerId?: string;
  teamId?: string;
  priority?: string;
  priorityClass: number;
  effectivePriority: number;
  queuedAt: string;
  waiting?: WaitingReason;
}

export interface QueueViewDeps extends QueueReads {
  clock: Clock;
  teams: Pick<TenancyRepository, 'getTeam'>;
}

/** Default scope: own jobs below lead, the caller's team for a lead, the org for an admin. */
function defaultScope(principal: Principal): QueueScope {
  const reach = reachOf(principal, 'job.view.all');
  return reach === 'org' || reach === 'platform' ? 'org' : reach === 'teams' ? 'team' : 'own';
}

/**
 * `GET /v1/queue`: the caller's org's queued jobs in admission order (docs/scheduling.md), narrowed to a scope.
 * Jobs the caller may not see (`canView`: others' jobs below lead, other teams' for a lead) are listed
 * anonymized — their place, priority and wait, no id, name, owner, team or message. A team scope names a
 * team of the caller's org (a member's, or any for an admin); anything else is "not found".
 */
export async function viewQueue(principal: Principal, query: { scope?: QueueScope; teamId?: string }, deps: QueueViewDeps) {
  const scope = query.scope ?? defaultScope(principal);
  const teamId = scope === 'team' ? (query.teamId ?? principal.teamIds[0]) : undefined;
  if (scope === 'team') {
    if (!teamId) throw teamOfOrgMissing();
    // A member names one of its teams; an admin may name any team of the org; anything else does not exist.
    if (!principal.teamIds.includes(teamId)) {
      const reach = reachOf(principal, 'job.view.all');
      if (reach !== 'org' && reach !== 'platform') throw unknownInOrg('team', teamId, 'query.teamId');
      await teamOfOrg(deps.teams, principal.orgId, teamId, 'query.teamId');
    }
  }
  const orgId = principal.orgId;
  const [snapshot, settings] = await Promise.all([
    snapshotQueue(deps, deps.clock.now(), 1_000, (job) => job.orgId === orgId),
    deps.scheduling.forOrg(orgId),
  ]);
  const items = snapshot.ranked
    .map((ranked, index) => ({ ranked, rank: index + 1 }))
    .filter(({ ranked: { job } }) => (scope === 'own' ? job.ownerId === principal.userId : scope === 'team' ? job.teamId === teamId : true))
    .map(({ ranked, rank }): QueueItem => {
      const { job } = ranked;
      const visible = canView(principal, job) && hasPermission(principal, 'job.view.own');
      const base = {
        rank,
        anonymized: !visible,
        priorityClass: job.priorityClass,
        effectivePriority: ranked.effectivePriority,
        queuedAt: new Date(ranked.queuedAt).toISOString(),
      };
      if (!visible) {
        const { code, position, limitPosition, estimatedStart } = job.waiting ?? { code: 'queue_position' as const };
        const message = 'Another user’s job';
        return {
          ...base,
          waiting: {
            code,
            message,
            ...(position ? { position } : {}),
            ...(limitPosition ? { limitPosition } : {}),
            // The time and its basis only: the detail names the limit (a team's quota) like the message would.
            ...(estimatedStart ? { estimatedStart: { at: estimatedStart.at, basis: estimatedStart.basis } } : {}),
          },
        };
      }
      return {
        ...base,
        id: job.id,
        name: job.spec.name,
        ownerId: job.ownerId,
        ...(job.teamId ? { teamId: job.teamId } : {}),
        priority: job.spec.priority,
        ...(job.waiting ? { waiting: job.waiting } : {}),
      };
    });
  return {
    scope,
    ...(teamId ? { teamId } : {}),
    paused: settings.paused,
    pausedBackends: settings.pausedBackends,
    total: items.length,
    items,
  };
}

function teamOfOrgMissing() {
  return new AppError('validation_failed', 'Name the team', {
    fields: [{ field: 'query.teamId', message: 'required: you belong to no team' }],
  });
}

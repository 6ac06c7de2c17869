import type { JobRepository } from '#domain/jobs/jobs.port';
import type { Job } from '#domain/jobs/job.schema';
import { fairShareRecordsOf } from './fair-share';
import type { FairShareSource, SchedulingSettingsSource } from './scheduling.port';
import { orderQueue, type RankedJob } from './queue-order';
import type { SchedulingSettings } from './scheduling-settings';

export interface QueueReads {
  jobs: JobRepository;
  fairShare: FairShareSource;
  scheduling: SchedulingSettingsSource;
}

export interface QueueSnapshot {
  ranked: RankedJob[];
  settingsOf(orgId: string): SchedulingSettings;
  /** Queued jobs beyond `limit` were not read (the index gives them in priority, then submission order). */
  truncated: boolean;
}

/** Every queued job (up to `limit`), read page by page from the state index. */
export async function listQueued(jobs: JobRepository, limit: number): Promise<{ items: Job[]; truncated: boolean }> {
  const items: Job[] = [];
  let cursor: string | undefined;
  do {
    const page = await jobs.listByState('queued', { limit: Math.min(500, limit - items.length), ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < limit);
  return { items, truncated: Boolean(cursor) };
}

/**
 * The queue in admission order at `now`: the queued jobs, each org's settings and every fair-share record
 * they need, read once (one BatchGet per 100 records), then ranked in memory.
 */
export async function snapshotQueue(deps: QueueReads, now: Date, limit = 1_000, only?: (job: Job) => boolean): Promise<QueueSnapshot> {
  const queued = await listQueued(deps.jobs, limit);
  const jobs = only ? queued.items.filter(only) : queued.items;
  const orgIds = [...new Set(jobs.map((j) => j.orgId))];
  const settings = new Map(await Promise.all(orgIds.map(async (orgId) => [orgId, await deps.scheduling.forOrg(orgId)] as const)));
  const records = jobs.flatMap((job) => {
    const { team, user } = fairShareRecordsOf(job);
    return team ? [team, user] : [user];
  });
  const usage = records.length > 0 ? await deps.fairShare.read(records) : {};
  const settingsOf = (orgId: string): SchedulingSettings => settings.get(orgId)!;
  return { ranked: orderQueue(jobs, { now, settingsOf, usage }), settingsOf, truncated: queued.truncated };
}

import type { ConcurrencyLimits } from './concurrency';
import type { Quota } from './quota.schema';

/** Read side used on the hot paths (submit, scheduler): may be cached briefly by the adapter. */
export interface QuotaSource {
  forOrg(orgId: string): Promise<Quota[]>;
}

export interface QuotaRepository extends QuotaSource {
  get(orgId: string, id: string): Promise<Quota | undefined>;
  put(quota: Quota): Promise<void>;
  delete(orgId: string, id: string): Promise<boolean>;
}

export interface LimitsSource {
  current(): Promise<ConcurrencyLimits>;
}

export interface UsageRepository {
  /** Usage records are keyed by the org-qualified scope: another org's team of the same slug is another record. */
  daily(orgId: string, scopeType: 'org' | 'team' | 'user', scopeId: string, from: string, to: string): Promise<DailyUsage[]>;
}

/** One day's settled usage of a scope: GPU-hours, dollars and ended jobs (by the day they ended, UTC). */
export interface DailyUsage {
  day: string;
  gpuHours: number;
  costUsd: number;
  jobs: number;
}

/**
 * Current values of shared counters (0 when never written). The job repository implements it, since counters
 * are written in the same transactions as jobs; quota views need only this read.
 */
export interface CounterReader {
  readCounters(counters: readonly string[]): Promise<Record<string, number>>;
}

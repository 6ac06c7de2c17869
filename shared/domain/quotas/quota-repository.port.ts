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

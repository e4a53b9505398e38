/**
 * The quota port the review decisions use (issue: the review ladder). Implemented in
 * shared/adapters/dynamo-quota.ts: a conditional counter plus one slot item per application,
 * written in one transaction, so a retry reserves nothing twice and a release happens once.
 */
export type QuotaScope = 'provincial' | 'city' | 'sub-sector';

export interface QuotaRequest {
  campaignId: string;
  track: string;
  applicationId: string;
  /** Provincial-rank jurisdiction that recommends to MIIT, and its limit (null = uncapped). */
  provincial: { jurisdictionCode: string; limit: number | null };
  /** A province's cap on each of its cities (Shanxi: 3), when configured. */
  city?: { jurisdictionCode: string; limit: number };
  /** One slot per sub-sector (Shanxi: 1), counted per city or per provincial level. */
  subSector?: { key: string; limit: number };
}

export interface QuotaUse {
  scope: QuotaScope;
  jurisdictionCode: string;
  used: number;
  limit: number;
  /** Application ids holding the slots. */
  holders: string[];
}

export interface Quotas {
  /** Reserves every applicable slot at once or none; idempotent per application. */
  reserve(request: QuotaRequest): Promise<{ reserved: boolean; alreadyHeld: boolean }>;
  /** Frees the application's slots exactly once; a second call changes nothing. */
  release(request: QuotaRequest): Promise<{ released: boolean }>;
  /** Whether the application holds any slot under the request's keys now (a consistent read). */
  holds(request: QuotaRequest): Promise<boolean>;
  usage(campaignId: string, track: string, jurisdictionCode: string): Promise<QuotaUse[]>;
}

/**
 * The quota port the review decisions use (issue: the review ladder). Implemented in
 * shared/adapters/dynamo-quota.ts: a conditional counter plus one slot item per application,
 * written in one transaction, so a retry reserves nothing twice and a release happens once.
 *
 * A slot keeps the keys it was reserved with: the reservation records them beside the slots (one
 * hold per scope), and a release frees what is held, never a recomputation from the application
 * as it is now. So an edit, or a campaign change, can never orphan a slot.
 */
export type QuotaScope = 'provincial' | 'city' | 'sub-sector';

/** Whose slots: one application on one campaign's track. */
export interface QuotaHolder {
  campaignId: string;
  track: string;
  applicationId: string;
}

/** What one stage's forwarding reserves (quota-request.ts builds it). */
export interface QuotaRequest extends QuotaHolder {
  /** Provincial-rank jurisdiction that recommends to MIIT, and its limit (null = uncapped). Province stage. */
  provincial?: { jurisdictionCode: string; limit: number | null };
  /** A city-level cap (Shanxi: 3), when configured. City stage. */
  city?: { jurisdictionCode: string; limit: number };
  /** One slot per sub-sector (Shanxi: 1), counted per city, or per provincial level without one. */
  subSector?: { key: string; limit: number };
}

/** A slot as held: the scope and the key (jurisdiction code or sub-sector key) it was reserved under. */
export interface HeldSlot {
  scope: QuotaScope;
  code: string;
  reservedAt: string;
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
  /** Reserves every applicable slot of the request at once or none; idempotent per application. */
  reserve(request: QuotaRequest): Promise<{ reserved: boolean; alreadyHeld: boolean }>;
  /**
   * Frees the slots the application holds (only those of `scopes` when given), under the keys
   * they were reserved with, exactly once; a second call changes nothing.
   */
  release(holder: QuotaHolder, scopes?: readonly QuotaScope[]): Promise<{ released: boolean }>;
  /** The slots the application holds now, with their keys (a consistent read). */
  held(holder: QuotaHolder): Promise<HeldSlot[]>;
  /** Whether the application holds any slot now (a consistent read). */
  holds(holder: QuotaHolder): Promise<boolean>;
  usage(campaignId: string, track: string, jurisdictionCode: string): Promise<QuotaUse[]>;
}

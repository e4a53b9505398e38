/**
 * What a campaign's definition means for one application and one moment: the overlay of the
 * county's province, its checklist, thresholds (western relaxation applied), deadlines (overlay
 * merged) and quotas, and whether the campaign is open.
 */
import { ValidationError } from '../platform/errors.ts';
import type { Track } from '../schemas/common.ts';
import { type FilledDeadlines, filledDeadlines, stripUndefined } from './calendar.ts';
import type { Campaign } from './campaign.ts';
import type { ChecklistItem } from './checklist.ts';
import type { ProvinceOverlay } from './province-overlay.ts';
import type { Thresholds } from './track-rules.ts';
import {
  getJurisdiction,
  isProvincialRank,
  provincialLevelOf,
  type ReviewStage,
  reviewChain,
  type StageName,
} from './jurisdictions.ts';
import { type Sender, senderFor, stagesWithSender } from './senders.ts';
import type { SubSector } from './sub-sectors.ts';

/** The overlay of the provincial-rank jurisdiction above this county, if the campaign has one. */
export function overlayFor(campaign: Campaign, countyCode: string): ProvinceOverlay | undefined {
  const provincial = provincialLevelOf(countyCode);
  return campaign.overlays.find((overlay) => overlay.provinceCode === provincial.code);
}

/**
 * Whether the provincial-rank jurisdiction `provinceCode` asks its cities for their own summary
 * tables (its overlay's `cityTables`); false without an overlay.
 */
export function cityTablesFor(campaign: Campaign, provinceCode: string): boolean {
  return campaign.overlays.some((overlay) => overlay.provinceCode === provinceCode && overlay.cityTables);
}

function mergedDeadlines(campaign: Campaign, overlay: ProvinceOverlay | undefined): FilledDeadlines {
  return filledDeadlines({ ...campaign.calendar, ...stripUndefined(overlay?.calendar ?? {}) });
}

/** Deadlines with the overlay merged; a missing earlier deadline defaults to the next later one. */
export function effectiveDeadlines(
  campaign: Campaign,
  overlay?: ProvinceOverlay,
): Record<StageName | 'submission', string | undefined> {
  return mergedDeadlines(campaign, overlay);
}

export function applyWesternRelaxation(thresholds: Thresholds, western: boolean): Thresholds {
  const { western: relaxed, ...national } = thresholds;
  return western && relaxed ? { ...national, ...stripUndefined(relaxed) } : national;
}

export interface QuotaLimit {
  jurisdictionCode: string;
  /** null: no cap. */
  limit: number | null;
}

export interface EffectiveRules {
  checklist: ChecklistItem[];
  /** The western relaxation is already applied for a western county. */
  thresholds?: Thresholds;
  deadlines: Record<StageName | 'submission', string | undefined>;
  quota: {
    provincial: QuotaLimit;
    /** The city cap an overlay sets (Shanxi: 3), where the county has a city stage. */
    city?: QuotaLimit;
    /** Most recommendations per sub-sector, counted per city (or per provincial level without one). */
    perSubSector?: number;
  };
  overlay?: ProvinceOverlay;
  /** The review stages: the tree's, with the overlay's sender applied (梅河口: no city stage). */
  stages: ReviewStage[];
  /** The overlay's sender this county files under, if any. */
  sender?: Sender;
  /** The sub-sectors the county picks from (the overlay's, else the campaign's); free text without. */
  subSectors?: SubSector[];
  western: boolean;
}

/**
 * The rules that apply to one application: the track's checklist plus the overlay's additions,
 * thresholds (western relaxation applied), deadlines (overlay merged) and quotas.
 * @throws ValidationError when the campaign has no such track
 * @throws UnknownJurisdictionError when the county is unknown or cannot file an application
 */
export function effectiveRules(campaign: Campaign, track: Track, countyCode: string): EffectiveRules {
  const rules = campaign.tracks[track];
  if (!rules) {
    throw new ValidationError(`campaign ${campaign.campaignId} has no ${track} track`, [
      {
        field: 'track',
        code: 'TRACK_NOT_OFFERED',
        message: `campaign ${campaign.campaignId} has no ${track} track`,
      },
    ]);
  }
  const county = getJurisdiction(countyCode);
  const provincial = provincialLevelOf(countyCode);
  const overlay = overlayFor(campaign, countyCode);
  const sender = senderFor(overlay?.senders, countyCode);
  const stages = stagesWithSender(reviewChain(countyCode), sender);
  const subSectors = overlay?.subSectors ?? campaign.subSectors;
  const cityStage = stages.find((stage) => stage.stage === 'city');
  const provincialRank = isProvincialRank(provincial.rank) ? provincial.rank : 'province';

  const quota: EffectiveRules['quota'] = {
    provincial: {
      jurisdictionCode: provincial.code,
      limit: rules.quota ? campaign.quotas.byRank[provincialRank] : null,
    },
  };
  // A city-level sender (综改区) has its own cap where the overlay gives one, else every city's.
  const cityLimit = sender?.as === 'city' ? (sender.cityQuota ?? overlay?.cityQuota) : overlay?.cityQuota;
  if (rules.quota && cityLimit !== undefined && cityStage) {
    quota.city = { jurisdictionCode: cityStage.jurisdictionCode, limit: cityLimit };
  }
  if (rules.quota && overlay?.perSubSectorQuota !== undefined) quota.perSubSector = overlay.perSubSectorQuota;

  return {
    checklist: [...rules.checklist, ...(overlay?.checklistAdditions ?? [])],
    ...(rules.thresholds && { thresholds: applyWesternRelaxation(rules.thresholds, county.western) }),
    deadlines: effectiveDeadlines(campaign, overlay),
    quota,
    ...(overlay && { overlay }),
    stages,
    ...(sender && { sender }),
    ...(subSectors && { subSectors }),
    western: county.western,
  };
}

/** The campaign's last deadline: MIIT's. */
export function lastDeadline(campaign: Campaign): string {
  return campaign.calendar.miit;
}

/** opensAt ≤ now ≤ the last deadline. */
export function isOpen(campaign: Campaign, now: Date): boolean {
  const at = now.getTime();
  return Date.parse(campaign.opensAt) <= at && at <= Date.parse(lastDeadline(campaign));
}

/** When the county must have submitted, overlay aware. @throws UnknownJurisdictionError */
export function submissionDeadline(campaign: Campaign, countyCode: string): string {
  return mergedDeadlines(campaign, overlayFor(campaign, countyCode)).submission;
}

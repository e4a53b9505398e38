/**
 * Who gets a summary table and which applications it lists.
 *
 * Who gets a table (`summaryScope`): a provincial-rank jurisdiction (province, municipality,
 * planned city, XPCC); MIIT (000000: the national table, every province); and a city, but only
 * where its province's overlay asks for per-city tables (`cityTables`, Shanxi).
 *
 * Which applications a table lists (`inSummary`): those that reached the jurisdiction's review
 * and that it has to account for, of the campaign and track asked for.
 * - A city lists what it decided: the applications it approved (now at the province stage or
 *   beyond, whatever became of them there) and those it rejected or returned for revision
 *   (still at the city stage with status REJECTED or RETURNED). Applications still waiting for
 *   its decision, withdrawn or overdue before it decided are not its recommendations. A city that
 *   gathers typical cases (Anhui) lists those at its stage too: its batch, as it files its measures.
 * - A province lists every application of its own that is at the province stage or beyond: waiting
 *   for the experts, approved and waiting for the batch date, returned, rejected (with the
 *   reason), refused over quota, overdue, withdrawn or cancelled there, and everything it sent on
 *   to MIIT, whatever MIIT made of it.
 * - MIIT lists every application at its stage or beyond: in review, returned, rejected, in public
 *   notice, recognised, cancelled.
 * Drafts and applications still below the jurisdiction's stage never appear.
 */
import type { Campaign } from '../../rules/campaign.ts';
import { cityTablesFor } from '../../rules/effective-rules.ts';
import { findJurisdiction, isProvincialRank, MIIT_CODE, type StageName } from '../../rules/jurisdictions.ts';
import { type Track, TRACKS } from '../../schemas/common.ts';
import type { ApplicationRecord } from '../../schemas/records.ts';
import { ValidationError } from '../../platform/errors.ts';

// ---- scope --------------------------------------------------------------------------------

export type SummaryLevel = StageName;

export interface SummaryScope {
  level: SummaryLevel;
  /** The jurisdiction asking: a city, a provincial-rank code, or 000000 for MIIT. */
  code: string;
  /** As the title names it: 吉林省, 山西省太原市, 全国. */
  name: string;
  /** For a city or a provincial-rank jurisdiction: whose applications to read. */
  provincialCode?: string;
}

export const NATIONAL_NAME = '全国';

const jurisdictionError = (code: string, errorCode: string, message: string) =>
  new ValidationError(`No summary table for jurisdiction ${code}: ${message}`, [
    { field: 'query.jurisdiction', code: errorCode, message },
  ]);

/**
 * The table a jurisdiction code asks for.
 * @throws ValidationError (field query.jurisdiction) for an unknown code, a county, or a city whose
 *   province does not ask for per-city tables in this campaign
 */
export function summaryScope(code: string, campaign: Campaign): SummaryScope {
  if (code === MIIT_CODE) return { level: 'miit', code, name: NATIONAL_NAME };
  const jurisdiction = findJurisdiction(code);
  if (!jurisdiction) throw jurisdictionError(code, 'UNKNOWN_JURISDICTION', `no jurisdiction has code ${code}`);
  if (isProvincialRank(jurisdiction.rank)) {
    return { level: 'province', code, name: jurisdiction.name, provincialCode: code };
  }
  const province = jurisdiction.parentCode === undefined ? undefined : findJurisdiction(jurisdiction.parentCode);
  if (jurisdiction.rank !== 'city' || !province || !isProvincialRank(province.rank)) {
    throw jurisdictionError(
      code,
      'NOT_A_REVIEWING_JURISDICTION',
      `${jurisdiction.name} (${code}) does not review applications: ask with a province, city or 000000 (MIIT)`,
    );
  }
  if (!cityTablesFor(campaign, province.code)) {
    throw jurisdictionError(
      code,
      'CITY_TABLES_NOT_ASKED',
      `${province.name} does not ask its cities for their own summary tables in ${campaign.campaignId}: ask with ${province.code}`,
    );
  }
  return { level: 'city', code, name: `${province.name}${jurisdiction.name}`, provincialCode: province.code };
}

/**
 * The campaign's track the table is for: the one asked for, else the campaign's first.
 * @throws ValidationError (field query.track) when the campaign has no such track
 */
export function summaryTrack(campaign: Campaign, track: Track | undefined): Track {
  const offered = TRACKS.filter((t) => campaign.tracks[t] !== undefined);
  const chosen = track ?? offered[0];
  if (chosen === undefined || !offered.includes(chosen)) {
    throw new ValidationError(`Campaign ${campaign.campaignId} has no ${track} track`, [
      {
        field: 'query.track',
        code: 'TRACK_NOT_OFFERED',
        message: `campaign ${campaign.campaignId} offers ${offered.join(', ')}`,
      },
    ]);
  }
  return chosen;
}

// ---- which applications -------------------------------------------------------------------

export const STAGE_ORDER: Readonly<Record<StageName, number>> = { city: 0, province: 1, miit: 2 };

/** Whether the table of `scope` lists the application (see the module comment). */
export function inSummary(application: ApplicationRecord, scope: SummaryScope): boolean {
  const stage = application.stage;
  if (stage === undefined) return false;
  switch (scope.level) {
    case 'miit':
      return stage === 'miit';
    case 'province':
      return application.provincialCode === scope.code && STAGE_ORDER[stage] >= STAGE_ORDER.province;
    case 'city':
      return (
        application.cityCode === scope.code &&
        (STAGE_ORDER[stage] > STAGE_ORDER.city ||
          application.status === 'REJECTED' ||
          application.status === 'RETURNED' ||
          // A city gathering typical cases: its batch's table is made while the cases wait at it.
          (application.track === 'typical-case' && application.status === 'CITY_REVIEW'))
      );
  }
}

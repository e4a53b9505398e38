import type { StageName } from '../ladder/contract.ts';
import { stageJurisdiction } from '../ladder/route.ts';
import { findJurisdiction, placeName } from '../rules/jurisdictions.ts';
import type { Bilingual } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { ObjectionOutcome, ObjectionRecord } from '../schemas/reviews.ts';

/*
 * What the public notice shows of an application and of an objection: only what a notice
 * publishes (the cluster, where it is, its leading industry, who holds the notice and until
 * when), from the same records and place names the console shows. Nothing else of the
 * application leaves through the public pages.
 */

/** The level that holds the notice: the stage that approved last, and its jurisdiction. */
export interface NoticeHolder {
  stage: StageName;
  jurisdictionCode: string;
  name: string;
}

export interface NoticeEntry {
  applicationId: string;
  campaign: { campaignId: string; name: Bilingual; notice: string };
  clusterName: string;
  leadingIndustry: string;
  subSector: string;
  place: { county: string; city?: string; province: string };
  holder: NoticeHolder;
  window: { startedAt: string; endsAt: string };
  /** Objections are taken until the window ends. */
  open: boolean;
}

/** The level holding the notice of an application in PUBLIC_NOTICE (its last review stage). */
export function noticeHolder(
  application: Pick<ApplicationRecord, 'stage' | 'cityCode' | 'provincialCode'>,
): NoticeHolder {
  const stage = application.stage ?? 'miit';
  return namedHolder(stage, stageJurisdiction({ ...application, stage }));
}

/** A level by its stage and jurisdiction, with the jurisdiction's name. */
export const namedHolder = (stage: StageName, jurisdictionCode: string): NoticeHolder => ({
  stage,
  jurisdictionCode,
  name: placeName(jurisdictionCode) ?? jurisdictionCode,
});

/** County, city (if the county has one) and provincial-rank names, as the console names them. */
export function placeOf(application: Pick<ApplicationRecord, 'countyCode' | 'cityCode' | 'provincialCode'>) {
  const name = (code: string) => findJurisdiction(code)?.name ?? code;
  return {
    county: name(application.countyCode),
    ...(application.cityCode && { city: name(application.cityCode) }),
    province: name(application.provincialCode),
  };
}

export function noticeEntry(
  application: ApplicationRecord,
  campaign: NoticeEntry['campaign'],
  now: Date,
): NoticeEntry | undefined {
  const { noticeStartedAt, noticeEndsAt } = application;
  if (application.status !== 'PUBLIC_NOTICE' || !noticeStartedAt || !noticeEndsAt) return undefined;
  return {
    applicationId: application.applicationId,
    campaign,
    clusterName: application.clusterName,
    leadingIndustry: application.leadingIndustry,
    subSector: application.subSector,
    place: placeOf(application),
    holder: noticeHolder(application),
    window: { startedAt: noticeStartedAt, endsAt: noticeEndsAt },
    open: now.getTime() < Date.parse(noticeEndsAt),
  };
}

/** Where an objection stands, as its receipt number shows it to anyone holding it. */
export interface ObjectionStatusView {
  objectionId: string;
  clusterName: string;
  holder: string;
  filedAt: string;
  state: 'pending' | ObjectionOutcome;
  resolvedAt?: string;
  resolution?: string;
}

export function objectionStatus(objection: ObjectionRecord, clusterName: string, holder: string): ObjectionStatusView {
  return {
    objectionId: objection.objectionId,
    clusterName,
    holder,
    filedAt: objection.filedAt,
    state: objection.resolved ? (objection.outcome ?? 'dismissed') : 'pending',
    ...(objection.resolvedAt && { resolvedAt: objection.resolvedAt }),
    ...(objection.resolution && { resolution: objection.resolution }),
  };
}

/**
 * Who goes on from a province that recognises its own list (shared/rules/provincial-recognition.ts):
 * the route carries the list, the statement on the application (the city's or the province's
 * "also national") says who is a national candidate, and only national candidates reserve the
 * province's MIIT quota. Pure: provincial-track.ts and the tasks act on it.
 */
import type { Campaign } from '../rules/campaign.ts';
import { overlayFor } from '../rules/effective-rules.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { StageName } from './contract.ts';
import type { ProvincialList, Route } from './payloads.ts';

export type Statement = Pick<ApplicationRecord, 'alsoNational' | 'nationalException'>;

/** The province's own list for this application's route: recommendations of a province that runs one. */
export function provincialListOf(
  application: Pick<ApplicationRecord, 'track' | 'countyCode'>,
  campaign: Campaign,
): { provincialRecognition?: ProvincialList } {
  const recognition = overlayFor(campaign, application.countyCode)?.provincialRecognition;
  if (application.track !== 'recommendation' || !recognition) return {};
  return { provincialRecognition: { validityYears: recognition.validityYears, cohort: campaign.year } };
}

/**
 * Whether the application is a national candidate: everywhere without a provincial list, and on
 * one unless the statement (the city's, or the province's) said "provincial only". An application
 * not yet stated counts as national, as every application did before provincial lists.
 */
export const isNationalCandidate = (application: Statement): boolean => application.alsoNational !== false;

/** Whether it ends on its province's own list: the province runs one and it is no national candidate. */
export const endsOnProvincialList = (route: Pick<Route, 'provincialRecognition'>, application: Statement): boolean =>
  route.provincialRecognition !== undefined && !isNationalCandidate(application);

/** Whether a national candidate leaving the province enters the province's list too (not an exception). */
export const entersProvincialList = (route: Pick<Route, 'provincialRecognition'>, application: Statement): boolean =>
  route.provincialRecognition !== undefined &&
  isNationalCandidate(application) &&
  application.nationalException !== true;

/**
 * Whether forwarding from `stage` reserves the province's MIIT quota for this application: the
 * quota is for national candidates only, so an application that ends on the province's own list
 * reserves nothing there. Other stages are unaffected (Shanxi's city caps bind every candidate).
 */
export function reservesAtStage(
  application: Pick<ApplicationRecord, 'track' | 'countyCode'> & Statement,
  campaign: Campaign,
  stage: StageName,
): boolean {
  if (stage !== 'province') return true;
  return !endsOnProvincialList(provincialListOf(application, campaign), application);
}

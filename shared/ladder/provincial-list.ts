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
import type { ProvincialList, Route, StagePosition } from './payloads.ts';

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

/** Whether a national candidate enters the province's list too (not an exception); `entersListAt`: when. */
export const entersProvincialList = (route: Pick<Route, 'provincialRecognition'>, application: Statement): boolean =>
  route.provincialRecognition !== undefined &&
  isNationalCandidate(application) &&
  application.nationalException !== true;

/**
 * Whether entering `next` takes a national candidate past the province steps that settle the
 * province's list, so it is entered on the list there (provincial-track.ts): all the province's
 * steps but a closing formal letter, which forwards the list's national candidates to MIIT and
 * settles nothing on it. So it enters the list as it enters that letter (Shanxi: as its 结果公示
 * ends), before the letter reserves its MIIT quota and before the forwarding date; where the
 * province closes with no letter, as it enters MIIT.
 */
export function entersListAt(route: Pick<Route, 'stages'>, next: Pick<StagePosition, 'index' | 'step'>): boolean {
  const stage = route.stages[next.index];
  if (stage?.stage === 'province') return next.step === closingLetterOf(stage);
  const previous = route.stages[next.index - 1];
  return next.step === 0 && previous?.stage === 'province' && closingLetterOf(previous) === undefined;
}

/** The index of the stage's last step when that step is its formal letter. */
function closingLetterOf(stage: Route['stages'][number]): number | undefined {
  const last = stage.steps.length - 1;
  return stage.steps[last]?.config.kind === 'formal-letter' ? last : undefined;
}

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

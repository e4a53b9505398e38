import type { Campaign } from '../rules/campaign.ts';
import { type EffectiveRules, effectiveRules, overlayFor } from '../rules/effective-rules.ts';
import { MIIT_CODE } from '../rules/jurisdictions.ts';
import { isTimedStep, type Step, stepsAt } from '../rules/steps.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { StageName } from './contract.ts';
import { type Route, RouteSchema, type RouteStep } from './payloads.ts';
import { provincialListOf } from './provincial-list.ts';

/*
 * The route an application climbs, as data: its stages from the jurisdiction tree, each stage's
 * deadline from the campaign's calendar and the province's overlay, and the steps each stage runs
 * (the overlay's sequence for the level, else the campaign's, else one review) with what each
 * step's approval means. Pure: the tasks (stages.ts and the rest) read and write the records.
 */

/**
 * Stages that forward their approvals as one list at their deadline: the province sends its
 * recommendation list to MIIT by the province deadline (15 July in 2025), and until then may still
 * withdraw or swap within its quota. Cities forward as they approve.
 */
export const FORWARDS_AS_BATCH: Readonly<Record<StageName, boolean>> = {
  city: false,
  province: true,
  miit: false,
};

/**
 * MIIT's deadline: its own, which a calendar must set at least `miitWindowDays` after the
 * provinces' (a campaign stored before that rule gets the default window when it is read), so
 * MIIT never reviews on the day the provinces' lists reach it.
 */
export function miitDeadline(campaign: Campaign): string {
  return campaign.calendar.miit;
}

/** Step Functions refuses task timeouts above this many seconds. */
const MAX_TASK_TIMEOUT_SECONDS = 99_999_999;

/** Whole seconds from `now` to `deadline`, at least 1: a task timeout (TimeoutSecondsPath). */
export function secondsUntil(deadline: string, now: Date): number {
  const seconds = Math.ceil((Date.parse(deadline) - now.getTime()) / 1000);
  return Math.min(MAX_TASK_TIMEOUT_SECONDS, Math.max(1, seconds));
}

/** Whether forwarding from the province takes quota slots (a track without quotas: typical cases). */
function takesQuota(rules: EffectiveRules): boolean {
  const { quota } = rules;
  return quota.provincial.limit !== null || quota.city !== undefined || quota.perSubSector !== undefined;
}

/**
 * Whether forwarding from this stage takes quota slots: the province's quota at the province; a
 * city-level cap (Shanxi's ≤ 3 per city) at the city that forwards; nothing at MIIT.
 */
function reservesAt(stage: StageName, rules: EffectiveRules): boolean {
  if (stage === 'province') return takesQuota(rules);
  if (stage === 'city') return rules.quota.city !== undefined;
  return false;
}

/**
 * A stage's steps with their flags: the last person step forwards (and reserves where the stage
 * takes quotas); the on-site statement step asks for the city's statement.
 */
export function routeSteps(steps: readonly Step[], reserves: boolean): RouteStep[] {
  const forwarding = steps.findLastIndex((step) => !isTimedStep(step));
  return steps.map((config, index) => ({
    config,
    forwards: index === forwarding,
    quotaReservation: index === forwarding && reserves,
    onSiteStatement: config.kind === 'onsite-statement',
  }));
}

/**
 * The steps `stage` runs for this application, with their flags: what computeRoute puts on the
 * route, for the review desk (which gates a step by its config and reserves at the flagged one).
 */
export function stageSteps(
  application: Pick<ApplicationRecord, 'track' | 'countyCode'>,
  campaign: Campaign,
  stage: StageName,
): RouteStep[] {
  const rules = effectiveRules(campaign, application.track, application.countyCode);
  const overlaySteps = overlayFor(campaign, application.countyCode)?.steps;
  return routeSteps(stepsAt(stage, campaign.steps, overlaySteps), reservesAt(stage, rules));
}

/**
 * The stages this application climbs, from the jurisdiction tree (a municipality's district has
 * no city stage; a planned city holds the province stage) and the campaign's calendar with the
 * province's overlay. A later stage never closes before an earlier one. Each stage runs the steps
 * its level declares (shared/rules/steps.ts `stepsAt`); no notice is added that no level declares.
 */
export function computeRoute(application: ApplicationRecord, campaign: Campaign): Route {
  const rules = effectiveRules(campaign, application.track, application.countyCode);
  const overlaySteps = overlayFor(campaign, application.countyCode)?.steps;
  let earliest = campaign.opensAt;
  const stages = rules.stages.map((stage, index) => {
    const own =
      stage.stage === 'miit' ? miitDeadline(campaign) : (rules.deadlines[stage.stage] ?? campaign.calendar.province);
    const deadline = Date.parse(own) < Date.parse(earliest) ? earliest : own;
    earliest = deadline;
    const isLast = index === rules.stages.length - 1;
    return {
      stage: stage.stage,
      jurisdictionCode: stage.jurisdictionCode,
      jurisdictionName: stage.name,
      deadline,
      ...(FORWARDS_AS_BATCH[stage.stage] && !isLast && { forwardAt: deadline }),
      steps: routeSteps(stepsAt(stage.stage, campaign.steps, overlaySteps), reservesAt(stage.stage, rules)),
    };
  });
  return RouteSchema.parse({
    campaignId: campaign.campaignId,
    track: application.track,
    stages,
    validityYears: campaign.calendar.validityYears,
    ...provincialListOf(application, campaign),
  });
}

/** The jurisdiction that acts at the application's current stage (city, provincial rank, MIIT). */
export function stageJurisdiction(
  application: Pick<ApplicationRecord, 'stage' | 'cityCode' | 'provincialCode'>,
): string {
  if (application.stage === 'miit') return MIIT_CODE;
  if (application.stage === 'city' && application.cityCode) return application.cityCode;
  return application.provincialCode;
}

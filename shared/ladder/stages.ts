import type { Records } from '../ports/core.ts';
import type { CampaignLookup } from '../ports/ladder.ts';
import { isTimedStep } from '../rules/steps.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import type { CurrentStage, EnterStagePayload, ExecutionInput, LadderStart } from './payloads.ts';
import { computeRoute, secondsUntil } from './route.ts';
import { STAGE_STATUS, type StepRef } from './contract.ts';
import { loadApplication, transition, type TransitionDeps, TransitionRefusedError } from './transition.ts';
import { endsOnProvincialList, entersListAt, entersProvincialList } from './provincial-list.ts';
import { enterNationalCandidate, type NationalCandidateDeps } from './provincial-track.ts';

/* The climb: the route an execution starts with, and each stage and step the application enters. */

export interface RouteDeps {
  records: Pick<Records, 'getApplication'>;
  campaigns: CampaignLookup;
}

/** PrepareRoute: reads only; the route becomes the execution's state. */
export async function prepareRoute(deps: RouteDeps, input: ExecutionInput): Promise<LadderStart> {
  const application = await loadApplication(deps.records, input.applicationId);
  const campaign = await deps.campaigns.get(application.campaignId);
  return {
    applicationId: input.applicationId,
    revision: input.revision,
    route: computeRoute(application, campaign),
    next: { index: 0, step: 0, round: 1 },
  };
}

/**
 * The statuses entering a position starts from. Round 1 of a stage's first step follows submission
 * or the previous stage (its last step may be a public notice); a later step of the stage follows
 * the stage's previous step (a person's approval, or a notice that ended); a later round follows a
 * resubmission (SUBMITTED again) or an upheld objection during a public notice.
 */
function enteredFrom(payload: EnterStagePayload): ApplicationStatus[] {
  const { route, next } = payload;
  const stage = route.stages[next.index];
  const previous = route.stages[next.index - 1];
  if (next.step > 0 && stage) return [STAGE_STATUS[stage.stage], 'PUBLIC_NOTICE'];
  if (next.round > 1) return ['SUBMITTED', 'PUBLIC_NOTICE'];
  return previous ? [STAGE_STATUS[previous.stage], 'PUBLIC_NOTICE'] : ['SUBMITTED'];
}

export interface EnterStageDeps extends TransitionDeps {
  /** The trail also takes a national candidate's provincial recognition (provincial-track.ts). */
  records: TransitionDeps['records'] & NationalCandidateDeps['records'];
  /** The register a national candidate's provincial entry goes to, once its province's list is settled. */
  register?: NationalCandidateDeps['register'];
}

/**
 * EnterStage: the application is now at the stage and the step `next` names. The audit trail says
 * STAGE_ENTERED for a stage's first step and STEP_ENTERED for the rest, each naming the step. A
 * public-notice step is entered like any other; StartPublicNotice then opens its window.
 */
export async function enterStage(deps: EnterStageDeps, payload: EnterStagePayload): Promise<CurrentStage> {
  const { route, next } = payload;
  const stage = route.stages[next.index];
  if (!stage) throw new TransitionRefusedError(`The route has no stage ${next.index}`);
  const routeStep = stage.steps[next.step];
  if (!routeStep) throw new TransitionRefusedError(`Stage ${stage.stage} has no step ${next.step}`);
  const status = STAGE_STATUS[stage.stage];
  const step: StepRef = { index: next.step, kind: routeStep.config.kind };
  // A public notice keeps the status StartPublicNotice gives it; entering it changes the step only.
  const timed = isTimedStep(routeStep.config);

  const { application } = await transition(deps, payload.applicationId, {
    done: (a) =>
      (timed || a.status === status) &&
      a.stage === stage.stage &&
      a.round === next.round &&
      (a.step?.index ?? 0) === next.step,
    from: enteredFrom(payload),
    change: () => ({
      ...(!timed && { status }),
      stage: stage.stage,
      round: next.round,
      step,
      dueAt: stage.deadline,
      executionArn: payload.executionArn,
      resubmissionToken: undefined,
      decisionReason: undefined,
    }),
    action: next.step === 0 ? 'STAGE_ENTERED' : 'STEP_ENTERED',
    audit: () => ({
      detail: {
        stage: stage.stage,
        round: next.round,
        step: next.step,
        stepKind: step.kind,
        jurisdictionCode: stage.jurisdictionCode,
        deadline: stage.deadline,
      },
    }),
  });

  // The province's own list (shared/ladder/provincial-list.ts): an application that is no national
  // candidate ends at its province, so each province step it enters is its last stage; a national
  // candidate is entered on the list once the steps that settle it have passed (Shanxi: its 公示),
  // as it enters the province's letter, before the province forwards it.
  const list = route.provincialRecognition;
  const endsHere = list !== undefined && stage.stage === 'province' && endsOnProvincialList(route, application);
  if (list && entersListAt(route, next) && entersProvincialList(route, application)) {
    await enterNationalCandidate(deps, application, list);
  }

  return {
    index: next.index,
    isLast: next.index === route.stages.length - 1 || endsHere,
    ...(endsHere && { endsOnProvincialList: list }),
    jurisdictionName: stage.jurisdictionName,
    timeoutSeconds: secondsUntil(stage.deadline, deps.clock()),
    ...(stage.forwardAt && { forwardAt: stage.forwardAt }),
    step: {
      index: next.step,
      kind: step.kind,
      isLastOfStage: next.step === stage.steps.length - 1,
      config: routeStep.config,
      forwards: routeStep.forwards,
      quotaReservation: routeStep.quotaReservation,
      onSiteStatement: routeStep.onSiteStatement,
    },
    review: {
      applicationId: payload.applicationId,
      revision: application.revision,
      stage: stage.stage,
      jurisdictionCode: stage.jurisdictionCode,
      deadline: stage.deadline,
      round: next.round,
      step,
    },
  };
}

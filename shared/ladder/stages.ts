import type { Records } from '../ports/core.ts';
import type { CampaignLookup } from '../ports/ladder.ts';
import type { ApplicationStatus } from '../schemas/common.ts';
import type { CurrentStage, EnterStagePayload, ExecutionInput, LadderStart } from './payloads.ts';
import { computeRoute, secondsUntil } from './route.ts';
import { STAGE_STATUS } from './contract.ts';
import { loadApplication, transition, type TransitionDeps, TransitionRefusedError } from './transition.ts';

/* The climb: the route an execution starts with, and each stage the application enters. */

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
    next: { index: 0, round: 1 },
  };
}

/** EnterStage: the application is now under review at the stage `next` names. */
export async function enterStage(deps: TransitionDeps, payload: EnterStagePayload): Promise<CurrentStage> {
  const { route, next } = payload;
  const stage = route.stages[next.index];
  if (!stage) throw new TransitionRefusedError(`The route has no stage ${next.index}`);
  const previous = route.stages[next.index - 1];
  const status = STAGE_STATUS[stage.stage];
  // Round 1 follows submission or the previous stage's approval; later rounds follow a
  // resubmission (SUBMITTED again) or an objection during the public notice.
  const from: ApplicationStatus[] =
    next.round > 1 ? ['SUBMITTED', 'PUBLIC_NOTICE'] : previous ? [STAGE_STATUS[previous.stage]] : ['SUBMITTED'];

  const { application } = await transition(deps, payload.applicationId, {
    done: (a) => a.status === status && a.stage === stage.stage && a.round === next.round,
    from,
    change: () => ({
      status,
      stage: stage.stage,
      round: next.round,
      dueAt: stage.deadline,
      executionArn: payload.executionArn,
      resubmissionToken: undefined,
      decisionReason: undefined,
    }),
    action: 'STAGE_ENTERED',
    audit: () => ({
      detail: {
        stage: stage.stage,
        round: next.round,
        jurisdictionCode: stage.jurisdictionCode,
        deadline: stage.deadline,
      },
    }),
  });

  return {
    index: next.index,
    isLast: next.index === route.stages.length - 1,
    jurisdictionName: stage.jurisdictionName,
    timeoutSeconds: secondsUntil(stage.deadline, deps.clock()),
    ...(stage.forwardAt && { forwardAt: stage.forwardAt }),
    requirements: stage.requirements,
    review: {
      applicationId: payload.applicationId,
      revision: application.revision,
      stage: stage.stage,
      jurisdictionCode: stage.jurisdictionCode,
      deadline: stage.deadline,
      round: next.round,
    },
  };
}

import { workflowTask } from '../platform/workflow-task.ts';
import type { ReviewDesk } from '../ports/ladder.ts';
import { closeApplication, recognize } from './closing.ts';
import { checkObjections, startPublicNotice } from './public-notice.ts';
import { awaitResubmission, markReturned } from './returns.ts';
import { enterStage, prepareRoute } from './stages.ts';
import {
  AwaitResubmissionPayloadSchema,
  CheckObjectionsPayloadSchema,
  CloseApplicationPayloadSchema,
  EnterStagePayloadSchema,
  ExecutionInputSchema,
  MarkReturnedPayloadSchema,
  RecognizePayloadSchema,
  RequestReviewPayloadSchema,
  StartPublicNoticePayloadSchema,
} from './payloads.ts';

/*
 * The review ladder's task functions, one factory each: the payload is parsed with its zod schema
 * (InvalidPayloadError otherwise), then the step runs with the deps its wiring in
 * shared/composition/ladder.ts (or a test) hands over. The state machine sees what each returns.
 */

/** PrepareRoute: the execution's input, routed through the jurisdiction tree and the campaign. */
export const makePrepareRouteTask = (deps: Parameters<typeof prepareRoute>[0]) =>
  workflowTask('prepareRoute', ExecutionInputSchema, (input) => prepareRoute(deps, input));

export const makeEnterStageTask = (deps: Parameters<typeof enterStage>[0]) =>
  workflowTask('enterStage', EnterStagePayloadSchema, (payload) => enterStage(deps, payload));

/**
 * Callback task: the review desk stores the token and emails the stage's reviewers a link. The
 * state machine then waits until a decision (SendTaskSuccess), a withdrawal or cancellation
 * (SendTaskFailure) or the stage deadline (the task's timeout).
 */
export const makeRequestReviewTask = ({ desk }: { desk: ReviewDesk }) =>
  workflowTask('requestReview', RequestReviewPayloadSchema, ({ taskToken, review }) =>
    desk.open({ ...review, taskToken }),
  );

export const makeMarkReturnedTask = (deps: Parameters<typeof markReturned>[0]) =>
  workflowTask('markReturned', MarkReturnedPayloadSchema, (payload) => markReturned(deps, payload));

/** Callback task: the applicant's resubmission (POST …/submit) completes it with SendTaskSuccess. */
export const makeAwaitResubmissionTask = (deps: Parameters<typeof awaitResubmission>[0]) =>
  workflowTask('awaitResubmission', AwaitResubmissionPayloadSchema, (payload) => awaitResubmission(deps, payload));

/** MarkRejected, MarkOverdue, MarkCancelled and MarkWithdrawn: the payload's `outcome` says which. */
export const makeCloseApplicationTask = (deps: Parameters<typeof closeApplication>[0]) =>
  workflowTask('closeApplication', CloseApplicationPayloadSchema, (payload) => closeApplication(deps, payload));

export const makeStartPublicNoticeTask = (deps: Parameters<typeof startPublicNotice>[0]) =>
  workflowTask('startPublicNotice', StartPublicNoticePayloadSchema, (payload) => startPublicNotice(deps, payload));

export const makeCheckObjectionsTask = (deps: Parameters<typeof checkObjections>[0]) =>
  workflowTask('checkObjections', CheckObjectionsPayloadSchema, (payload) => checkObjections(deps, payload));

export const makeRecognizeTask = (deps: Parameters<typeof recognize>[0]) =>
  workflowTask('recognize', RecognizePayloadSchema, (payload) => recognize(deps, payload));

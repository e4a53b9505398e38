/**
 * The review ladder's state names (infra/constructs/review-ladder.ts). Tests, the local runtime
 * and operators reading an execution history refer to states by these names.
 */
export const LADDER_STATES = {
  prepareRoute: 'PrepareRoute',
  enterStage: 'EnterStage',
  stepKind: 'StepKind',
  requestReview: 'RequestReview',
  decision: 'Decision',
  stepDone: 'StepDone',
  nextStep: 'NextStep',
  waitUntilForwarded: 'WaitUntilForwarded',
  nextStage: 'NextStage',
  markReturned: 'MarkReturned',
  awaitResubmission: 'AwaitResubmission',
  reviewAgain: 'ReviewAgain',
  markRejected: 'MarkRejected',
  markOverdue: 'MarkOverdue',
  markCancelled: 'MarkCancelled',
  markWithdrawn: 'MarkWithdrawn',
  startPublicNotice: 'StartPublicNotice',
  waitForNoticeEnd: 'WaitForNoticeEnd',
  checkObjections: 'CheckObjections',
  objectionsFiled: 'ObjectionsFiled',
  awaitTriage: 'AwaitTriage',
  recognize: 'Recognize',
  unknownDecision: 'UnknownDecision',
} as const;

export type LadderStateName = (typeof LADDER_STATES)[keyof typeof LADDER_STATES];

import type { TableGrant } from '../platform/functions.ts';

/**
 * The review ladder's Lambda tasks, declared once: the CDK stack builds one function per entry
 * (with exactly this access), the state machine invokes them, and the local runtime runs the same
 * modules (as functions named `local-<taskKey>`). Like API_FUNCTIONS in shared/platform/http/routes.ts.
 */
export interface WorkflowTaskSpec {
  /** Handler module, relative to the repository root. */
  entry: `functions/workflow/${string}.ts`;
  table: TableGrant;
  bucket?: 'put' | 'read' | 'readwrite';
  /** Sends email: gets SENDER_EMAIL and ses:SendEmail from that address only. */
  mail?: boolean;
  /** Writes links into emails: gets PUBLIC_BASE_URL. */
  links?: boolean;
}

/**
 * What the ladder's writing tasks send (their bundles share the transition adapters), in the
 * partitions each writes: the application's own (APP#: status, audit, reviews, tokens), the
 * campaign tallies a status change moves (TALLY#), the quota slots a closing frees (QUOTA#).
 */
const ladderWrites = (...writesTo: string[]): TableGrant => ({
  actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
  writesTo,
});
const LADDER_READS: TableGrant = { actions: ['GetItem', 'Query'] };

export const WORKFLOW_TASKS = {
  /** Route from the jurisdiction tree and the campaign (reads only). */
  prepareRoute: { entry: 'functions/workflow/prepare-route.ts', table: LADDER_READS },
  /**
   * Status <STAGE>_REVIEW, round, due date; a national candidate past the steps that settle its
   * province's own list enters that list in the register (REGISTER#, shared/ladder/provincial-track.ts).
   */
  enterStage: { entry: 'functions/workflow/enter-stage.ts', table: ladderWrites('APP#', 'TALLY#', 'REGISTER#') },
  /** Callback: hands the task token to the review desk, which emails the reviewers a link. */
  requestReview: {
    entry: 'functions/workflow/request-review.ts',
    // REVIEWER_GAPS: with nobody registered for the jurisdiction, the gap is noted (no email goes out).
    table: ladderWrites('APP#', 'REVIEWER_GAPS'),
    mail: true,
    links: true,
  },
  /** RETURNED with the reason; emails the applicant. */
  markReturned: { entry: 'functions/workflow/mark-returned.ts', table: ladderWrites('APP#', 'TALLY#'), mail: true },
  /** Callback: stores the token a resubmission completes. */
  awaitResubmission: { entry: 'functions/workflow/await-resubmission.ts', table: ladderWrites('APP#') },
  /** REJECTED, OVERDUE, CANCELLED or WITHDRAWN: frees quota slots, emails the applicant. */
  closeApplication: {
    entry: 'functions/workflow/close-application.ts',
    // REGISTER#: a rejected re-review revokes its register entry.
    table: ladderWrites('APP#', 'TALLY#', 'QUOTA#', 'QUOTAHOLD#', 'REGISTER#'),
    mail: true,
  },
  /** PUBLIC_NOTICE for the campaign's notice period. */
  startPublicNotice: {
    entry: 'functions/workflow/start-public-notice.ts',
    table: ladderWrites('APP#', 'TALLY#'),
    mail: true,
  },
  /** Unresolved objections filed during the notice (reads only). */
  checkObjections: { entry: 'functions/workflow/check-objections.ts', table: LADDER_READS },
  /** RECOGNIZED, valid for the campaign's validity years. */
  /** RECOGNIZED, and its entry in the register of recognised clusters (REGISTER#, shared/register/). */
  recognize: {
    entry: 'functions/workflow/recognize.ts',
    table: ladderWrites('APP#', 'TALLY#', 'REGISTER#'),
    mail: true,
  },
} as const satisfies Record<string, WorkflowTaskSpec>;

export type WorkflowTaskKey = keyof typeof WORKFLOW_TASKS;

/**
 * Error names a task reports that retrying cannot cure. The state machine retries every other
 * task failure (a throttled Lambda, a DynamoDB hiccup): handlers are idempotent.
 */
export const WORKFLOW_TASK_ERRORS = {
  /** The payload did not match its schema: a definition or caller bug. */
  invalidPayload: 'InvalidWorkflowPayload',
  /** The application is not where this step expects it (closed, or moved on by someone else). */
  transitionRefused: 'TransitionRefused',
} as const;

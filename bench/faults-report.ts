import type { FaultStats } from '../local/faults.ts';

export interface FaultsBenchResult {
  applications: number;
  provinces: number;
  handlerRate: number;
  dynamoDbRate: number;
  intakeSeconds: number;
  ladderSeconds: number;
  /** Σ min(applications in the province, its quota). */
  expectedRecognized: number;
  statuses: Record<string, number>;
  faults: FaultStats;
  /** Invocations whose effects happened twice or more: answers lost after the handler ran, late runs of stalls. */
  duplicatesReplayed: number;
  retries: {
    /** Failed task attempts the state machine retried, by error. */
    stepFunctions: Record<string, number>;
    /** Validator attempts beyond the first (asynchronous invocation retries). */
    validator: number;
    /** S3 events the validator gave up on (dead-lettered), each replayed as an operator would. */
    deadLettersReplayed: number;
    /** Requests people sent again after a 500/503 (or a 409 CONCURRENT_CHANGE). */
    client: number;
    /** Of those, answers lost after the request had landed (409 already decided/submitted). */
    clientAnswersRecovered: number;
    /** Decisions answered 410 REVIEW_EXPIRED (a task's failed attempt, not yet retried) and sent again. */
    reviewsRearmed: number;
    /** Retries the AWS SDK made (all DynamoDB clients). */
    sdk: number;
  };
  /** What went wrong; every list must be empty. */
  lost: string[];
  duplicateEmails: string[];
  quotaMismatches: string[];
  duplicateDecisions: string[];
  duplicateAuditEvents: string[];
  emails: { reviewLinks: number; applicantNotices: number };
}

/** The figures as `npm run bench` prints them. */
export function faultsReport(r: FaultsBenchResult): string[] {
  const { injected, dynamodb } = r.faults;
  const throttled = dynamodb.throttled.ProvisionedThroughputExceededException + dynamodb.throttled.ThrottlingException;
  const handlerInvocations = Object.values(r.faults.invocations).reduce((n, v) => n + v, 0);
  const injectedTotal = Object.values(injected).reduce((n, v) => n + v, 0);
  const byTargetKind = (prefix: string) =>
    Object.entries(r.faults.byTarget)
      .filter(([target]) => target.startsWith(prefix))
      .reduce((n, [, kinds]) => n + Object.values(kinds).reduce((m, v) => m + (v ?? 0), 0), 0);
  const sfn = Object.entries(r.retries.stepFunctions)
    .sort(([, a], [, b]) => b - a)
    .map(([error, n]) => `${error} ${n}`)
    .join(', ');
  const problems = [
    ...r.lost,
    ...r.duplicateEmails,
    ...r.quotaMismatches,
    ...r.duplicateDecisions,
    ...r.duplicateAuditEvents,
  ];
  return [
    'Exactly once under faults (whole local pipeline; local/faults.ts)',
    `  applications                ${r.applications} over ${r.provinces} provinces; ${Math.round(r.handlerRate * 100)} % of handler invocations and ${Math.round(r.dynamoDbRate * 100)} % of DynamoDB attempts faulted`,
    `  time                        intake ${r.intakeSeconds} s, ladder ${r.ladderSeconds} s`,
    `  handler faults injected     ${injectedTotal} of ${handlerInvocations} invocations: error ${injected.error}, answer lost after running ${injected['error-after']}, ` +
      `stall then late run ${injected.stall}, stall never run ${injected['stall-fail']} ` +
      `(tasks ${byTargetKind('task:')}, validator ${byTargetKind('validator')}, API ${byTargetKind('api:')})`,
    `  DynamoDB throttling         ${throttled} of ${dynamodb.requests} requests' attempts (ProvisionedThroughputExceeded ${dynamodb.throttled.ProvisionedThroughputExceededException}, ` +
      `Throttling ${dynamodb.throttled.ThrottlingException}); SDK retries ${r.retries.sdk}; ${dynamodb.surfaced} outlasted them and reached the code`,
    `  duplicates replayed         ${r.duplicatesReplayed} invocations ran again after running (${injected['error-after']} lost answers, ${r.faults.lateRuns} late runs of stalls, ${r.faults.lateRunErrors} of those refused)`,
    `  retries                     state machine ${Object.values(r.retries.stepFunctions).reduce((n, v) => n + v, 0)} (${sfn || 'none'}); validator ${r.retries.validator}, ` +
      `dead letters replayed ${r.retries.deadLettersReplayed}; people ${r.retries.client} (${r.retries.clientAnswersRecovered} found their request had landed), ` +
      `decisions sent again after the review task's retry re-armed it ${r.retries.reviewsRearmed}`,
    `  outcome                     ${Object.entries(r.statuses)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}; expected recognised ${r.expectedRecognized}`,
    `  emails                      ${r.emails.reviewLinks} review links, ${r.emails.applicantNotices} applicant notices; sent twice: ${r.duplicateEmails.length}`,
    `  lost ${r.lost.length}, emails twice ${r.duplicateEmails.length}, quota mismatches ${r.quotaMismatches.length}, ` +
      `decisions twice ${r.duplicateDecisions.length}, workflow steps twice ${r.duplicateAuditEvents.length}`,
    ...problems.slice(0, 20).map((p) => `    ${p}`),
  ];
}

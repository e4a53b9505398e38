import type { ReviewerMode } from './ladder-people.ts';

export interface LadderBenchResult {
  /** `…StateEntered` events of the happy-path execution (goal ≤ 30). */
  transitionsPerApplication: number;
  /** All history events of that execution (state entered/exited, task scheduled/started/…). */
  historyEventsPerApplication: number;
  /** The states the happy path entered, in order. */
  happyPathStates: string[];
  /** Applications through the ladder in the batch. */
  applications: number;
  /** Provinces and municipalities the batch is spread over, and distinct counties. */
  provinces: number;
  counties: number;
  /** Σ min(applications in the province, its quota): what must end RECOGNIZED. */
  expectedRecognized: number;
  /** From the applications' records (GET /v1/applications/{id}) after the batch. */
  recognized: number;
  rejected: number;
  /** Anything else (must be 0): status → count. */
  otherStatuses: Record<string, number>;
  /** Province approvals refused with 409 QUOTA_EXCEEDED (each then rejected with a reason). */
  quotaRefusals: number;
  /** Decisions posted by the automatic reviewers (all stages, refusals not counted). */
  decisions: number;
  reviewers: ReviewerMode;
  concurrency: number;
  /** Drafts and the county's evidence files (9 each) through presigned POST, all VALID. */
  intakeSeconds: number;
  /** The county's uploads in the intake. */
  uploads: number;
  /** Uploads the cities made during their reviews (on-site check statements), part of the ladder. */
  cityUploads: number;
  /** First submit → last execution ended. */
  seconds: number;
  applicationsPerSecond: number;
  /** Where the ladder's time went. */
  phases: {
    /** First submit → every province decision in and every recommendation waiting for the list date. */
    toProvinceListSeconds: number;
    /** List released → MIIT decided on every recommendation and each waits out its notice. */
    miitSeconds: number;
    /** Notices released → last execution ended (recognition). */
    recognitionSeconds: number;
  };
  /** Highest RSS of this process (API, handlers, engine, s3rver, SES: all in-process), whole bench. */
  peakRssMiB: number;
  /** RSS of this process when the bench began (before the stack started). */
  baselineRssMiB: number;
  /** The same during the ladder only. */
  ladderPeakRssMiB: number;
  /** Highest RSS of DynamoDB Local (its own Java process); undefined where /proc is not readable. */
  dynamoDbPeakRssMiB?: number;
}

/** The figures as `npm run bench` prints them. */
export function ladderReport(r: LadderBenchResult): string[] {
  const others = Object.entries(r.otherStatuses).map(([status, n]) => `${status} ${n}`);
  return [
    'Review ladder through the whole local pipeline (DynamoDB Local, s3rver, local SES, local Step Functions)',
    `  transitions per application, happy path   ${r.transitionsPerApplication} states entered  (goal ≤ 30); ` +
      `${r.historyEventsPerApplication} history events`,
    `    ${r.happyPathStates.join(' → ')}`,
    `  applications                  ${r.applications} over ${r.provinces} provinces/municipalities, ${r.counties} counties`,
    `  intake (not in the ladder)    ${r.intakeSeconds} s for ${r.applications} drafts and ${r.uploads} presigned-POST uploads, all VALID`,
    ...(r.cityUploads > 0
      ? [
          `  city uploads (in the ladder)  ${r.cityUploads} on-site check statements, uploaded by the cities before approving`,
        ]
      : []),
    `  ladder                        ${r.seconds} s, ${r.applicationsPerSecond} applications/s  ` +
      `(to the province list ${r.phases.toProvinceListSeconds} s, MIIT ${r.phases.miitSeconds} s, recognition ${r.phases.recognitionSeconds} s)`,
    `  recognised                    ${r.recognized} of ${r.expectedRecognized} expected (Σ min(applications, quota 8) per province); ` +
      `rejected ${r.rejected}${others.length > 0 ? `; other: ${others.join(', ')}` : ''}`,
    `  quota refusals (409)          ${r.quotaRefusals}, each then rejected with its reason; ${r.decisions} decisions in all`,
    `  peak RSS                      ${r.peakRssMiB} MiB this process (API, handlers, engine, s3rver, SES; ` +
      `${r.baselineRssMiB} MiB before the stack started), ${r.ladderPeakRssMiB} MiB during the ladder` +
      (r.dynamoDbPeakRssMiB !== undefined ? `; DynamoDB Local ${r.dynamoDbPeakRssMiB} MiB` : ''),
    `  (reviewers: ${r.reviewers === 'link' ? 'open the emailed link, then post the decision with its secret' : "post the decision with the emailed link's secret"}; ` +
      `${r.concurrency} requests in flight; Waits on a held clock released at the province date and at the notices' end)`,
  ];
}

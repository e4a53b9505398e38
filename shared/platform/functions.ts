/**
 * The function catalog: every Lambda handler outside the review ladder, with what it may touch.
 * One declaration read by the CDK stack (one function per entry, with exactly this access), the
 * local runtime (the same modules behind its gateway, its S3 events and its timers) and the route
 * table (each route names the API function that serves it). The ladder's tasks are declared
 * beside the workflow contract, in shared/ladder/tasks.ts.
 */

/** The DynamoDB actions a function may be granted (IAM names, without `dynamodb:`). */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem'
  | 'BatchWriteItem';

/**
 * Exactly the table actions a function sends (test/infra/granted-actions.test.ts compares them
 * with what its bundle can send), and, when given, the partition-key prefixes its writes are
 * limited to (dynamodb:LeadingKeys; the item kinds of docs/data-model.md: `APP#`, `TALLY#`…).
 * `'read'` and `'readwrite'` are the coarse forms (reads; reads and single-item and transaction
 * writes anywhere in the table): the test asks for the exact form.
 */
export type TableGrant =
  'read' | 'readwrite' | { readonly actions: readonly TableAction[]; readonly writesTo?: readonly string[] };

export interface FunctionSpec {
  entry: string;
  table: 'none' | TableGrant;
  /**
   * put = may presign uploads; read-put = reads evidence and presigns uploads; readwrite = reads
   * evidence and moves strays to quarantine; package-requests = writes package requests and reads
   * packages (download links); package-build = reads evidence, writes and reads packages;
   * annual-reports = presigns uploads and deletes the annual-report files the county removes.
   */
  bucket: 'none' | 'put' | 'read' | 'read-put' | 'readwrite' | 'package-requests' | 'package-build' | 'annual-reports';
  /**
   * Access to the review ladder's executions, with STATE_MACHINE_ARN: operate = list them, describe
   * one, redrive a failed one (the ops console). @default none
   */
  stateMachine?: 'operate';
  /** Sends email: gets SENDER_EMAIL and ses:SendEmail from that address only. @default false */
  mail?: boolean;
  /** Writes links into emails: gets PUBLIC_BASE_URL. @default false */
  links?: boolean;
  /**
   * Writes console links only into emails (no review link, so no link key): gets PUBLIC_BASE_URL
   * and nothing of `links` beside it. @default false
   */
  consoleLinks?: boolean;
  /**
   * Counts per-client limits (shared/platform/limits/): a function that only reads the table may
   * still update the limiter's counters, and nothing else (items whose key begins LIMIT#). @default false
   */
  limiter?: boolean;
}

/** Functions behind the HTTP API; each module dispatches on the API Gateway `routeKey`. */
export const API_FUNCTIONS = {
  campaigns: {
    entry: 'functions/campaigns.ts',
    table: { actions: ['GetItem', 'Query', 'PutItem'], writesTo: ['CAMPAIGNS'] },
    bucket: 'none',
  },
  jurisdictions: { entry: 'functions/jurisdictions.ts', table: 'none', bucket: 'none' },
  applications: {
    entry: 'functions/applications.ts',
    // DeleteItem: a renamed draft releases its old name's one-filing-per-cluster guard.
    table: {
      actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
      // REGISTER#: a submitted re-review puts its register entry under re-review (shared/register/).
      writesTo: ['APP#', 'CLUSTER#', 'IDEMP#', 'TALLY#', 'REGISTER#'],
    },
    bucket: 'none',
  },
  evidence: {
    entry: 'functions/evidence.ts',
    // DeleteItem: a removed evidence item and its content-hash claim (the object is left to S3's lifecycle).
    table: {
      actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
      writesTo: ['APP#', 'IDEMP#'],
    },
    bucket: 'put',
  },
  /**
   * Review links and decisions; also reads evidence for short-lived download links, and presigns
   * the city's own uploads from the review page (it alone checks the review links). Also the
   * public notice (/notice) and its objections' triage: it already reads applications, writes
   * objections and sends email.
   */
  reviews: {
    entry: 'functions/reviews.ts',
    table: {
      actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
      // TALLY#: withdrawing a draft (no execution to stop) moves it between the campaign's tallies.
      // REVIEWER_GAPS: a resend with nobody registered notes the jurisdiction's gap.
      // OBJECTION#: an objection's receipt, by which the objector looks up the outcome.
      // IDEMP#: the review page's uploader sends its requests with an Idempotency-Key.
      // LEVELDOC#: a level's own documents (their upload requests), filed from the console or a link.
      // QUOTAHOLD#: the keys a quota slot was reserved under, written with it and deleted with it.
      // REVOCATIONS: requests to cancel for false information; REGISTER#: a confirmed one revokes the entry.
      writesTo: [
        'APP#',
        'QUOTA#',
        'TALLY#',
        'REVIEWER_GAPS',
        'OBJECTION#',
        'IDEMP#',
        'LEVELDOC#',
        'QUOTAHOLD#',
        'REVOCATIONS',
        'REGISTER#',
      ],
    },
    bucket: 'read-put',
    mail: true,
    links: true,
    limiter: true,
  },
  /** The operators' JSON API and the console pages (/console): reads, redrives executions, counts sign-ins. */
  ops: {
    entry: 'functions/ops.ts',
    // Reads, and one write: the audit event of a redrive, in the application's own partition.
    table: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem'], writesTo: ['APP#'] },
    bucket: 'none',
    stateMachine: 'operate',
    limiter: true,
  },
  /** Summary tables (推荐汇总表, 复核情况汇总表, typical cases) as XLSX and CSV. */
  exports: { entry: 'functions/exports.ts', table: { actions: ['GetItem', 'Query'] }, bucket: 'none' },
  /**
   * The register of recognised clusters (shared/register/): reads it and the recognised
   * applications (the migration), writes register entries. The migration of typical cases also
   * rewrites an application (APP#: the record and its audit event, in one transaction) and moves
   * its campaign's tallies (TALLY#).
   */
  register: {
    entry: 'functions/register.ts',
    table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], writesTo: ['REGISTER#', 'APP#', 'TALLY#'] },
    bucket: 'none',
  },
  /**
   * Annual reports (shared/annual-report/): reads the register and the reports, writes reports,
   * uploads and forwardings (ANNUAL#; a filing checks in its transaction that its upload was not
   * removed, a removal that no filing took the upload: ConditionCheckItem), presigns the report
   * files' uploads and deletes the files the county removes.
   */
  annualReports: {
    entry: 'functions/annual-reports.ts',
    table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'], writesTo: ['ANNUAL#'] },
    bucket: 'annual-reports',
  },
  /**
   * Submission packages (shared/package/): starts builds and verifications (a record and a request
   * object the builder is notified of), lists packages, presigns their downloads; the console page.
   */
  packages: {
    entry: 'functions/packages.ts',
    table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], writesTo: ['PACKAGES#'] },
    bucket: 'package-requests',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Functions triggered by events rather than HTTP. */
export const EVENT_FUNCTIONS = {
  /**
   * Also checks the levels' own documents (LEVELDOC#), and once a formal letter is VALID completes
   * the level's waiting formal-letter steps through the review desk's decision path: the review
   * items (APP#), a quota slot where the step is the level's forwarding (QUOTA#, with the keys it was held under: QUOTAHOLD#), and the task's
   * SendTaskSuccess (granted with the ladder: infra/constructs/handler-functions.ts); over a full
   * quota it emails the level's reviewers, once (the audit's QUOTA_FULL_TOLD, under APP#).
   */
  validator: {
    entry: 'functions/validator.ts',
    table: {
      actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
      // REVIEWER_GAPS: telling a level with nobody registered of a full quota notes the gap.
      writesTo: ['APP#', 'LEVELDOC#', 'QUOTA#', 'QUOTAHOLD#', 'ANNUAL#', 'REVIEWER_GAPS'],
    },
    bucket: 'readwrite',
    // The formal-letter gate emails the level of an application waiting over a full quota, with a
    // link to its console inbox: PUBLIC_BASE_URL, and never the link key (it mints no review link).
    mail: true,
    consoleLinks: true,
  },
  /** Builds and verifies submission packages, on request objects under package-requests/. */
  packageBuilder: {
    entry: 'functions/package-builder.ts',
    table: { actions: ['GetItem', 'Query', 'UpdateItem'], writesTo: ['PACKAGES#'] },
    bucket: 'package-build',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Functions run on a schedule (EventBridge Scheduler in AWS, a timer in `npm start`). */
export const SCHEDULED_FUNCTIONS = {
  /** Deadline reminders and escalation; pending and overdue metrics. */
  sweeper: {
    entry: 'functions/sweeper.ts',
    table: {
      actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
      // REVIEWER_GAPS: a reminder for a jurisdiction with nobody registered notes the gap.
      writesTo: ['APP#', 'REVIEWER_GAPS'],
    },
    bucket: 'none',
    everyMinutes: 60,
    mail: true,
    links: true,
  },
} as const satisfies Record<string, FunctionSpec & { everyMinutes: number }>;

export type ApiFunctionName = keyof typeof API_FUNCTIONS;
export type EventFunctionName = keyof typeof EVENT_FUNCTIONS;
export type ScheduledFunctionName = keyof typeof SCHEDULED_FUNCTIONS;

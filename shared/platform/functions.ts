/**
 * The function catalog: every Lambda handler outside the review ladder, with what it may touch.
 * One declaration read by the CDK stack (one function per entry, with exactly this access), the
 * local runtime (the same modules behind its gateway, its S3 events and its timers) and the route
 * table (each route names the API function that serves it). The ladder's tasks are declared
 * beside the workflow contract, in shared/ladder/tasks.ts.
 */

export interface FunctionSpec {
  entry: string;
  table: 'none' | 'read' | 'readwrite';
  /** put = may presign uploads; readwrite = reads evidence and moves strays to quarantine. */
  bucket: 'none' | 'put' | 'read' | 'readwrite';
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
   * Counts per-client limits (shared/platform/limits/): a function that only reads the table may
   * still update the limiter's counters, and nothing else (items whose key begins LIMIT#). @default false
   */
  limiter?: boolean;
}

/** Functions behind the HTTP API; each module dispatches on the API Gateway `routeKey`. */
export const API_FUNCTIONS = {
  campaigns: { entry: 'functions/campaigns.ts', table: 'readwrite', bucket: 'none' },
  jurisdictions: { entry: 'functions/jurisdictions.ts', table: 'none', bucket: 'none' },
  applications: { entry: 'functions/applications.ts', table: 'readwrite', bucket: 'none' },
  evidence: { entry: 'functions/evidence.ts', table: 'readwrite', bucket: 'put' },
  /**
   * Review links and decisions; also reads evidence for short-lived download links. Also the
   * public notice (/notice) and its objections' triage: it already reads applications, writes
   * objections and sends email.
   */
  reviews: {
    entry: 'functions/reviews.ts',
    table: 'readwrite',
    bucket: 'read',
    mail: true,
    links: true,
    limiter: true,
  },
  /** The operators' JSON API and the console pages (/console): reads, redrives executions, counts sign-ins. */
  ops: { entry: 'functions/ops.ts', table: 'read', bucket: 'none', stateMachine: 'operate', limiter: true },
  /** Summary tables (推荐汇总表, 复核情况汇总表, typical cases) as XLSX and CSV. */
  exports: { entry: 'functions/exports.ts', table: 'read', bucket: 'none' },
} as const satisfies Record<string, FunctionSpec>;

/** Functions triggered by events rather than HTTP. */
export const EVENT_FUNCTIONS = {
  validator: { entry: 'functions/validator.ts', table: 'readwrite', bucket: 'readwrite' },
} as const satisfies Record<string, FunctionSpec>;

/** Functions run on a schedule (EventBridge Scheduler in AWS, a timer in `npm start`). */
export const SCHEDULED_FUNCTIONS = {
  /** Deadline reminders and escalation; pending and overdue metrics. */
  sweeper: {
    entry: 'functions/sweeper.ts',
    table: 'readwrite',
    bucket: 'none',
    everyMinutes: 60,
    mail: true,
    links: true,
  },
} as const satisfies Record<string, FunctionSpec & { everyMinutes: number }>;

export type ApiFunctionName = keyof typeof API_FUNCTIONS;
export type EventFunctionName = keyof typeof EVENT_FUNCTIONS;
export type ScheduledFunctionName = keyof typeof SCHEDULED_FUNCTIONS;

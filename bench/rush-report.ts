/** The deadline rush's figures (bench/rush.ts) and how `npm run bench` prints them. */

/** One timed series, with its percentiles as ratios to the trivial GET's in the same run. */
export interface RouteFigure {
  name: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
  /** p50 ÷ the trivial GET's p50. */
  p50Ratio: number;
  /** p99 ÷ the trivial GET's p99 (goal ≤ 10). */
  p99Ratio: number;
}

export interface RushResult {
  officials: number;
  /** County files per application. */
  files: number;
  /** Officials in flight at most, and files each uploads at once. */
  concurrency: number;
  uploadsInFlight: number;
  reviewStages: string[];
  faults?: {
    handlerRate: number;
    dynamoDbRate: number;
    /** Handler faults injected, of invocations seen; API faults among them. */
    injected: number;
    invocations: number;
    apiInjected: number;
    byKind: Record<string, number>;
    dynamoDbThrottled: number;
    /** Requests still throttled after the SDK's retries: the handler saw the error (a 500, for an API call). */
    dynamoDbSurfaced: number;
  };
  seconds: number;
  capSeconds: number;
  /** The cap ended the run before every official and reviewer was done. */
  cappedOut: boolean;
  /** Officials the cap left unstarted. */
  notStarted: number;
  created: number;
  submitted: number;
  decided: { city: number; province: number };
  provinceApproved: number;
  quotaRefusals: number;
  /** Evidence objects in the bucket (every upload S3 answered 2xx), and of those with a verdict recorded. */
  stored: number;
  verdictsRecorded: number;
  serverErrors: { total: number; byRoute: Record<string, number> };
  retries: { client: number; recovered: number; validator: number; deadLettersReplayed: number; sdk: number };
  /** The trivial GET, probed one at a time through the whole rush. */
  baseline: RouteFigure;
  routes: RouteFigure[];
  /** What went wrong; every list must be empty. */
  problems: {
    failures: string[];
    lost: string[];
    doubledDrafts: string[];
    doubledEvidence: string[];
    doubledVerdicts: string[];
    doubledExecutions: string[];
    missingExecutions: string[];
    quota: string[];
  };
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(1, width - [...text].length));
const ratio = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}` : '—');

export function rushReport(r: RushResult): string[] {
  const p = r.problems;
  const worstP99 = Math.max(...r.routes.map((route) => route.p99Ratio).filter(Number.isFinite));
  const errorsByRoute = Object.entries(r.serverErrors.byRoute)
    .map(([route, n]) => `${route} ${n}`)
    .join(', ');
  const lines = [
    `Deadline rush${r.faults ? ' under faults' : ''}: ${r.officials} county officials in the last hour before the submission deadline (whole local pipeline)`,
    `  load                ${r.files} files each through presigned POSTs (${r.uploadsInFlight} at a time), ${r.concurrency} officials in flight; reviewers decide ${r.reviewStages.join(' + ')} by the emailed links`,
    `  time                ${r.seconds} s (cap ${r.capSeconds} s${r.cappedOut ? `, REACHED: ${r.notStarted} officials not started` : ''})`,
    `  done                ${r.created} drafts, ${r.stored} files stored, ${r.verdictsRecorded} verdicts recorded, ${r.submitted} submitted; ` +
      `decided city ${r.decided.city}, province ${r.decided.province} (${r.provinceApproved} recommended, ${r.quotaRefusals} refused for quota)`,
  ];
  if (r.faults) {
    const kinds = Object.entries(r.faults.byKind)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
    lines.push(
      `  faults              ${r.faults.injected} of ${r.faults.invocations} handler invocations (${Math.round(r.faults.handlerRate * 100)} %; ${kinds}; API ${r.faults.apiInjected}), ` +
        `${r.faults.dynamoDbThrottled} DynamoDB throttles (${Math.round(r.faults.dynamoDbRate * 100)} %)`,
    );
  }
  lines.push(
    `  5xx answers         ${r.serverErrors.total}${errorsByRoute ? ` (${errorsByRoute})` : ''}` +
      (r.faults
        ? `; ${r.faults.apiInjected} API faults injected, ${r.faults.dynamoDbSurfaced} requests throttled past the SDK's retries; every 5xx was sent again`
        : ' (goal 0)'),
    `  uploads lost        ${p.lost.length} of ${r.stored} stored (goal 0)`,
    `  doubled             drafts ${p.doubledDrafts.length}, evidence items ${p.doubledEvidence.length}, verdicts ${p.doubledVerdicts.length}, ` +
      `executions ${p.doubledExecutions.length} (missing ${p.missingExecutions.length}), quota slots ${p.quota.length} (goal 0 each)`,
    `  retries             people ${r.retries.client} (${r.retries.recovered} found their request had landed), validator ${r.retries.validator}, ` +
      `dead letters replayed ${r.retries.deadLettersReplayed}, SDK ${r.retries.sdk}`,
    `  failures            ${p.failures.length} (officials or reviewers who could not finish)`,
    `  latency as ratios to ${r.baseline.name} probed in the same run (p50 ${ms(r.baseline.p50Ms)} ms, p99 ${ms(r.baseline.p99Ms)} ms, ${r.baseline.count} probes); worst p99 ratio ${ratio(worstP99)} (goal ≤ 10)`,
    `    ${pad('route', 58)}${pad('count', 8)}${pad('p50×', 8)}${pad('p99×', 8)}p50 / p99 ms`,
    ...r.routes.map(
      (route) =>
        `    ${pad(route.name, 58)}${pad(String(route.count), 8)}${pad(ratio(route.p50Ratio), 8)}${pad(ratio(route.p99Ratio), 8)}${ms(route.p50Ms)} / ${ms(route.p99Ms)}`,
    ),
    ...[
      ...p.failures,
      ...p.lost,
      ...p.doubledDrafts,
      ...p.doubledEvidence,
      ...p.doubledVerdicts,
      ...p.doubledExecutions,
      ...p.missingExecutions,
      ...p.quota,
    ]
      .slice(0, 20)
      .map((problem) => `    ! ${problem}`),
  );
  return lines;
}

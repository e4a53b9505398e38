import { assertAllowed, ForbiddenError, isOperatorScope, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import type { Campaign } from '../rules/campaign.ts';
import { MIIT_CODE, placeName, placePath } from '../rules/jurisdictions.ts';
import { type ApplicationStatus, ENDED_STATUSES } from '../schemas/common.ts';
import { beijingDate } from '../platform/time.ts';
import {
  type CalendarDay,
  CampaignQuerySchema,
  type FailedExecution,
  type LateItem,
  type OpsSummary,
  type StatusCounts,
} from '../schemas/ops.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { Tally } from '../schemas/tallies.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import type { Clock } from '../ports/core.ts';
import type { ClosedExecutionView, ExecutionsAdmin, OpsReads } from '../ports/operations.ts';
import { parseOrThrow } from '../platform/parse.ts';
import { addCounts, placeCounts, totalOf, tracksOf } from './counts.ts';
import { provincialGauges } from './gauges.ts';
import { applicationOfExecution } from './redrive.ts';
import { STATUS_STAGE } from '../ladder/contract.ts';

/**
 * The national board: every province's counts, where applications wait, the deadline calendar,
 * the late list, provincial quota gauges and failed executions. National operators only (a
 * provincial operator is pointed to its own drill-down, ./drill-down.ts).
 */

export interface SummaryDeps {
  campaigns: Pick<CampaignCatalog, 'get'>;
  reads: Pick<OpsReads, 'tallies' | 'late' | 'quotaCounters' | 'applications'>;
  executions: Pick<ExecutionsAdmin, 'failures'>;
  clock: Clock;
}

const LATE_LIMIT = 100;
const FAILURE_LIMIT = 50;
const DAY_MS = 86_400_000;

/** Where an open application waits, by status (the board's stage columns). */
const WAITING_AT: Partial<Record<ApplicationStatus, string>> = {
  DRAFT: 'draft',
  SUBMITTED: 'submitted',
  // A stage's review: the stage's own name, from the one stage ↔ status map.
  ...STATUS_STAGE,
  PUBLIC_NOTICE: 'public-notice',
  RETURNED: 'returned',
};

/** The national board. @throws ForbiddenError unless the principal watches the whole country */
export async function nationalSummary(deps: SummaryDeps, rawQuery: unknown, principal: Principal): Promise<OpsSummary> {
  const query = parseOrThrow(CampaignQuerySchema, rawQuery ?? {}, 'query');
  assertWatchesNation(principal);
  const campaign = await deps.campaigns.get(query.campaignId);
  const tracks = tracksOf(campaign, query);
  const now = deps.clock();
  const inTracks = (t: Tally) => tracks.includes(t.track);

  const [provinceTallies, dueTallies, late, failures] = await Promise.all([
    deps.reads.tallies(campaign.campaignId, 'province').then((ts) => ts.filter(inTracks)),
    deps.reads.tallies(campaign.campaignId, 'due').then((ts) => ts.filter(inTracks)),
    deps.reads.late(campaign.campaignId, now, LATE_LIMIT).then((as) => as.filter((a) => tracks.includes(a.track))),
    deps.executions.failures(FAILURE_LIMIT),
  ]);
  const provinces = placeCounts(provinceTallies, (t) => t.provincialCode);
  const byStatus: StatusCounts = {};
  for (const tally of provinceTallies) addCounts(byStatus, tally.status, tally.count);

  const [quotas, failedExecutions] = await Promise.all([
    provincialGauges(deps.reads, campaign, tracks, provinces),
    failedExecutionsOf(deps.reads, failures),
  ]);
  return {
    campaign: { campaignId: campaign.campaignId, name: campaign.name.zh, nameEn: campaign.name.en, tracks },
    generatedAt: now.toISOString(),
    totals: { total: totalOf(byStatus), byStatus },
    provinces,
    stages: stageLoad(byStatus, late, now),
    calendar: calendar(campaign, dueTallies, now),
    late: late.map((application) => lateItem(application, now)),
    quotas,
    failedExecutions,
  };
}

async function failedExecutionsOf(
  reads: Pick<OpsReads, 'applications'>,
  failures: readonly ClosedExecutionView[],
): Promise<FailedExecution[]> {
  const ids = failures.map((f) => applicationOfExecution(f.executionName)).filter((id) => id !== undefined);
  const applications = ids.length > 0 ? await reads.applications(ids) : [];
  const names = new Map(applications.map((a) => [a.applicationId, a.clusterName]));
  return failures
    .map((f) => {
      const applicationId = applicationOfExecution(f.executionName);
      const clusterName = applicationId ? names.get(applicationId) : undefined;
      return {
        executionName: f.executionName,
        executionArn: f.executionArn,
        ...(applicationId !== undefined && { applicationId }),
        ...(clusterName !== undefined && { clusterName }),
        status: f.status,
        startDate: f.startDate.toISOString(),
        ...(f.stopDate && { stopDate: f.stopDate.toISOString() }),
        ...(f.error !== undefined && { error: f.error }),
        ...(f.cause !== undefined && { cause: f.cause }),
        redriveCount: f.redriveCount,
        redrivable: f.redrivable,
      };
    })
    .sort((a, b) => (b.stopDate ?? b.startDate).localeCompare(a.stopDate ?? a.startDate));
}

/**
 * The national board shows every province, its late list and every failed execution: national
 * operators only. A provincial operator is pointed to its own drill-down instead.
 */
function assertWatchesNation(principal: Principal): void {
  if (may.watch(principal, MIIT_CODE)) return;
  if (principal.role !== 'operator' || !isOperatorScope(principal.jurisdiction)) {
    assertAllowed(false, 'watch', principal);
  }
  const drillDown = `/v1/ops/jurisdictions/${principal.jurisdiction}`;
  throw new ForbiddenError(
    `The national board is for national operators; an operator of ${principal.jurisdiction} watches ${drillDown}`,
    [
      {
        field: 'authorization',
        code: 'FORBIDDEN',
        message: `全国总览仅限国家级运维人员，请查看本辖区 ${drillDown} / the national board is for national operators: see ${drillDown}`,
        drillDown,
      },
    ],
  );
}

function lateItem(application: ApplicationRecord, now: Date): LateItem {
  return {
    applicationId: application.applicationId,
    clusterName: application.clusterName,
    countyCode: application.countyCode,
    place: placePath(application.countyCode),
    provincialCode: application.provincialCode,
    status: application.status,
    ...(application.stage !== undefined && { stage: application.stage }),
    dueAt: application.dueAt,
    daysLate: Math.round(((now.getTime() - Date.parse(application.dueAt)) / DAY_MS) * 10) / 10,
  };
}

/** Open applications per waiting point; overdue = past due while open, or declared OVERDUE there. */
function stageLoad(byStatus: StatusCounts, late: readonly ApplicationRecord[], now: Date): OpsSummary['stages'] {
  const load = new Map<string, { pending: number; overdue: number }>();
  for (const [status, count] of Object.entries(byStatus) as [ApplicationStatus, number][]) {
    const at = WAITING_AT[status];
    if (!at) continue;
    load.set(at, { pending: (load.get(at)?.pending ?? 0) + count, overdue: load.get(at)?.overdue ?? 0 });
  }
  for (const application of late) {
    const at = application.status === 'OVERDUE' ? application.stage : WAITING_AT[application.status];
    if (!at || Date.parse(application.dueAt) >= now.getTime()) continue;
    const entry = load.get(at) ?? { pending: 0, overdue: 0 };
    load.set(at, { ...entry, overdue: entry.overdue + 1 });
  }
  const order = Object.values(WAITING_AT);
  return [...load]
    .map(([stage, counts]) => ({ stage, ...counts }))
    .sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage));
}

/** Pending applications per deadline day, with the campaign's own dates marked. */
function calendar(campaign: Campaign, dueTallies: readonly Tally[], now: Date): CalendarDay[] {
  const today = beijingDate(now.toISOString());
  const milestones = new Map<string, string[]>();
  const mark = (iso: string | undefined, title: string) => {
    if (!iso) return;
    const day = beijingDate(iso);
    milestones.set(day, [...(milestones.get(day) ?? []), title]);
  };
  const c = campaign.calendar;
  mark(c.submission, '县级申报截止 / county submission deadline');
  mark(c.city, '市级推荐截止 / city deadline');
  mark(c.province, '省级推荐截止 / provincial deadline');
  mark(c.miit, '工业和信息化部审核截止 / MIIT deadline');
  for (const overlay of campaign.overlays) {
    const name = placeName(overlay.provinceCode) ?? overlay.provinceCode;
    mark(overlay.calendar?.city, `${name}：市级推荐截止 / city deadline`);
    mark(overlay.calendar?.province, `${name}：省级推荐截止 / provincial deadline`);
    for (const milestone of overlay.milestones)
      mark(milestone.date, `${name}：${milestone.title.zh} / ${milestone.title.en}`);
  }

  const days = new Map<string, StatusCounts>();
  for (const tally of dueTallies) {
    if (!tally.dueDate || ENDED_STATUSES.has(tally.status)) continue;
    const counts = days.get(tally.dueDate) ?? {};
    addCounts(counts, tally.status, tally.count);
    days.set(tally.dueDate, counts);
  }
  const dates = new Set([...days.keys(), ...milestones.keys()]);
  return [...dates]
    .sort()
    .map((date) => {
      const byStatus = days.get(date) ?? {};
      return { date, total: totalOf(byStatus), byStatus, past: date < today, milestones: milestones.get(date) ?? [] };
    })
    .filter((day) => day.total > 0 || !day.past);
}

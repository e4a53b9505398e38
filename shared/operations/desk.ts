import { randomUUID } from 'node:crypto';
import { assertAllowed, ForbiddenError, isOperatorScope, may } from '../platform/auth/policy.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { type Campaign, effectiveRules } from '../rules/campaign.ts';
import {
  childrenOf,
  findJurisdiction,
  getJurisdiction,
  isProvincialRank,
  MIIT_CODE,
  parentChain,
  placeName,
  placePath,
  provincialLevelOf,
} from '../rules/jurisdictions.ts';
import { type ApplicationStatus, beijingDate, ENDED_STATUSES, type Track } from '../schemas/common.ts';
import {
  type CalendarDay,
  type CampaignQuery,
  CampaignQuerySchema,
  type FailedExecution,
  type JurisdictionDrillDown,
  type LateItem,
  type OpsSummary,
  type PlaceCounts,
  type QuotaGauge,
  type RedriveResult,
  type StatusCounts,
} from '../schemas/ops.ts';
import type { ApplicationRecord, AuditEvent } from '../schemas/records.ts';
import type { Tally, TallyKind } from '../schemas/tallies.ts';
import type { QuotaScope, QuotaUse } from '../ports/quotas.ts';
import type { CampaignCatalog } from '../intake/campaigns.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Clock, Records } from '../ports/core.ts';
import { parseOrThrow } from '../platform/parse.ts';

/**
 * What operators see: where every application stands, what is late, what failed, how much quota
 * is left. Every read goes through an index or a known key (the ops summary is 4 DynamoDB
 * requests however many applications there are: tallies by province, tallies by deadline day,
 * the late list, the quota counters; plus one for the applications behind failed executions).
 *
 * Operators see by scope (shared/platform/auth/policy.ts `may.watch`): the national board is for national
 * operators; a provincial operator drills down into its own jurisdiction and what lies below it.
 */

export interface OpsReads {
  tallies(campaignId: string, kind: TallyKind, within?: readonly string[]): Promise<Tally[]>;
  late(campaignId: string, now: Date, limit: number): Promise<ApplicationRecord[]>;
  /** How many slots are used, keyed `<track>#<scope>#<code>`; counters nobody reserved in are absent. */
  quotaCounters(
    campaignId: string,
    counters: readonly { track: string; scope: QuotaScope; code: string }[],
  ): Promise<Map<string, { used: number; limit: number }>>;
  applications(applicationIds: readonly string[]): Promise<ApplicationRecord[]>;
  /** A provincial-rank jurisdiction's applications in a campaign (byJurisdiction). */
  applicationsOf(provincialCode: string, campaignId: string): Promise<ApplicationRecord[]>;
  /** Counter and slot holders of one jurisdiction's quotas (provincial, and a capped city's). */
  quotaUsage(campaignId: string, track: string, jurisdictionCode: string): Promise<QuotaUse[]>;
}

/** A closed execution that did not succeed, as the console lists it. */
export interface ClosedExecutionView {
  executionName: string;
  executionArn: string;
  status: FailedExecution['status'];
  startDate: Date;
  stopDate?: Date;
  error?: string;
  cause?: string;
  redriveCount: number;
  redrivable: boolean;
}

export interface ExecutionsAdmin {
  failures(limit: number): Promise<ClosedExecutionView[]>;
  redrive(executionName: string, clientToken?: string): Promise<{ executionArn: string; redriveDate: Date }>;
}

export interface OpsDeskDeps {
  campaigns: Pick<CampaignCatalog, 'get'>;
  reads: OpsReads;
  executions: ExecutionsAdmin;
  records: Pick<Records, 'appendAudit'>;
  clock: Clock;
  newId?: () => string;
}

const LATE_LIMIT = 100;
const FAILURE_LIMIT = 50;
const APPLICATION_LIMIT = 500;
const DAY_MS = 86_400_000;

/** Where an open application waits, by status (the board's stage columns). */
const WAITING_AT: Partial<Record<ApplicationStatus, string>> = {
  DRAFT: 'draft',
  SUBMITTED: 'submitted',
  CITY_REVIEW: 'city',
  PROVINCE_REVIEW: 'province',
  MIIT_REVIEW: 'miit',
  PUBLIC_NOTICE: 'public-notice',
  RETURNED: 'returned',
};

/** `<applicationId>-r<revision>`: see executionName in shared/adapters/sfn-workflow.ts. */
const EXECUTION_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-r\d+$/;
export const applicationOfExecution = (name: string) => EXECUTION_NAME.exec(name)?.[1];

function addCounts(into: StatusCounts, status: ApplicationStatus, count: number): void {
  into[status] = (into[status] ?? 0) + count;
}

function totalOf(counts: StatusCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
}

/** Sums tallies into places, keyed by `placeOf` (undefined: not counted). */
function placeCounts(tallies: readonly Tally[], placeOf: (t: Tally) => string | undefined): PlaceCounts[] {
  const places = new Map<string, StatusCounts>();
  for (const tally of tallies) {
    const code = placeOf(tally);
    if (code === undefined) continue;
    const counts = places.get(code) ?? {};
    addCounts(counts, tally.status, tally.count);
    places.set(code, counts);
  }
  return [...places]
    .map(([code, byStatus]) => ({ code, name: placeName(code) ?? code, total: totalOf(byStatus), byStatus }))
    .filter((place) => place.total > 0)
    .sort((a, b) => a.code.localeCompare(b.code));
}

function tracksOf(campaign: Campaign, query: CampaignQuery): Track[] {
  const tracks = Object.keys(campaign.tracks) as Track[];
  if (query.track === undefined) return tracks;
  if (!tracks.includes(query.track)) {
    throw new ValidationError(`Campaign ${campaign.campaignId} has no track ${query.track}`, [
      { field: 'query.track', code: 'UNKNOWN_TRACK', message: `the campaign's tracks are ${tracks.join(', ')}` },
    ]);
  }
  return [query.track];
}

export class OpsDesk {
  private readonly newId: () => string;

  constructor(private readonly deps: OpsDeskDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  /** The national board. @throws ForbiddenError unless the principal watches the whole country */
  async summary(rawQuery: unknown, principal: Principal): Promise<OpsSummary> {
    const query = parseOrThrow(CampaignQuerySchema, rawQuery ?? {}, 'query');
    assertWatchesNation(principal);
    const campaign = await this.deps.campaigns.get(query.campaignId);
    const tracks = tracksOf(campaign, query);
    const now = this.deps.clock();
    const inTracks = (t: Tally) => tracks.includes(t.track);

    const [provinceTallies, dueTallies, late, failures] = await Promise.all([
      this.deps.reads.tallies(campaign.campaignId, 'province').then((ts) => ts.filter(inTracks)),
      this.deps.reads.tallies(campaign.campaignId, 'due').then((ts) => ts.filter(inTracks)),
      this.deps.reads.late(campaign.campaignId, now, LATE_LIMIT).then((as) => as.filter((a) => tracks.includes(a.track))),
      this.deps.executions.failures(FAILURE_LIMIT),
    ]);
    const provinces = placeCounts(provinceTallies, (t) => t.provincialCode);
    const byStatus: StatusCounts = {};
    for (const tally of provinceTallies) addCounts(byStatus, tally.status, tally.count);

    const [quotas, failedExecutions] = await Promise.all([
      this.provincialGauges(campaign, tracks, provinces),
      this.failedExecutions(failures),
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

  /** A provincial-rank jurisdiction, a city or a county: counts one level down, its applications, its quotas. */
  async jurisdiction(code: string, rawQuery: unknown, principal: Principal): Promise<JurisdictionDrillDown> {
    const query = parseOrThrow(CampaignQuerySchema, rawQuery ?? {}, 'query');
    const place = findJurisdiction(code);
    if (!place) {
      throw new ValidationError(`Unknown jurisdiction ${code}`, [
        { field: 'path.code', code: 'UNKNOWN_JURISDICTION', message: `no jurisdiction has code ${code}` },
      ]);
    }
    assertAllowed(may.watch(principal, code), 'watch', principal);
    const campaign = await this.deps.campaigns.get(query.campaignId);
    const tracks = tracksOf(campaign, query);
    const provincial = isProvincialRank(place.rank) ? place : provincialLevelOf(childOrSelf(code));
    const now = this.deps.clock();

    const [countyTallies, applications, quotas] = await Promise.all([
      // Only this provincial level's counties: one Query per track, on the sort-key prefix.
      Promise.all(
        tracks.map((track) => this.deps.reads.tallies(campaign.campaignId, 'county', [track, provincial.code])),
      ).then((lists) => lists.flat()),
      this.deps.reads.applicationsOf(provincial.code, campaign.campaignId),
      this.jurisdictionGauges(campaign, tracks, provincial.code, code),
    ]);
    const mine = countyTallies.filter(
      (t) => tracks.includes(t.track) && t.countyCode !== undefined && isWithin(t, code, provincial.code),
    );
    const childCodes = new Set(childrenOf(code).map((child) => child.code));
    const children = placeCounts(mine, (t) => childOf(t, childCodes));
    const byStatus: StatusCounts = {};
    for (const tally of mine) addCounts(byStatus, tally.status, tally.count);

    return {
      campaign: { campaignId: campaign.campaignId, name: campaign.name.zh },
      jurisdiction: {
        code,
        name: place.name,
        rank: place.rank,
        chain: parentChain(code).map((j) => ({ code: j.code, name: j.name })).reverse(),
      },
      generatedAt: now.toISOString(),
      totals: { total: totalOf(byStatus), byStatus },
      children,
      applications: applications
        .filter((a) => tracks.includes(a.track) && (a.countyCode === code || a.cityCode === code || a.provincialCode === code))
        .sort((a, b) => a.countyCode.localeCompare(b.countyCode) || a.clusterName.localeCompare(b.clusterName))
        .slice(0, APPLICATION_LIMIT)
        .map((a) => ({
          applicationId: a.applicationId,
          clusterName: a.clusterName,
          countyCode: a.countyCode,
          place: placePath(a.countyCode),
          status: a.status,
          ...(a.stage !== undefined && { stage: a.stage }),
          dueAt: a.dueAt,
          updatedAt: a.updatedAt,
        })),
      quotas,
    };
  }

  /**
   * Restarts a failed execution at its failed step, and notes it in the application's audit trail.
   * @throws ValidationError for a name that is no ladder execution; NotFoundError when its
   *   application does not exist; ForbiddenError unless the principal operates over it
   */
  async redrive(executionName: string, principal: Principal, requestId: string): Promise<RedriveResult> {
    const applicationId = applicationOfExecution(executionName);
    if (!applicationId) {
      throw new ValidationError(`${executionName} is not a review ladder execution`, [
        { field: 'path.executionName', code: 'NOT_A_LADDER_EXECUTION', message: 'expected <applicationId>-r<revision>' },
      ]);
    }
    const [application] = await this.deps.reads.applications([applicationId]);
    if (!application) throw new NotFoundError(`No application ${applicationId} behind execution ${executionName}`);
    assertAllowed(may.operate(principal, application), 'operate', principal);

    const { executionArn, redriveDate } = await this.deps.executions.redrive(executionName, requestId.slice(0, 64));
    const event: AuditEvent = {
      applicationId,
      eventId: this.newId(),
      at: this.deps.clock().toISOString(),
      action: 'EXECUTION_REDRIVEN',
      actor: principal.sub,
      role: principal.role,
      jurisdiction: principal.jurisdiction,
      requestId,
      detail: { executionName },
    };
    await this.deps.records.appendAudit(event);
    return { executionName, executionArn, redriveDate: redriveDate.toISOString() };
  }

  private async failedExecutions(failures: readonly ClosedExecutionView[]): Promise<FailedExecution[]> {
    const ids = failures.map((f) => applicationOfExecution(f.executionName)).filter((id) => id !== undefined);
    const applications = ids.length > 0 ? await this.deps.reads.applications(ids) : [];
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

  /** Provincial-rank gauges of every jurisdiction with applications, one BatchGetItem for all. */
  private async provincialGauges(campaign: Campaign, tracks: readonly Track[], provinces: readonly PlaceCounts[]) {
    const wanted = tracks.flatMap((track) =>
      provinces.flatMap((province) => {
        const limit = provincialLimit(campaign, track, province.code);
        return limit === null ? [] : [{ track, code: province.code, limit }];
      }),
    );
    const counters = await this.deps.reads.quotaCounters(
      campaign.campaignId,
      wanted.map((w) => ({ track: w.track, scope: 'provincial' as const, code: w.code })),
    );
    return wanted.map(
      (w): QuotaGauge => ({
        scope: 'provincial',
        jurisdictionCode: w.code,
        name: placeName(w.code) ?? w.code,
        track: w.track,
        used: counters.get(`${w.track}#provincial#${w.code}`)?.used ?? 0,
        limit: w.limit,
      }),
    );
  }

  /** The provincial gauge with its holders, and each capped city's under it (or the one asked for). */
  private async jurisdictionGauges(
    campaign: Campaign,
    tracks: readonly Track[],
    provincialCode: string,
    code: string,
  ): Promise<QuotaGauge[]> {
    const cities = code === provincialCode ? childrenOf(provincialCode).filter((c) => !c.applicant) : [getJurisdiction(code)];
    const uses = await Promise.all(
      tracks.flatMap((track) => {
        if (provincialLimit(campaign, track, provincialCode) === null) return [];
        const cityCapped = cityLimit(campaign, track, provincialCode) !== undefined;
        const codes = [provincialCode, ...(cityCapped ? cities.map((c) => c.code) : [])];
        return [...new Set(codes)].map(async (c) => ({ track, uses: await this.deps.reads.quotaUsage(campaign.campaignId, track, c) }));
      }),
    );
    const holderIds = uses.flatMap((u) => u.uses.flatMap((use) => use.holders));
    const names = new Map(
      (holderIds.length > 0 ? await this.deps.reads.applications(holderIds) : []).map((a) => [a.applicationId, a.clusterName]),
    );
    const seen = new Set<string>();
    const gauges: QuotaGauge[] = [];
    for (const { track, uses: list } of uses) {
      for (const use of list) {
        const key = `${track}#${use.scope}#${use.jurisdictionCode}`;
        if (seen.has(key) || use.scope === 'sub-sector') continue;
        seen.add(key);
        gauges.push({
          scope: use.scope,
          jurisdictionCode: use.jurisdictionCode,
          name: placeName(use.jurisdictionCode) ?? use.jurisdictionCode,
          track,
          used: use.used,
          limit: use.limit,
          holders: use.holders.map((applicationId) => ({
            applicationId,
            ...(names.has(applicationId) && { clusterName: names.get(applicationId) }),
          })),
        });
      }
    }
    // A capped jurisdiction nobody reserved in yet still shows its (empty) gauge.
    for (const track of tracks) {
      const limit = provincialLimit(campaign, track, provincialCode);
      if (limit !== null && !seen.has(`${track}#provincial#${provincialCode}`)) {
        gauges.unshift({
          scope: 'provincial',
          jurisdictionCode: provincialCode,
          name: placeName(provincialCode) ?? provincialCode,
          track,
          used: 0,
          limit,
          holders: [],
        });
      }
    }
    return gauges;
  }
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
  throw new ForbiddenError(`The national board is for national operators; an operator of ${principal.jurisdiction} watches ${drillDown}`, [
    {
      field: 'authorization',
      code: 'FORBIDDEN',
      message: `全国总览仅限国家级运维人员，请查看本辖区 ${drillDown} / the national board is for national operators: see ${drillDown}`,
      drillDown,
    },
  ]);
}

/** A county code that lies under `code` (any county of a provincial-rank code, for the rules). */
function childOrSelf(code: string): string {
  const place = getJurisdiction(code);
  if (place.applicant) return code;
  const child = childrenOf(code)[0];
  return child ? childOrSelf(child.code) : code;
}

function isWithin(tally: Tally, code: string, provincialCode: string): boolean {
  return tally.provincialCode === provincialCode && (code === provincialCode || tally.cityCode === code || tally.countyCode === code);
}

/** The child of the drill-down place a county tally belongs to (a city, or the county itself). */
function childOf(tally: Tally, childCodes: ReadonlySet<string>): string | undefined {
  if (tally.cityCode !== undefined && childCodes.has(tally.cityCode)) return tally.cityCode;
  if (tally.countyCode !== undefined && childCodes.has(tally.countyCode)) return tally.countyCode;
  return undefined;
}

function provincialLimit(campaign: Campaign, track: Track, provincialCode: string): number | null {
  const county = childOrSelf(provincialCode);
  return effectiveRules(campaign, track, county).quota.provincial.limit;
}

function cityLimit(campaign: Campaign, track: Track, provincialCode: string): number | undefined {
  const city = childrenOf(provincialCode).find((c) => !c.applicant);
  if (!city) return undefined;
  const limit = effectiveRules(campaign, track, childOrSelf(city.code)).quota.city?.limit;
  return limit ?? undefined;
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
    for (const milestone of overlay.milestones) mark(milestone.date, `${name}：${milestone.title.zh} / ${milestone.title.en}`);
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


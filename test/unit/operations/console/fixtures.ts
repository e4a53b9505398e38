import type { Principal } from '../../../../shared/platform/auth/principal.ts';
import type { ConsoleDeps, InboxView } from '../../../../shared/operations/console/index.ts';
import type { ApiRequest } from '../../../../shared/platform/http/handler.ts';
import {
  type History,
  HistorySchema,
  type JurisdictionDrillDown,
  JurisdictionDrillDownSchema,
  type OpsSummary,
  OpsSummarySchema,
} from '../../../../shared/schemas/ops.ts';
import { PEOPLE } from '../../support.ts';

/**
 * What the console renders, as the ops API answers it: each fixture is parsed with its schema
 * from shared/schemas/ops.ts, so a change of contract breaks these fixtures first.
 */

export const CAMPAIGN_ID = 'miit-2025-recommendation';
export const HOSTILE = '<img src=x onerror=alert(1)>';

export const IDS = {
  dunhua: '0b6f3b7e-4c1a-4d7e-9a57-2f3a1c0d9e11',
  hostile: '1c7a4c8f-5d2b-4e8f-8b68-3a4b2d1e0f22',
  taiyuan: '2d8b5d90-6e3c-4f90-9c79-4b5c3e2f1a33',
  yanji: '3e9c6ea1-7f4d-4a01-8d8a-5c6d4f3a2b44',
};

export const summary: OpsSummary = OpsSummarySchema.parse({
  campaign: {
    campaignId: CAMPAIGN_ID,
    name: '2025年度中小企业特色产业集群',
    nameEn: 'SME characteristic industrial clusters 2025',
    tracks: ['recommendation'],
  },
  generatedAt: '2025-07-20T02:00:00.000Z',
  totals: {
    total: 19,
    byStatus: { CITY_REVIEW: 3, PROVINCE_REVIEW: 10, MIIT_REVIEW: 4, RETURNED: 1, OVERDUE: 1 },
  },
  provinces: [
    {
      code: '140000',
      name: '山西省',
      total: 9,
      byStatus: { PROVINCE_REVIEW: 8, OVERDUE: 1 },
    },
    {
      code: '220000',
      name: '吉林省',
      total: 10,
      byStatus: { CITY_REVIEW: 3, PROVINCE_REVIEW: 2, MIIT_REVIEW: 4, RETURNED: 1 },
    },
  ],
  stages: [
    { stage: 'city', pending: 3, overdue: 1 },
    { stage: 'province', pending: 10, overdue: 0 },
    { stage: 'miit', pending: 4, overdue: 0 },
    { stage: 'returned', pending: 1, overdue: 0 },
  ],
  calendar: [
    { date: '2025-07-15', total: 1, byStatus: { CITY_REVIEW: 1 }, past: true, milestones: [] },
    {
      date: '2025-07-31',
      total: 14,
      byStatus: { PROVINCE_REVIEW: 10, MIIT_REVIEW: 4 },
      past: false,
      milestones: ['工业和信息化部审核截止 / MIIT deadline'],
    },
  ],
  late: [
    {
      applicationId: IDS.hostile,
      clusterName: HOSTILE,
      countyCode: '140105',
      place: '山西省 太原市 小店区',
      provincialCode: '140000',
      status: 'OVERDUE',
      stage: 'city',
      dueAt: '2025-07-15T15:59:59.000Z',
      daysLate: 4.4,
    },
    {
      applicationId: IDS.yanji,
      clusterName: '延吉市食品产业集群',
      countyCode: '222401',
      place: '吉林省 延边朝鲜族自治州 延吉市',
      provincialCode: '220000',
      status: 'CITY_REVIEW',
      stage: 'city',
      dueAt: '2025-07-15T15:59:59.000Z',
      daysLate: 4.4,
    },
  ],
  quotas: [
    { scope: 'provincial', jurisdictionCode: '140000', name: '山西省', track: 'recommendation', used: 3, limit: 8 },
    { scope: 'provincial', jurisdictionCode: '220000', name: '吉林省', track: 'recommendation', used: 8, limit: 8 },
  ],
  failedExecutions: [
    {
      executionName: `${IDS.taiyuan}-r0`,
      executionArn: `arn:aws-cn:states:cn-north-1:000000000000:execution:review-ladder:${IDS.taiyuan}-r0`,
      applicationId: IDS.taiyuan,
      clusterName: '太原市装备制造产业集群',
      status: 'FAILED',
      startDate: '2025-07-19T01:00:00.000Z',
      stopDate: '2025-07-19T01:00:05.000Z',
      error: 'Error',
      cause: '{"errorMessage":"enter-stage: DynamoDB throttled"}',
      redriveCount: 0,
      redrivable: true,
    },
    {
      executionName: `${IDS.dunhua}-r1`,
      executionArn: `arn:aws-cn:states:cn-north-1:000000000000:execution:review-ladder:${IDS.dunhua}-r1`,
      applicationId: IDS.dunhua,
      clusterName: '敦化市医药产业集群',
      status: 'TIMED_OUT',
      startDate: '2025-06-01T01:00:00.000Z',
      stopDate: '2025-06-02T01:00:00.000Z',
      error: 'States.Timeout',
      redriveCount: 1,
      redrivable: false,
    },
  ],
});

export const drillDown: JurisdictionDrillDown = JurisdictionDrillDownSchema.parse({
  campaign: { campaignId: CAMPAIGN_ID, name: '2025年度中小企业特色产业集群' },
  jurisdiction: {
    code: '220000',
    name: '吉林省',
    rank: 'province',
    chain: [{ code: '220000', name: '吉林省' }],
  },
  generatedAt: '2025-07-20T02:00:00.000Z',
  totals: { total: 10, byStatus: { CITY_REVIEW: 3, PROVINCE_REVIEW: 2, MIIT_REVIEW: 4, RETURNED: 1 } },
  children: [
    { code: '220100', name: '长春市', total: 4, byStatus: { PROVINCE_REVIEW: 2, MIIT_REVIEW: 2 } },
    { code: '222400', name: '延边朝鲜族自治州', total: 6, byStatus: { CITY_REVIEW: 3, MIIT_REVIEW: 2, RETURNED: 1 } },
  ],
  applications: [
    {
      applicationId: IDS.dunhua,
      clusterName: '敦化市医药产业集群',
      countyCode: '222403',
      place: '吉林省 延边朝鲜族自治州 敦化市',
      status: 'MIIT_REVIEW',
      stage: 'miit',
      dueAt: '2025-08-15T15:59:59.000Z',
      updatedAt: '2025-07-10T03:00:00.000Z',
    },
    {
      applicationId: IDS.yanji,
      clusterName: '延吉市食品产业集群',
      countyCode: '222401',
      place: '吉林省 延边朝鲜族自治州 延吉市',
      status: 'CITY_REVIEW',
      stage: 'city',
      dueAt: '2025-07-15T15:59:59.000Z',
      updatedAt: '2025-07-01T03:00:00.000Z',
    },
  ],
  quotas: [
    {
      scope: 'provincial',
      jurisdictionCode: '220000',
      name: '吉林省',
      track: 'recommendation',
      used: 2,
      limit: 8,
      holders: [
        { applicationId: IDS.dunhua, clusterName: '敦化市医药产业集群' },
        { applicationId: IDS.hostile, clusterName: HOSTILE },
      ],
    },
  ],
});

export const history: History = HistorySchema.parse({
  applicationId: IDS.dunhua,
  clusterName: '敦化市医药产业集群',
  status: 'CITY_REVIEW',
  track: 'recommendation',
  events: [
    {
      applicationId: IDS.dunhua,
      eventId: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
      at: '2025-07-01T02:30:00.000Z',
      action: 'SUBMITTED',
      actor: 'county:222403',
      role: 'applicant',
      jurisdiction: '222403',
      fromStatus: 'DRAFT',
      toStatus: 'SUBMITTED',
      requestId: 'req-submit-1',
    },
    {
      applicationId: IDS.dunhua,
      eventId: 'aa0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
      at: '2025-07-02T08:00:00.000Z',
      action: 'RETURNED',
      actor: 'reviewer@yanbian.example.gov.cn',
      role: 'reviewer',
      jurisdiction: '222400',
      fromStatus: 'CITY_REVIEW',
      toStatus: 'RETURNED',
      reason: `产值数据与统计年鉴不一致 ${HOSTILE}`,
      requestId: 'req-decide-2',
    },
    {
      applicationId: IDS.dunhua,
      eventId: 'ba0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
      at: '2025-07-03T01:00:00.000Z',
      action: 'EXECUTION_REDRIVEN',
      actor: 'operator',
      role: 'operator',
      requestId: 'req-redrive-3',
      detail: { executionName: `${IDS.dunhua}-r1` },
    },
  ],
});

export const inboxView: InboxView = {
  jurisdiction: { code: '220000', name: '吉林省' },
  status: 'PENDING',
  reviews: [
    {
      reviewId: `${IDS.yanji}.province.0.1`,
      applicationId: IDS.yanji,
      clusterName: HOSTILE,
      countyCode: '222401',
      countyName: '延吉市',
      stage: 'province',
      round: 1,
      campaignId: CAMPAIGN_ID,
      track: 'recommendation',
      deadline: '2025-07-15T15:59:59.000Z',
      deadlineBeijing: '2025年7月15日 23:59（北京时间）',
      overdue: true,
      openedAt: '2025-07-01T00:00:00.000Z',
    },
    {
      reviewId: `${IDS.dunhua}.province.0.2`,
      applicationId: IDS.dunhua,
      clusterName: '敦化市医药产业集群',
      countyCode: '222403',
      countyName: '敦化市',
      stage: 'province',
      round: 2,
      campaignId: CAMPAIGN_ID,
      track: 'recommendation',
      deadline: '2025-07-31T15:59:59.000Z',
      deadlineBeijing: '2025年7月31日 23:59（北京时间）',
      overdue: false,
      openedAt: '2025-07-10T00:00:00.000Z',
    },
  ],
  lapsed: [],
  ranking: [
    {
      campaignId: CAMPAIGN_ID,
      track: 'recommendation',
      candidates: [
        {
          rank: 1,
          reviewId: `${IDS.taiyuan}.province.0.1`,
          applicationId: IDS.taiyuan,
          clusterName: '长春市汽车零部件产业集群',
          countyCode: '220102',
          weightedScore: 91.5,
          scores: {},
          decision: 'approve',
          decidedAt: '2025-07-12T02:00:00.000Z',
        },
      ],
    },
  ],
};

export interface FakeDeps extends ConsoleDeps {
  calls: { summary: unknown[]; jurisdiction: unknown[]; history: string[]; inbox: unknown[]; principals: Principal[] };
}

/** Console dependencies answering the fixtures, recording what they were asked. */
export function fakeDeps(
  overrides: Partial<ConsoleDeps['ops']> & { inbox?: ConsoleDeps['inbox'] | null } = {},
): FakeDeps {
  const calls: FakeDeps['calls'] = { summary: [], jurisdiction: [], history: [], inbox: [], principals: [] };
  const { inbox, ...ops } = overrides;
  return {
    calls,
    ops: {
      summary: async (query, principal) => (calls.summary.push(query), calls.principals.push(principal), summary),
      jurisdiction: async (code, query, principal) => (
        calls.jurisdiction.push({ code, ...query }),
        calls.principals.push(principal),
        drillDown
      ),
      history: async (id, principal) => (calls.history.push(id), calls.principals.push(principal), history),
      ...ops,
    },
    campaigns: async () => [
      {
        campaignId: CAMPAIGN_ID,
        name: { zh: '2025年度中小企业特色产业集群', en: 'SME clusters 2025' },
        year: 2025,
        open: true,
      },
      {
        campaignId: 'miit-2024-typical-cases',
        name: { zh: '2024年典型案例', en: 'Typical cases 2024' },
        year: 2024,
        open: false,
      },
    ],
    ...(inbox !== null && { inbox: inbox ?? (async (query) => (calls.inbox.push(query), inboxView)) }),
  };
}

/** A console request as functions/ops.ts hands it over: signed in (a national operator unless said). */
export function consoleRequest(
  page: string | undefined,
  query: Record<string, string> = {},
  principal: Principal | null = PEOPLE.nationalOperator,
): ApiRequest {
  return {
    pathParameters: page === undefined ? {} : { page },
    query,
    body: undefined,
    headers: {},
    requestId: 'req-console-1',
    ...(principal && { principal }),
  };
}

/** The `<tr data-code="…">` row of a table, or throws. */
export function row(html: string, attribute: string, value: string): string {
  const start = html.indexOf(`<tr ${attribute}="${value}"`);
  if (start < 0) throw new Error(`no row ${attribute}=${value}`);
  return html.slice(start, html.indexOf('</tr>', start));
}

/** The number in a row's cell for a status. */
export function cell(rowHtml: string, status: string): number {
  const match = new RegExp(`data-status="${status}">(\\d+)<`).exec(rowHtml);
  if (!match?.[1]) throw new Error(`no cell for ${status}`);
  return Number(match[1]);
}

/** The text of a section (by id), tags left in. */
export function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  if (start < 0) throw new Error(`no section ${id}`);
  return html.slice(start, html.indexOf('</section>', start));
}

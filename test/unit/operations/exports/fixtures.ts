import { miit2025Recommendation } from '../../../../shared/rules/campaigns/miit-2025-recommendation.ts';
import type { ApplicationStatus } from '../../../../shared/schemas/common.ts';
import type { ApplicationRecord } from '../../../../shared/schemas/records.ts';
import { type ReviewRecord, ReviewRecordSchema, reviewIdOf } from '../../../../shared/schemas/reviews.ts';
import type { StageName } from '../../../../shared/ladder/contract.ts';
import { sampleApplication } from '../../support.ts';

/**
 * Records of the 2025 national recommendation campaign (built in: the handler reads no campaign
 * item) at every point of the ladder, in Jilin, Shanxi and Beijing, for the summary tables.
 */
export const campaign = miit2025Recommendation;
export const CAMPAIGN_ID = campaign.campaignId;

/** Output years of a 2025 form: 2022, 2023, 2024. */
export function form(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    contact: { name: '李明', phone: '0433-6221234', email: 'sme@example.gov.cn' },
    areaKm2: 58.6,
    enterpriseCount: 126,
    smeCount: 118,
    outputByYear: [
      { year: 2022, output: 41.2 },
      { year: 2023, output: 46.8 },
      { year: 2024, output: 52.3 },
    ],
    smeOutputShare: 0.74,
    leadingIndustryShare: 0.81,
    averageGrowthRate: 0.127,
    criteria: {},
    ...overrides,
  };
}

let serial = 0;
/** A distinct uuid per fixture, stable across runs. */
export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function app(
  status: ApplicationStatus,
  stage: StageName | undefined,
  overrides: Partial<ApplicationRecord> = {},
): ApplicationRecord {
  serial += 1;
  return sampleApplication({
    applicationId: uuid(serial),
    campaignId: CAMPAIGN_ID,
    status,
    ...(stage && { stage, round: 1 }),
    form: form(),
    revision: 4,
    dueAt: '2025-07-15T23:59:59+08:00',
    createdAt: '2025-03-10T01:00:00.000Z',
    updatedAt: '2025-06-01T01:00:00.000Z',
    submittedAt: '2025-04-01T02:30:00.000Z',
    ...overrides,
  });
}

/** A province's decided, scored review of an application (as DynamoReviews.listScored returns). */
export function scored(
  application: ApplicationRecord,
  weightedScore: number,
  decision: 'approve' | 'return' | 'reject' = 'approve',
  decidedAt = '2025-06-20T02:00:00.000Z',
): ReviewRecord {
  const reviewId = reviewIdOf({ applicationId: application.applicationId, stage: 'province', revision: 4, round: 1 });
  return ReviewRecordSchema.parse({
    reviewId,
    applicationId: application.applicationId,
    revision: 4,
    stage: 'province',
    round: 1,
    jurisdictionCode: application.provincialCode,
    deadline: '2025-07-15T23:59:59+08:00',
    campaignId: application.campaignId,
    track: application.track,
    countyCode: application.countyCode,
    provincialCode: application.provincialCode,
    ...(application.cityCode && { cityCode: application.cityCode }),
    clusterName: application.clusterName,
    status: 'DECIDED',
    secretHash: 'a'.repeat(64),
    taskToken: 'token',
    openedAt: '2025-06-01T00:00:00.000Z',
    armedAt: '2025-06-01T00:00:00.000Z',
    attempts: 1,
    emailedTo: [],
    decision,
    ...(decision !== 'approve' && { reason: 'reason' }),
    scores: { 'core-competitiveness': weightedScore },
    weightedScore,
    decidedBy: 'review-link',
    decidedAt,
  });
}

/** Jilin (220000): one application at each interesting point, and the province's scores. */
export function jilin() {
  // Jilin's cities state, with each approval, whether the candidate is also recommended nationally.
  const atMiit = app('MIIT_REVIEW', 'miit', { clusterName: '敦化市医药产业集群', alsoNational: true });
  const awaitingBatch = app('PROVINCE_REVIEW', 'province', {
    countyCode: '220581',
    cityCode: '220500',
    clusterName: '梅河口市医药产业集群',
    leadingIndustry: '医药健康',
    subSector: '化学药',
    coCountyCodes: ['220582'],
    alsoNational: false,
    form: form({ averageGrowthRate: -0.05, contact: { name: '王芳', phone: '+86 13812345678' } }),
  });
  const rejected = app('REJECTED', 'province', {
    countyCode: '220882',
    cityCode: '220800',
    clusterName: '大安市清洁能源装备产业集群',
    leadingIndustry: '新能源装备',
    subSector: '风电装备',
    decisionReason: '2024年产值39亿元, 低于40亿元的门槛；\n"主导产业"占比不足',
  });
  const pendingUnscored = app('PROVINCE_REVIEW', 'province', {
    countyCode: '220182',
    cityCode: '220100',
    clusterName: '=HYPERLINK("http://evil.example","点击")',
    leadingIndustry: '@SUM(A1)',
    subSector: '-2+3',
  });
  const rejectedByCity = app('REJECTED', 'city', {
    clusterName: '榆树市农产品加工产业集群',
    countyCode: '220182',
    cityCode: '220100',
  });
  const atCity = app('CITY_REVIEW', 'city', { clusterName: '敦化市人参产业集群' });
  const draft = app('DRAFT', undefined, { clusterName: '敦化市木制品产业集群', submittedAt: undefined });
  const otherCampaign = app('MIIT_REVIEW', 'miit', { campaignId: 'demo-2025-recommendation', clusterName: '别的活动' });
  const applications = [draft, rejected, atCity, pendingUnscored, atMiit, rejectedByCity, awaitingBatch, otherCampaign];
  const reviews = [scored(rejected, 61.5, 'reject'), scored(atMiit, 88.25), scored(awaitingBatch, 80)];
  return {
    atMiit,
    awaitingBatch,
    rejected,
    pendingUnscored,
    rejectedByCity,
    atCity,
    draft,
    otherCampaign,
    applications,
    reviews,
  };
}

/** Shanxi (140000), whose cities send their own tables: 太原市 (140100) and 大同市 (140200). */
export function shanxi() {
  const city = { provincialCode: '140000', cityCode: '140100', countyCode: '140121' } as const;
  const approved = app('PROVINCE_REVIEW', 'province', {
    ...city,
    clusterName: '清徐县醋产业集群',
    leadingIndustry: '食品',
    subSector: '酿造',
  });
  const rejected = app('REJECTED', 'city', {
    ...city,
    countyCode: '140105',
    clusterName: '小店区软件产业集群',
    decisionReason: '现场核查不符',
  });
  const returned = app('RETURNED', 'city', {
    ...city,
    clusterName: '清徐县葡萄产业集群',
    decisionReason: '请补充产值佐证',
  });
  const waiting = app('CITY_REVIEW', 'city', { ...city, clusterName: '清徐县农机产业集群' });
  const notice = app('PUBLIC_NOTICE', 'miit', { ...city, clusterName: '清徐县装备产业集群' });
  const otherCity = app('PROVINCE_REVIEW', 'province', {
    provincialCode: '140000',
    cityCode: '140200',
    countyCode: '140221',
    clusterName: '阳高县光伏产业集群',
  });
  return {
    approved,
    rejected,
    returned,
    waiting,
    notice,
    otherCity,
    applications: [approved, rejected, returned, waiting, notice, otherCity],
  };
}

import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { campaignKey } from '../../../shared/adapters/dynamo-campaigns.ts';
import { DynamoQuotas } from '../../../shared/adapters/dynamo-quota.ts';
import { keys as recordKeys } from '../../../shared/adapters/dynamo-records.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records.ts';
import { sampleApplication, sampleEvidence } from '../support.ts';
import { reviewKeys } from '../../../shared/adapters/dynamo-reviews/items.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import { SesMailer } from '../../../shared/adapters/ses-mailer.ts';
import { ReviewDesk } from '../../../shared/review/desk.ts';
import type { ReviewDeskDeps } from '../../../shared/review/deps.ts';
import { S3EvidenceDownloads } from '../../../shared/adapters/s3-evidence-downloads.ts';
import { SfnTaskControl } from '../../../shared/adapters/sfn-task-control.ts';
import { NoLevelDocuments, NoPanels } from '../../../shared/adapters/unwired-steps.ts';
import { type ReviewStore } from '../../../shared/ports/review.ts';
import {
  type Campaign,
  CampaignSchema,
  ChecklistItemSchema as CheckItem,
  type ProvinceOverlay,
} from '../../../shared/rules/campaign.ts';
import { onsiteStatementItem } from '../../../shared/rules/campaigns/miit-2025-recommendation.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { quotaKeys } from '../../../shared/adapters/dynamo-quota.ts';
import type { ApplicationRecord, EvidenceRecord } from '../../../shared/schemas/records.ts';
import { type ReviewRecord, reviewIdOf } from '../../../shared/schemas/reviews.ts';
import type { ReviewRequest } from '../../../shared/ladder/contract.ts';
import type { FakeTable } from './fake-table.ts';

/** Fixtures of the review desk's tests: a Jilin county's application under review. */

export const TABLE = 'Records';
export const BUCKET = 'evidence-bucket';
export const SENDER = 'noreply@clusters.example.gov.cn';
export const BASE_URL = 'https://api.clusters.example.gov.cn';
export const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';
export const APP_ID = '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42';
export const EVIDENCE_ID = '7d0c2d7a-52a4-4b8f-8a0e-3c0e9d51f0b3';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const DAY = 86_400_000;
export const daysFrom = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString();

/** The demo campaign with Jilin's overlay changed by `change`. */
function withJilin(now: Date, campaignId: string, change: (overlay: ProvinceOverlay) => ProvinceOverlay): Campaign {
  const base = demoCampaign(now);
  return CampaignSchema.parse({
    ...base,
    campaignId,
    overlays: base.overlays.map((overlay) => (overlay.provinceCode === '220000' ? change(overlay) : overlay)),
  });
}

/**
 * The demo campaign (2025 rules, dates around `now`), Jilin's city also listing the on-site check
 * statement as an item of its own (so the city's uploader has an item) without the step that
 * requires it, and without Jilin's "also national" statement nor its provincial list (they have
 * tests of their own: alsoNationalCampaignAt, test/unit/review/provincial-track.test.ts); it sets one threshold, naming its source: most desk tests are about
 * other things.
 */
export function campaignAt(now: Date): Campaign {
  const base = withJilin(now, demoCampaign(now).campaignId, ({ provincialRecognition: _list, ...overlay }) => ({
    ...overlay,
    cityStatesAlsoNational: false,
    checklistAdditions: [...overlay.checklistAdditions, CheckItem.parse(onsiteStatementItem)],
  }));
  const rules = base.tracks.recommendation;
  if (!rules) throw new Error('the demo campaign has no recommendation track');
  return {
    ...base,
    // The seeds set no thresholds (the notices give none); this campaign sets one, naming its source.
    tracks: { recommendation: { ...rules, thresholds: { source: THRESHOLD_SOURCE, minAnnualOutput: 40 } } },
  };
}

/** The test campaign with Jilin's overlay as seeded: its cities state "also national" with each approval. */
export function alsoNationalCampaignAt(now: Date): Campaign {
  const base = campaignAt(now);
  return {
    ...base,
    overlays: base.overlays.map((overlay) => ({
      ...overlay,
      cityStatesAlsoNational: overlay.provinceCode === '220000',
    })),
  };
}

/** Where the test campaign's threshold comes from, as warnings name it. */
export const THRESHOLD_SOURCE = '测试用门槛（示例）';

/** The same with Jilin's city running the onsite-statement step after its review (as Shanxi's do). */
export function onSiteCampaignAt(now: Date): Campaign {
  const plain = campaignAt(now);
  return withJilin(now, `${plain.campaignId}-onsite`, () => ({
    ...(plain.overlays.find((overlay) => overlay.provinceCode === '220000') as ProvinceOverlay),
    steps: { city: [{ kind: 'review' }, { kind: 'onsite-statement' }] },
  }));
}

/** The step a city's on-site statement review is, in onSiteCampaignAt's sequence. */
export const ONSITE_STEP = { index: 1, kind: 'onsite-statement' } as const;

/** 敦化市 (222403) under 延边州 (222400), Jilin (220000). */
export function application(now: Date, overrides: Partial<ApplicationRecord> = {}): ApplicationRecord {
  return sampleApplication({
    applicationId: APP_ID,
    campaignId: campaignAt(now).campaignId,
    form: {
      areaKm2: 86,
      enterpriseCount: 120,
      smeCount: 110,
      outputByYear: [
        { year: 2023, output: 45 },
        { year: 2024, output: 48.5 },
        { year: 2025, output: 39 },
      ],
      smeOutputShare: 0.74,
      leadingIndustryShare: 0.81,
      averageGrowthRate: 0.12,
      criteria: { 'core-competitiveness': '长白山道地药材 <b>全产业链</b>' },
    },
    status: 'CITY_REVIEW',
    revision: 3,
    dueAt: daysFrom(now, 10),
    createdAt: daysFrom(now, -20),
    updatedAt: daysFrom(now, -1),
    submittedAt: daysFrom(now, -2),
    ...overrides,
  });
}

export function evidence(overrides: Partial<EvidenceRecord> = {}): EvidenceRecord {
  return sampleEvidence({
    applicationId: APP_ID,
    evidenceId: EVIDENCE_ID,
    objectKey: `evidence/${APP_ID}/${EVIDENCE_ID}`,
    fileName: '申报表 "终稿".pdf',
    declaredSize: 2048,
    status: 'VALID',
    requestedAt: '2026-01-01T00:00:00.000Z',
    uploadExpiresAt: '2026-01-01T00:15:00.000Z',
    validatedAt: '2026-01-01T00:01:00.000Z',
    size: 2048,
    ...overrides,
  });
}

export function reviewRequest(now: Date, overrides: Partial<ReviewRequest> = {}): ReviewRequest {
  return {
    applicationId: APP_ID,
    revision: 3,
    stage: 'city',
    jurisdictionCode: '222400',
    deadline: daysFrom(now, 10),
    round: 1,
    taskToken: 'task-token-1',
    ...overrides,
  };
}

/** A review as open() stores it, for tests that start from an open review. */
export function review(now: Date, overrides: Partial<ReviewRecord> = {}): ReviewRecord {
  const request = reviewRequest(now);
  const stage = overrides.stage ?? request.stage;
  return {
    reviewId: reviewIdOf({ ...request, stage, round: overrides.round ?? request.round, step: overrides.step }),
    applicationId: APP_ID,
    revision: request.revision,
    stage,
    round: request.round,
    jurisdictionCode: stage === 'province' ? '220000' : stage === 'miit' ? '000000' : '222400',
    deadline: request.deadline,
    campaignId: campaignAt(now).campaignId,
    track: 'recommendation',
    countyCode: '222403',
    provincialCode: '220000',
    cityCode: '222400',
    clusterName: '敦化市医药产业集群',
    status: 'PENDING',
    secretHash: sha256(SECRET),
    taskToken: request.taskToken,
    openedAt: daysFrom(now, -1),
    armedAt: daysFrom(now, -1),
    attempts: 1,
    emailedAt: daysFrom(now, -1),
    emailedTo: ['reviewer@yanbian.example.gov.cn'],
    ...overrides,
  };
}

export const FULL_SCORES = {
  'core-competitiveness': 90,
  'tiered-cultivation': 80,
  'chain-collaboration': 85,
  'collaborative-innovation': 70,
  'digital-transformation': 75,
  'green-development': 88,
  'open-cooperation': 60,
  'governance-services': 92,
};

/** Seeds the table through the real adapters' key layout. */
export function seed(table: FakeTable) {
  return {
    campaign: (campaign: Campaign) => table.put({ ...campaignKey(campaign.campaignId), definition: campaign }),
    application: (record: ApplicationRecord, extra: Record<string, unknown> = {}) =>
      table.put({ ...record, ...recordKeys.application(record.applicationId), ...extra }),
    evidence: (record: EvidenceRecord) =>
      table.put({ ...record, ...recordKeys.evidence(record.applicationId, record.evidenceId) }),
    /** The reviewers registered for a jurisdiction (the directory the links go to). */
    reviewers: (jurisdictionCode: string, emails: string[]) =>
      table.put({ ...reviewKeys.reviewers(jurisdictionCode), jurisdictionCode, emails }),
    /** The provincial counter at `used` of `limit`, as DynamoQuotas keeps it. */
    quotaCounter: (campaignId: string, used: number, limit = 8) =>
      table.put({
        ...quotaKeys.counter(campaignId, 'recommendation', 'provincial', '220000'),
        used,
        limit,
        scope: 'provincial',
        jurisdictionCode: '220000',
      }),
  };
}

/** Writes a review through the real adapter (its item layout, its indexes). */
export async function seedReview(review: ReviewRecord): Promise<void> {
  await new DynamoReviews(documentClient(), TABLE).createReview(review);
}

export const documentClient = () =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });

let secrets = 0;

/** The desk over the real adapters; the SDK clients are mocked by the caller (aws-sdk-client-mock). */
export function makeDesk(
  clock: () => Date,
  campaigns: Campaign[],
  options: {
    reviews?: (store: DynamoReviews) => ReviewStore;
    objections?: ReviewDeskDeps['objections'];
    panels?: ReviewDeskDeps['panels'];
    levelDocuments?: ReviewDeskDeps['levelDocuments'];
  } = {},
) {
  const client = documentClient();
  const store = new DynamoReviews(client, TABLE);
  return new ReviewDesk({
    reviews: options.reviews ? options.reviews(store) : store,
    records: new DynamoRecords(client, TABLE),
    campaigns: {
      get: async (id: string) => {
        const found = campaigns.find((campaign) => campaign.campaignId === id);
        if (!found) throw new Error(`no campaign ${id}`);
        return found;
      },
    },
    quotas: new DynamoQuotas(client, TABLE),
    panels: options.panels ?? new NoPanels(),
    levelDocuments: options.levelDocuments ?? new NoLevelDocuments(),
    tasks: new SfnTaskControl(new SFNClient({})),
    mailer: new SesMailer(new SESv2Client({}), SENDER),
    publicBaseUrl: `${BASE_URL}/`,
    evidence: new S3EvidenceDownloads(new S3Client({ region: 'cn-north-1' }), BUCKET),
    ...(options.objections && { objections: options.objections }),
    ...(options.levelDocuments && { levelDocuments: options.levelDocuments }),
    clock,
    // Distinct, recognisable secrets: the tests check where they go.
    newSecret: () => `secret-${++secrets}-${'x'.repeat(32)}`,
  });
}

import { SESv2Client } from '@aws-sdk/client-sesv2';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoPanels, panelKeys } from '../../../../shared/adapters/dynamo-panel.ts';
import { DynamoRecords } from '../../../../shared/adapters/dynamo-records/store.ts';
import { DynamoReviews } from '../../../../shared/adapters/dynamo-reviews/store.ts';
import { S3EvidenceDownloads } from '../../../../shared/adapters/s3-evidence-downloads.ts';
import { SesMailer } from '../../../../shared/adapters/ses-mailer.ts';
import { PanelDesk } from '../../../../shared/review/panel/desk.ts';
import { type Campaign, CampaignSchema } from '../../../../shared/rules/campaign.ts';
import type { Expert, SeatRecord } from '../../../../shared/schemas/panel.ts';
import { type ReviewRecord, reviewIdOf } from '../../../../shared/schemas/reviews.ts';
import type { FakeTable } from '../fake-table.ts';
import {
  APP_ID,
  BASE_URL,
  BUCKET,
  campaignAt,
  documentClient,
  review,
  reviewRequest,
  SENDER,
  sha256,
  TABLE,
} from '../fixtures.ts';

/** Fixtures of the expert panel's tests: 敦化市's application at Jilin's province, its expert-panel step. */

export const PROVINCE = '220000';

/** The demo campaign whose province runs a review, then an expert panel (`method`, at least 3). */
export function panelCampaignAt(now: Date, method: 'mean' | 'trimmed-mean' = 'trimmed-mean'): Campaign {
  const base = campaignAt(now);
  return CampaignSchema.parse({
    ...base,
    steps: { province: [{ kind: 'review' }, { kind: 'expert-panel', minExperts: 3, aggregate: method }] },
  });
}

/** The province's expert-panel review (step 1 of its sequence), pending, its link secret SECRET. */
export function panelReview(now: Date, overrides: Partial<ReviewRecord> = {}): ReviewRecord {
  const request = reviewRequest(now, { stage: 'province', jurisdictionCode: PROVINCE });
  const step = { index: 1, kind: 'expert-panel' as const };
  return review(now, {
    stage: 'province',
    jurisdictionCode: PROVINCE,
    reviewId: reviewIdOf({ ...request, step }),
    step,
    campaignId: campaignAt(now).campaignId,
    emailedTo: ['reviewers@jilin.example.gov.cn'],
    ...overrides,
  });
}

const expert = (n: number, extra: Partial<Expert> = {}): Expert => ({
  email: `expert${n}@experts.example.cn`,
  name: `专家${n}`,
  ...extra,
});

/**
 * Jilin's experts: five from elsewhere (长春, 吉林市, 四平, none, none), and three who must step
 * aside for 敦化市 (222403, under 延边州 222400): one from 延边州, one from 敦化市, one from 延吉市
 * (registered with its county alone: its city is 延边州).
 */
export const EXPERTS = {
  changchun: expert(1, { cityCode: '220100', countyCode: '220102' }),
  jilinCity: expert(2, { cityCode: '220200' }),
  siping: expert(3, { cityCode: '220300' }),
  university: expert(4, { affiliation: '吉林大学' }),
  institute: expert(5, { affiliation: '吉林省中医药科学院' }),
  spare: expert(6, { cityCode: '220500' }),
  yanbian: expert(7, { cityCode: '222400' }),
  dunhua: expert(8, { countyCode: '222403', cityCode: '222400' }),
  yanji: expert(9, { countyCode: '222401' }),
} as const;

export const documents = () => new DynamoPanels(documentClient(), TABLE);

let secrets = 0;

/** The panel desk over the real adapters (the SDK clients mocked by the caller). */
export function makePanelDesk(clock: () => Date, campaigns: Campaign[]) {
  const client = documentClient();
  return new PanelDesk({
    panels: new DynamoPanels(client, TABLE),
    reviews: new DynamoReviews(client, TABLE),
    records: new DynamoRecords(client, TABLE),
    campaigns: {
      get: async (id: string) => {
        const found = campaigns.find((campaign) => campaign.campaignId === id);
        if (!found) throw new Error(`no campaign ${id}`);
        return found;
      },
    },
    mailer: new SesMailer(new SESv2Client({}), SENDER),
    publicBaseUrl: BASE_URL,
    evidence: new S3EvidenceDownloads(new S3Client({ region: 'cn-north-1' }), BUCKET),
    clock,
    newSecret: () => `seat-secret-${++secrets}-${'x'.repeat(24)}`,
  });
}

/** Seeds a seat directly (its secret `secret`, plain SHA-256 as stored without a link key). */
export function seedSeat(table: FakeTable, seat: Omit<SeatRecord, 'secretHash'> & { secret: string }): void {
  const { secret, ...rest } = seat;
  table.put({ ...rest, secretHash: sha256(secret), ...panelKeys.seat(APP_ID, seat.reviewId, seat.seatId) });
}

/** The seat link's secret in an email's text, by the seat id it opens. */
export function seatLinks(texts: readonly string[]): { seatId: string; secret: string; to?: string }[] {
  return texts.flatMap((text) =>
    [...text.matchAll(/\/v1\/panels\/[^/]+\/seats\/([0-9a-f-]{36})\?t=([^\s]+)/g)].map((m) => ({
      seatId: m[1] ?? '',
      secret: decodeURIComponent(m[2] ?? ''),
    })),
  );
}

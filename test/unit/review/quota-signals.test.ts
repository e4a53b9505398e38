import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoQuotas } from '../../../shared/adapters/dynamo-quota.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import { SesMailer } from '../../../shared/adapters/ses-mailer.ts';
import { SfnTaskControl } from '../../../shared/adapters/sfn-task-control.ts';
import { NoPanels } from '../../../shared/adapters/unwired-steps.ts';
import type { StepRef } from '../../../shared/ladder/contract.ts';
import type { LevelDocumentRef } from '../../../shared/ports/steps.ts';
import type { QuotaUse } from '../../../shared/ports/quotas.ts';
import { pageContext } from '../../../shared/platform/pages/layout.ts';
import { reviewInbox } from '../../../shared/review/inbox.ts';
import { levelDocumentsPage } from '../../../shared/review/level-documents/page.ts';
import {
  completeIfLetterFiled,
  completeWaitingLetterSteps,
  type GateDeps,
} from '../../../shared/review/level-documents/gate.ts';
import type { ReviewRecord } from '../../../shared/schemas/reviews.ts';
import { PEOPLE } from '../support.ts';
import {
  APP_ID,
  application,
  BASE_URL,
  campaignAt,
  documentClient,
  review,
  SENDER,
  seed,
  seedReview,
} from './fixtures.ts';
import { mockedCloud } from './worlds.ts';

/**
 * A province told that an application waits over its full quota: Jilin (8 to MIIT, taken at its
 * formal-letter step, which the letter completes by itself). The gate emails the province's
 * reviewers when it is refused, once per review however often it runs again; the inbox marks the
 * row with the review page's words, and its ranking says who holds the slots and who waits.
 */
const cloud = mockedCloud();
const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const LETTER: StepRef = { index: 2, kind: 'formal-letter' };
const JILIN = { campaignId: campaign.campaignId, track: 'recommendation' as const, jurisdictionCode: '220000' };
const letter: LevelDocumentRef = {
  documentId: 'letter-1',
  kind: 'formal-letter',
  fileName: '正式推荐文件.pdf',
  sha256: 'a'.repeat(64),
  uploadedBy: 'user:reviewer-220000',
} as LevelDocumentRef;

let ids = 0;
const gateDeps = (): GateDeps => {
  const client = documentClient();
  return {
    reviews: new DynamoReviews(client, 'Records'),
    records: new DynamoRecords(client, 'Records'),
    campaigns: { get: async () => campaign },
    quotas: new DynamoQuotas(client, 'Records'),
    tasks: new SfnTaskControl(new SFNClient({})),
    levelDocuments: { valid: async (_c, _t, _j, kind) => (kind === 'formal-letter' ? [letter] : []) },
    panels: new NoPanels(),
    clock: () => now,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    mailer: new SesMailer(new SESv2Client({}), SENDER),
    publicBaseUrl: `${BASE_URL}/`,
  };
};

/** Dunhua's application at Jilin's letter step, its review open. */
async function waitingAtLetter(): Promise<ReviewRecord> {
  seed(cloud.table).application(application(now, { status: 'PROVINCE_REVIEW', stage: 'province', step: LETTER }));
  const open = review(now, { stage: 'province', jurisdictionCode: '220000', step: LETTER });
  await seedReview(open);
  return open;
}

const audits = (action: string) =>
  cloud.table.all().filter((item) => item.pk === `APP#${APP_ID}` && item.action === action);

beforeEach(() => {
  seed(cloud.table).campaign(campaign);
});

/** Jilin's inbox with its letter step pending and its quota 8 of 8, none of them this application's. */
const inboxOfJilin = () =>
  reviewInbox(
    {
      reviews: {
        listPending: async () => [review(now, { stage: 'province', jurisdictionCode: '220000', step: LETTER })],
        listLapsed: async () => [],
        listScored: async () => [],
      },
      records: {
        getApplication: async () => application(now, { status: 'PROVINCE_REVIEW', stage: 'province', step: LETTER }),
      },
      campaigns: { get: async () => campaign },
      quotas: {
        usage: async () => [{ scope: 'provincial', jurisdictionCode: '220000', used: 8, limit: 8, holders: [] }],
      },
      clock: () => now,
    },
    PEOPLE.jilinReviewer,
    {},
  );

describe('the formal-letter gate over a full quota', () => {
  it("emails the province's reviewers that the application waits, with the refusal's words, once however often it runs", async () => {
    const open = await waitingAtLetter();
    seed(cloud.table).reviewers('220000', ['jilin-1@example.gov.cn', 'jilin-2@example.gov.cn']);
    seed(cloud.table).quotaCounter(campaign.campaignId, 8);

    const [outcome] = await completeWaitingLetterSteps(gateDeps(), JILIN);
    expect(outcome).toMatchObject({ reviewId: open.reviewId, outcome: 'refused', code: 'QUOTA_EXCEEDED' });

    const [email, ...more] = cloud.sentEmails();
    expect(more).toEqual([]);
    expect(email?.Destination?.ToAddresses).toEqual(['jilin-1@example.gov.cn', 'jilin-2@example.gov.cn']);
    const subject = email?.Content?.Simple?.Subject?.Data ?? '';
    const text = email?.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(subject).toContain('名额已满');
    expect(subject).toContain(open.clusterName);
    expect(text).toContain('本步骤未能自动完成，仍在等待');
    expect(text).toContain('吉林省推荐至工业和信息化部的名额已满（已用 8/8）');
    expect(text).toContain('the quota of 220000 for recommendations to MIIT is full (8 of 8 used)');
    expect(text).toContain(`${BASE_URL}/console/inbox`);
    // Nothing here needs the review's secret: no review link goes out.
    expect(text).not.toContain('/v1/reviews/');
    expect(audits('QUOTA_FULL_TOLD')).toEqual([
      expect.objectContaining({ role: 'validator', reason: expect.stringContaining('已用 8/8') }),
    ]);

    // Another letter filed, the S3 event replayed, the review re-opened: refused again, told no more.
    await completeWaitingLetterSteps(gateDeps(), JILIN);
    expect(await completeIfLetterFiled(gateDeps(), open.reviewId)).toMatchObject({ outcome: 'refused' });
    expect(cloud.sentEmails()).toHaveLength(1);
    expect(audits('QUOTA_FULL_TOLD')).toHaveLength(1);
  });

  it('tells nobody, and records nothing, with nobody registered: the next run tells whoever is registered then', async () => {
    await waitingAtLetter();
    seed(cloud.table).quotaCounter(campaign.campaignId, 8);

    await completeWaitingLetterSteps(gateDeps(), JILIN);
    expect(cloud.sentEmails()).toEqual([]);
    expect(audits('QUOTA_FULL_TOLD')).toEqual([]);

    seed(cloud.table).reviewers('220000', ['jilin-1@example.gov.cn']);
    await completeWaitingLetterSteps(gateDeps(), JILIN);
    expect(cloud.sentEmails()).toHaveLength(1);
  });

  it('sends nothing when the letter completes the step (a slot is free)', async () => {
    await waitingAtLetter();
    seed(cloud.table).reviewers('220000', ['jilin-1@example.gov.cn']);
    seed(cloud.table).quotaCounter(campaign.campaignId, 7);

    const [outcome] = await completeWaitingLetterSteps(gateDeps(), JILIN);
    expect(outcome).toMatchObject({ outcome: 'completed' });
    expect(cloud.sentEmails()).toEqual([]);
    expect(audits('QUOTA_FULL_TOLD')).toEqual([]);
  });
});

describe("the province's inbox over a full quota", () => {
  const HOLDERS = Array.from({ length: 8 }, (_, i) => `00000000-0000-4000-8000-00000000010${i}`);
  const usage = (used: number): QuotaUse[] => [
    { scope: 'provincial', jurisdictionCode: '220000', used, limit: 8, holders: HOLDERS.slice(0, used) },
  ];
  const scored = (applicationId: string, weightedScore: number): ReviewRecord => ({
    ...review(now, { stage: 'province', jurisdictionCode: '220000' }),
    reviewId: `${applicationId}.province.3.1`,
    applicationId,
    status: 'DECIDED',
    decision: 'approve',
    decidedAt: now.toISOString(),
    weightedScore,
  });
  const inboxOf = async (pending: ReviewRecord[], used: number) =>
    reviewInbox(
      {
        reviews: {
          listPending: async () => pending,
          listLapsed: async () => [],
          listScored: async () => [...HOLDERS.map((id, i) => scored(id, 90 - i)), scored(APP_ID, 70)],
        },
        records: {
          getApplication: async () => application(now, { status: 'PROVINCE_REVIEW', stage: 'province', step: LETTER }),
        },
        campaigns: { get: async () => campaign },
        quotas: { usage: async () => usage(used) },
        clock: () => now,
      },
      PEOPLE.jilinReviewer,
      {},
    );
  const atLetter = { ...review(now, { stage: 'province', jurisdictionCode: '220000', step: LETTER }) };

  it('marks the review whose approval the full quota would refuse, in the review page’s words', async () => {
    const full = await inboxOf([atLetter], 8);
    expect(full.reviews).toEqual([
      expect.objectContaining({
        reviewId: atLetter.reviewId,
        quotaFull: expect.stringMatching(/^吉林省推荐至工业和信息化部的名额已满（已用 8\/8）.* \/ the quota of 220000/),
      }),
    ]);
    const free = await inboxOf([atLetter], 7);
    expect(free.reviews[0]?.quotaFull).toBeUndefined();
  });

  it('ranks the eight holding the slots apart from the one waiting over the quota', async () => {
    const full = await inboxOf([atLetter], 8);
    const [group] = full.ranking ?? [];
    expect(group?.quota).toEqual({ used: 8, limit: 8 });
    expect(group?.candidates.map((c) => c.quota)).toEqual([...HOLDERS.map(() => 'held'), 'waiting']);
    // Not at the step that takes a slot (its letter step not open): neither holding nor waiting.
    const [before] = (await inboxOf([], 8)).ranking ?? [];
    expect(before?.candidates.at(-1)).not.toHaveProperty('quota');
  });
});

describe('the level documents page over a full quota', () => {
  it("marks the waiting step its filed letter could not complete, in the review page's words", async () => {
    const [row] = (await inboxOfJilin()).reviews;
    const waiting = review(now, { stage: 'province', jurisdictionCode: '220000', step: LETTER });
    const principal = PEOPLE.jilinReviewer;
    const render = (quotaFull?: string) =>
      levelDocumentsPage(pageContext('zh', 'level-documents', {}, principal), {
        principal,
        campaigns: [],
        chosen: {
          campaignId: campaign.campaignId,
          track: 'recommendation',
          documents: [],
          waiting: [{ review: waiting, needs: ['formal-letter'], met: true, ...(quotaFull && { quotaFull }) }],
        },
        uploadOrigin: 'https://bucket.example',
      }).body;
    expect(render(row?.quotaFull)).toContain('data-quota-full>吉林省推荐至工业和信息化部的名额已满（已用 8/8）');
    expect(render()).not.toContain('名额已满');
  });
});

import { NoLevelDocuments, NoPanels } from '../../../shared/adapters/unwired-steps.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoQuotas } from '../../../shared/adapters/dynamo-quota.ts';
import { DynamoRecords } from '../../../shared/adapters/dynamo-records/store.ts';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import type { UploadSigner } from '../../../shared/ports/intake.ts';
import { ReviewDesk } from '../../../shared/review/desk.ts';
import { renderReviewPage } from '../../../shared/review/page.ts';
import { CONTENT_SECURITY_POLICY } from '../../../shared/review/page-frame.ts';
import { UPLOADER_SCRIPT } from '../../../shared/portal/uploader-script.ts';
import { PEOPLE } from '../support.ts';
import {
  APP_ID,
  application,
  campaignAt,
  documentClient,
  review,
  SECRET,
  seed,
  seedReview,
  TABLE,
} from './fixtures.ts';
import { mockedCloud } from './worlds.ts';
import { createHash } from 'node:crypto';

/*
 * The review page's uploader for the city's own items: the link (or a signed-in reviewer of the
 * stage) asks for upload links, lists and removes through the intake's use cases, and the page
 * carries the uploader, with its script allowed by hash and the bucket's origin in connect-src,
 * only where it serves.
 */

const cloud = mockedCloud();
const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const BUCKET_ORIGIN = 'http://127.0.0.1:4569';
const link = { kind: 'link' as const, secret: SECRET };
const cityReview = review(now);
let presigned: string[];
let ids = 0;

const uploads: UploadSigner = {
  presignUpload: async ({ key }) => {
    presigned.push(key);
    return { url: `${BUCKET_ORIGIN}/evidence-bucket`, fields: { key } };
  },
  uploadOrigin: async () => BUCKET_ORIGIN,
};

function desk(options: { withUploads?: boolean } = {}) {
  const client = documentClient();
  const records = new DynamoRecords(client, TABLE);
  return new ReviewDesk({
    reviews: new DynamoReviews(client, TABLE),
    records,
    campaigns: { get: async () => campaign },
    quotas: new DynamoQuotas(client, TABLE),
    panels: new NoPanels(),
    levelDocuments: new NoLevelDocuments(),
    tasks: { succeed: async () => {}, fail: async () => {}, stop: async () => {} },
    mailer: { send: async () => ({ messageId: 'm' }) },
    publicBaseUrl: 'https://api.clusters.example.gov.cn',
    clock: () => now,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    ...(options.withUploads !== false && { ownEvidence: { records, uploads } }),
  });
}

const statement = {
  criterion: 'onsite-check-statement',
  fileName: '现场核查符合性说明.pdf',
  contentType: 'application/pdf',
  size: 4096,
};
const refusal = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

beforeEach(async () => {
  presigned = [];
  seed(cloud.table).campaign(campaign);
  seed(cloud.table).application(application(now, { campaignId: campaign.campaignId }));
  await seedReview(cityReview);
});

describe('the city’s own items through the review link', () => {
  it('gives the link an upload link for the on-site statement, audited as the link', async () => {
    const upload = await desk().requestOwnEvidenceUpload(cityReview.reviewId, link, statement, 'req-1');

    expect(upload).toMatchObject({ applicationId: APP_ID, criterion: 'onsite-check-statement', status: 'PENDING' });
    expect(presigned).toEqual([`evidence/${APP_ID}/${upload.evidenceId}`]);
    const audit = await new DynamoRecords(documentClient(), TABLE).listAudit(APP_ID);
    expect(audit.find((e) => e.action === 'EVIDENCE_REQUESTED')).toMatchObject({
      actor: `review-link:${cityReview.reviewId}`,
      role: 'reviewer',
      jurisdiction: '222400',
    });
  });

  it('refuses the county’s items (403), a wrong secret (403) and a decided review (409)', async () => {
    const countyItem = { ...statement, criterion: 'application-form' };
    expect(await refusal(desk().requestOwnEvidenceUpload(cityReview.reviewId, link, countyItem, 'r'))).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
    const forged = { kind: 'link' as const, secret: `${SECRET}x` };
    expect(await refusal(desk().requestOwnEvidenceUpload(cityReview.reviewId, forged, statement, 'r'))).toMatchObject({
      status: 403,
      code: 'REVIEW_LINK_INVALID',
    });
    await seedReview(review(now, { round: 2 }));
    const decided = review(now, { round: 2 });
    cloud.table.put({
      ...cloud.table.get(`APP#${APP_ID}`, `REVIEW#${decided.reviewId}`),
      status: 'DECIDED',
      decision: 'approve',
    });
    expect(await refusal(desk().requestOwnEvidenceUpload(decided.reviewId, link, statement, 'r'))).toMatchObject({
      status: 409,
    });
    expect(presigned).toEqual([]);
  });

  it('lists the application’s evidence and removes the city’s own file', async () => {
    const upload = await desk().requestOwnEvidenceUpload(cityReview.reviewId, link, statement, 'req-1');
    expect((await desk().listOwnEvidence(cityReview.reviewId, link, 'r')).map((e) => e.evidenceId)).toContain(
      upload.evidenceId,
    );

    const removed = await desk().removeOwnEvidence(cityReview.reviewId, link, upload.evidenceId, 'req-2');

    expect(removed).toMatchObject({ evidenceId: upload.evidenceId, removed: true });
    expect(await desk().listOwnEvidence(cityReview.reviewId, link, 'r')).not.toContainEqual(
      expect.objectContaining({ evidenceId: upload.evidenceId }),
    );
  });

  it('lets a signed-in reviewer of the stage act as themself, and no reviewer of another stage', async () => {
    const mine = await desk().requestOwnEvidenceUpload(
      cityReview.reviewId,
      { kind: 'reviewer', principal: PEOPLE.yanbianReviewer },
      statement,
      'r',
    );
    expect(mine.status).toBe('PENDING');
    const other = { kind: 'reviewer' as const, principal: PEOPLE.jilinReviewer };
    expect(await refusal(desk().requestOwnEvidenceUpload(cityReview.reviewId, other, statement, 'r'))).toMatchObject({
      status: 403,
    });
  });
});

describe('the review page with the uploader', () => {
  it('carries the panel for the city’s items, its script by hash and the bucket’s origin in connect-src', async () => {
    const page = renderReviewPage(await desk().page(cityReview.reviewId, link));

    expect(page.body).toContain('data-evidence-panel');
    expect(page.body).toContain('data-criterion="onsite-check-statement"');
    expect(page.body).not.toContain('data-criterion="application-form"');
    expect(page.body).toContain(`data-request-url="./${cityReview.reviewId}/evidence?t=${SECRET}"`);
    const csp = page.headers['content-security-policy'] ?? '';
    expect(csp).toContain(`script-src 'sha256-${sha(UPLOADER_SCRIPT)}'`);
    expect(csp).toContain(`connect-src 'self' ${BUCKET_ORIGIN};`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/^default-src 'none'/);
  });

  it('stays script-free where it has no uploader: a province review, or a desk without uploads', async () => {
    const province = review(now, { stage: 'province' });
    await seedReview(province);
    for (const [reviewId, built] of [
      [province.reviewId, desk()],
      [cityReview.reviewId, desk({ withUploads: false })],
    ] as const) {
      const page = renderReviewPage(await built.page(reviewId, link));
      expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(page.body).not.toContain('<script');
    }
  });
});

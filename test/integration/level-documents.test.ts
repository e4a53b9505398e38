import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postPresigned } from '../../local/client/index.ts';
import { samplePdf } from '../../local/sample-evidence.ts';
import { reviewKey } from '../../shared/adapters/dynamo-reviews/items.ts';
import { CampaignSchema } from '../../shared/rules/campaign.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { anonymous, as, asOperator, startTestStack, type TestClients, testClients, type TestStack } from './harness.ts';
import * as steps from './steps.ts';
import { DUNHUA } from './steps.ts';

/**
 * A level's formal letter through the whole local runtime: 延边州's reviewer asks for an upload
 * link, posts the stamped letter straight to the bucket (s3rver), the validator checks it under
 * its own prefix and marks it VALID, and the city's review waiting at its formal-letter step is
 * completed by the letter (SendTaskSuccess to the waiting task): the application climbs to the
 * province. Jilin's cities declare [review, formal-letter]: the city's review is approved by
 * hand (stating "also national"), and its formal-letter step (step 1) then waits for the letter.
 */

const base = demoCampaign(new Date());
const rules = base.tracks.recommendation;
if (!rules) throw new Error('demo campaign without a recommendation track');
// The on-site statement is another gate of the city's; this test is about the letter's.
const campaign = CampaignSchema.parse({
  ...base,
  campaignId: `${base.campaignId}-letters`,
  tracks: { recommendation: { ...rules, cityRequiresOnSiteStatement: false } },
  // Jilin's cities send their own 推荐汇总表 with the letter (DOMAIN.md): the city table applies.
  overlays: base.overlays.map((overlay) =>
    overlay.provinceCode === '220000' ? { ...overlay, cityTables: true } : overlay,
  ),
});

let stack: TestStack;
let clients: TestClients;

beforeAll(async () => {
  stack = await startTestStack();
  clients = testClients();
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
});

afterAll(async () => {
  clients?.destroy();
  await stack?.cleanup();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('level documents through the local runtime', () => {
  it('a formal letter uploaded through the presigned POST is validated and completes the waiting formal-letter step', async () => {
    const applicationId = await steps.fileAndSubmit(stack, campaign, { ...DUNHUA, clusterName: '敦化市医药产业集群' });
    const review = await steps.reviewLink(stack, applicationId, 'city');
    const reviewed = await anonymous(stack).decide(review.reviewId, {
      t: review.secret,
      decision: 'approve',
      alsoNational: true,
    });
    expect(reviewed.status, reviewed.text).toBe(200);
    const city = await steps.reviewLink(stack, applicationId, 'city', 1, 1);

    // Without the letter the step is not approved by hand.
    const early = await anonymous(stack).decide(city.reviewId, { t: city.secret, decision: 'approve' });
    expect(early.status, early.text).toBe(409);
    expect(early.error.details?.map((d) => d.field)).toEqual(['levelDocuments.formal-letter']);

    // The city's reviewer files the stamped letter: an upload link, then the bytes straight to S3.
    const reviewer = await as(stack, 'reviewer', '222400');
    const level = `campaignId=${campaign.campaignId}&track=recommendation&jurisdiction=222400`;
    const bytes = await samplePdf('Formal letter', [applicationId]);
    const requested = await reviewer.raw('POST', `/v1/level-documents?${level}`, {
      kind: 'formal-letter',
      fileName: '延边州正式推荐文件.pdf',
      contentType: 'application/pdf',
      size: bytes.byteLength,
      sha256: sha256(bytes),
    });
    expect(requested.status, requested.text).toBe(201);
    const document = requested.body as {
      documentId: string;
      objectKey: string;
      upload: { url: string; fields: Record<string, string> };
    };
    expect(document.objectKey).toBe(`evidence/level-documents/${document.documentId}`);
    const validated = stack.whenValidated(document.objectKey);
    const posted = await postPresigned(document.upload, { bytes });
    expect(posted.ok, posted.text).toBe(true);
    expect((await validated).ok).toBe(true);

    const listed = await reviewer.raw('GET', `/v1/level-documents?${level}`);
    expect(listed.status).toBe(200);
    expect((listed.body as { documents: unknown[] }).documents).toEqual([
      expect.objectContaining({
        documentId: document.documentId,
        status: 'VALID',
        sha256: sha256(bytes),
        uploadedBy: 'user:reviewer-222400',
      }),
    ]);

    // Its summary table (Jilin's cities file their own) was generated, stored outside evidence/ and attached.
    const filed = (listed.body as { documents: { summaryTable?: { s3Key: string; sha256: string } }[] }).documents[0];
    const summary = filed?.summaryTable;
    expect(summary?.s3Key).toMatch(new RegExp(`^level-summaries/${document.documentId}/.+\\.xlsx$`));
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: summary?.s3Key }));
    expect(sha256(await object.Body!.transformToByteArray())).toBe(summary?.sha256);

    // The city's step was completed by the letter, in the uploader's name: the province's review opens.
    const stored = await clients.doc.send(
      new GetCommand({ TableName: stack.tableName, Key: reviewKey(city.reviewId) }),
    );
    expect(stored.Item).toMatchObject({ status: 'DECIDED', decision: 'approve', decidedBy: 'user:reviewer-222400' });
    await steps.reviewLink(stack, applicationId, 'province');
    expect(await steps.statusOf(stack, applicationId)).toBe('PROVINCE_REVIEW');
    const history = await (await asOperator(stack)).raw('GET', `/v1/applications/${applicationId}/history`);
    const accepted = (history.body as { events: { action: string }[] }).events.filter(
      (event) => event.action === 'FORMAL_LETTER_ACCEPTED',
    );
    expect(accepted).toHaveLength(1);

    // A review link of another level files nothing for this one; a decided review's link files nothing at all.
    const again = await anonymous(stack).raw('POST', `/v1/reviews/${city.reviewId}/level-documents?t=${city.secret}`, {
      kind: 'meeting-minutes',
      fileName: '会议纪要.pdf',
      contentType: 'application/pdf',
      size: 1000,
    });
    expect(again.status, again.text).toBe(409);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../shared/platform/auth/policy.ts';
import { ConflictError, ValidationError } from '../../../shared/platform/errors.ts';
import { checkUploadedLevelDocument } from '../../../shared/review/level-documents/check.ts';
import type { Level } from '../../../shared/review/level-documents/filing.ts';
import { completeWaitingLetterSteps } from '../../../shared/review/level-documents/gate.ts';
import { ReviewLinkForbiddenError } from '../../../shared/review/errors.ts';
import { attachSummaryTable, type SummaryDeps } from '../../../shared/review/level-documents/summary.ts';
import { renderReviewPage } from '../../../shared/review/page.ts';
import { levelDocumentsPage } from '../../../shared/review/level-documents/page.ts';
import { pageContext } from '../../../shared/platform/pages/layout.ts';
import { PEOPLE } from '../support.ts';
import { APP_ID, application, campaignAt, review, SECRET, seed } from './fixtures.ts';
import { levelDocumentsWorld } from './worlds.ts';

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const CITY: Level = { campaignId: campaign.campaignId, track: 'recommendation', jurisdictionCode: '222400' };
const OTHER_APP = '5a2b9c1d-0e3f-4a5b-8c6d-7e8f9a0b1c2d';
const world = levelDocumentsWorld(now, campaign);
const { store, desk, gateDeps, bucket, seedWaiting, letterStep, storedReview, successes, reviewer } = world;
const { checkDeps, uploadEvent: event } = world;

const letterRequest = () => ({
  kind: 'formal-letter',
  fileName: '正式推荐文件.pdf',
  contentType: 'application/pdf',
  size: world.pdf.length,
});

/** The letter's own audit entries (each decision is also audited as REVIEW_APPROVED, naming the person). */
const auditsOf = (applicationId: string) =>
  world.table
    .all()
    .filter(
      (item) =>
        item.pk === `APP#${applicationId}` &&
        String(item.sk).startsWith('AUDIT#') &&
        item.action === 'FORMAL_LETTER_ACCEPTED',
    );

/** Files a letter as 延边州's reviewer and delivers its object to the validator. */
const fileLetter = (objects: Map<string, Buffer>) => world.file(objects, CITY, letterRequest());

describe('who files a level document', () => {
  it("lets the level's own reviewer file, naming them as the uploader", async () => {
    const requested = await desk().request(reviewer, CITY, letterRequest());
    expect(requested).toMatchObject({ status: 'PENDING', kind: 'formal-letter', uploadedBy: 'user:reviewer-222400' });
    expect(requested.objectKey).toBe(`evidence/level-documents/${requested.documentId}`);
    expect(requested.upload.fields.key).toBe(requested.objectKey);
  });

  it('refuses reviewers of another level, applicants, and operators of another jurisdiction', async () => {
    for (const principal of [PEOPLE.jilinReviewer, PEOPLE.dunhuaApplicant, PEOPLE.nationalOperator]) {
      await expect(desk().request({ kind: 'signed-in', principal }, CITY, letterRequest())).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    }
  });

  it("lets an operator file for its own provincial-rank level, but not Jilin's cities' candidate list there", async () => {
    const province = { ...CITY, jurisdictionCode: '220000' };
    const operator = {
      kind: 'signed-in' as const,
      principal: { sub: 'op-220000', role: 'operator' as const, jurisdiction: '220000' },
    };
    await expect(desk().request(operator, province, letterRequest())).resolves.toMatchObject({
      uploadedBy: 'user:op-220000',
    });
    await expect(
      desk().request(operator, province, { ...letterRequest(), kind: 'candidate-list' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("files Jilin's 10 April candidate list only where the province's notice asks for it: not for Shanxi's cities", async () => {
    const candidateList = { ...letterRequest(), kind: 'candidate-list', fileName: '候选名单.pdf' };
    await expect(desk().request(reviewer, CITY, candidateList)).resolves.toMatchObject({ kind: 'candidate-list' });
    const taiyuan = {
      kind: 'signed-in' as const,
      principal: { sub: 'reviewer-140100', role: 'reviewer' as const, jurisdiction: '140100' },
    };
    await expect(desk().request(taiyuan, { ...CITY, jurisdictionCode: '140100' }, candidateList)).rejects.toMatchObject(
      { details: [expect.objectContaining({ field: 'kind', code: 'NOT_ASKED_BY_THE_NOTICE' })] },
    );
    const page = (jurisdiction: string, overlay?: { milestones: { id: string }[] }) =>
      String(
        levelDocumentsPage(pageContext('zh', 'level-documents', {}, taiyuan.principal), {
          principal: { ...taiyuan.principal, jurisdiction },
          campaigns: [],
          chosen: {
            campaignId: CITY.campaignId,
            track: 'recommendation',
            documents: [],
            waiting: [],
            ...(overlay && { overlay }),
          },
          uploadOrigin: 'https://bucket.example',
        }).body,
      );
    expect(page('140100')).not.toContain('候选名单及推荐汇总表');
    expect(page('222400', { milestones: [{ id: 'candidate-list' }] })).toContain('候选名单及推荐汇总表');
  });

  it('lets a pending review link file for its own level only, and refuses a wrong secret', async () => {
    const open = letterStep(APP_ID);
    await seedWaiting(open);
    const { filer, level } = await desk().filerOfReview(open.reviewId, { kind: 'link', secret: SECRET });
    expect(level).toEqual(CITY);
    const requested = await desk().request(filer, level, letterRequest());
    expect(requested.uploadedBy).toBe('reviewer@yanbian.example.gov.cn');
    expect(requested.viaReviewId).toBe(open.reviewId);
    await expect(
      desk().request(filer, { ...CITY, jurisdictionCode: '220000' }, letterRequest()),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(desk().filerOfReview(open.reviewId, { kind: 'link', secret: 'wrong' })).rejects.toBeInstanceOf(
      ReviewLinkForbiddenError,
    );
  });

  it('refuses a link whose review was decided already (409)', async () => {
    const decided = letterStep(APP_ID, { status: 'DECIDED', decision: 'approve', decidedAt: now.toISOString() });
    await seedWaiting(decided);
    await expect(desk().filerOfReview(decided.reviewId, { kind: 'link', secret: SECRET })).rejects.toMatchObject({
      status: 409,
    });
  });

  it('refuses a file type the kind does not take, naming the field', async () => {
    await expect(
      desk().request(reviewer, CITY, { ...letterRequest(), fileName: 'letter.png', contentType: 'image/png' }),
    ).rejects.toMatchObject({ details: [expect.objectContaining({ field: 'contentType', code: 'TYPE_NOT_ALLOWED' })] });
  });
});

describe('the validator on a level document', () => {
  it('marks it VALID with the version it read, and a replay changes nothing', async () => {
    const objects = new Map<string, Buffer>();
    const { storage } = bucket(objects);
    const requested = await fileLetter(objects);
    await expect(checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey))).resolves.toBe('VALID');
    const stored = await store().get(requested.documentId);
    expect(stored).toMatchObject({
      status: 'VALID',
      versionId: 'v1',
      size: world.pdf.length,
      validatedSequencer: '0A1B',
    });
    const [ref] = await store().valid(CITY.campaignId, 'recommendation', '222400', 'formal-letter');
    expect(ref).toMatchObject({ documentId: requested.documentId, s3Key: requested.objectKey, versionId: 'v1' });

    await expect(checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey))).resolves.toBe('REPLAYED');
    expect(await store().get(requested.documentId)).toEqual(stored);
  });

  it('quarantines a second object for a decided document, and an object no document asked for', async () => {
    const objects = new Map<string, Buffer>();
    const { storage, quarantined } = bucket(objects);
    const requested = await fileLetter(objects);
    await checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey));
    await expect(checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey, '0B00'))).resolves.toBe(
      'QUARANTINED',
    );
    const stray = 'evidence/level-documents/00000000-0000-4000-8000-999999999999';
    await expect(checkUploadedLevelDocument(checkDeps(storage), event(stray))).resolves.toBe('QUARANTINED');
    expect(quarantined).toEqual([requested.objectKey, stray]);
    expect((await store().get(requested.documentId))?.status).toBe('VALID');
  });

  it('marks a file whose bytes are not what was declared INVALID, and files nothing', async () => {
    const objects = new Map<string, Buffer>();
    const { storage } = bucket(objects);
    const requested = await desk().request(reviewer, CITY, { ...letterRequest(), size: world.pdf.length + 1 });
    objects.set(requested.objectKey, world.pdf);
    await expect(checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey))).resolves.toBe('INVALID');
    expect(await store().valid(CITY.campaignId, 'recommendation', '222400', 'formal-letter')).toEqual([]);
  });
});

describe('the formal-letter gate', () => {
  it('completes every review of the level waiting at a formal-letter step once the letter is VALID, exactly once', async () => {
    const first = letterStep(APP_ID);
    const second = letterStep(OTHER_APP);
    // Not waiting for a letter: a plain review of the level, and a letter step of another campaign.
    const plain = review(now, { applicationId: '6b3c0d2e-1f4a-4b6c-9d7e-8f9a0b1c2d3e', taskToken: 'plain' });
    const elsewhere = letterStep('7c4d1e3f-2a5b-4c7d-8e9f-0a1b2c3d4e5f', { campaignId: 'another-call' });
    await seedWaiting(first, second, plain, elsewhere);

    const objects = new Map<string, Buffer>();
    const { storage } = bucket(objects);
    const requested = await fileLetter(objects);
    await checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey));

    expect(successes().sort()).toEqual([first.taskToken, second.taskToken].sort());
    for (const r of [first, second]) {
      expect(storedReview(r)).toMatchObject({
        status: 'DECIDED',
        decision: 'approve',
        decidedBy: 'user:reviewer-222400',
      });
      const audits = auditsOf(r.applicationId);
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        action: 'FORMAL_LETTER_ACCEPTED',
        actor: 'user:reviewer-222400',
        detail: expect.objectContaining({ reviewId: r.reviewId, documentId: requested.documentId }),
      });
    }
    expect(storedReview(plain)).toMatchObject({ status: 'PENDING' });
    expect(storedReview(elsewhere)).toMatchObject({ status: 'PENDING' });

    // The same S3 event again, and the gate run again by hand: nothing more is sent or audited.
    await checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey));
    await completeWaitingLetterSteps(gateDeps(), CITY);
    expect(successes()).toHaveLength(2);
    expect(auditsOf(first.applicationId)).toHaveLength(1);
    expect(auditsOf(second.applicationId)).toHaveLength(1);
  });

  it('names the signed-in uploader by their display name on the letter’s event and the approval it makes', async () => {
    const waiting = letterStep(APP_ID);
    await seedWaiting(waiting);
    const objects = new Map<string, Buffer>();
    const { storage } = bucket(objects);
    const named = { kind: 'signed-in' as const, principal: { ...PEOPLE.yanbianReviewer, name: '王审核' } };
    const requested = await desk().request(named, CITY, letterRequest());
    objects.set(requested.objectKey, world.pdf);
    await checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey));

    const events = world.table
      .all()
      .filter((item) => item.pk === `APP#${APP_ID}` && String(item.sk).startsWith('AUDIT#'));
    for (const action of ['FORMAL_LETTER_ACCEPTED', 'REVIEW_APPROVED']) {
      expect(events.find((item) => item.action === action)).toMatchObject({
        actor: 'user:reviewer-222400',
        actorName: '王审核',
      });
    }
  });

  it('two deliveries racing complete each review once', async () => {
    const first = letterStep(APP_ID);
    await seedWaiting(first);
    const objects = new Map<string, Buffer>();
    const { storage } = bucket(objects);
    const requested = await fileLetter(objects);
    await Promise.all([
      checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey)),
      checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey)),
    ]);
    expect(successes()).toEqual([first.taskToken]);
    expect(auditsOf(APP_ID)).toHaveLength(1);
  });

  it('refuses to approve a formal-letter step by hand without a VALID letter (409 naming the document)', async () => {
    const waiting = letterStep(APP_ID);
    await seedWaiting(waiting);
    await expect(world.approveByHand(waiting)).rejects.toMatchObject({
      code: 'LEVEL_DOCUMENT_MISSING',
      details: [expect.objectContaining({ field: 'levelDocuments.formal-letter' })],
    });
    expect(successes()).toEqual([]);
  });

  it('completes a formal-letter step at once when it opens after the letter was filed', async () => {
    const objects = new Map<string, Buffer>();
    const { storage } = bucket(objects);
    const requested = await fileLetter(objects);
    await checkUploadedLevelDocument(checkDeps(storage), event(requested.objectKey));
    seed(world.table).application(application(now, { status: 'CITY_REVIEW' }));
    seed(world.table).reviewers('222400', ['reviewer@yanbian.example.gov.cn']);

    const reviewDesk = world.reviewDesk();
    const opened = await reviewDesk.open({
      applicationId: APP_ID,
      revision: 3,
      stage: 'city',
      jurisdictionCode: '222400',
      deadline: new Date(now.getTime() + 10 * 86_400_000).toISOString(),
      round: 1,
      step: { index: 1, kind: 'formal-letter' },
      taskToken: 'opened-token',
    });
    expect(successes()).toEqual(['opened-token']);
    expect(world.table.get(`APP#${APP_ID}`, `REVIEW#${opened.reviewId}`)).toMatchObject({
      status: 'DECIDED',
      step: { index: 1, kind: 'formal-letter' },
    });
    expect(auditsOf(APP_ID)).toHaveLength(1);
  });
});

describe('the review page of a formal-letter step', () => {
  it('shows the letter the step needs, whether it is on file, and links to the level documents page', async () => {
    const waiting = letterStep(APP_ID);
    await seedWaiting(waiting);
    const reviewDesk = world.reviewDesk();
    const before = await reviewDesk.page(waiting.reviewId, { kind: 'link', secret: SECRET });
    expect(before.state === 'open' && before.levelDocuments).toEqual({
      needs: [{ kind: 'formal-letter', title: expect.objectContaining({ zh: '正式推荐文件（盖章）' }), valid: 0 }],
      pageUrl: `/console/level-documents?campaignId=${campaign.campaignId}&track=recommendation`,
    });
    const page = renderReviewPage(before);
    expect(page.body).toContain('id="level-documents"');
    expect(page.body).toContain('尚未报送');

    const objects = new Map<string, Buffer>();
    const { storage } = bucket(objects);
    const requested = await fileLetter(objects);
    // Filed without the gate (its review stays open): the page now says the letter is on file.
    await checkUploadedLevelDocument(
      { ...checkDeps(storage), onFiled: async () => undefined },
      event(requested.objectKey),
    );
    const after = await reviewDesk.page(waiting.reviewId, { kind: 'link', secret: SECRET });
    expect(after.state === 'open' && after.levelDocuments?.needs[0]?.valid).toBe(1);
    expect(renderReviewPage(after).body).toContain('已报送，校验有效');
  });

  it('shows nothing of the kind for a plain review', async () => {
    const plain = review(now, { taskToken: 'plain' });
    await seedWaiting(plain);
    const reviewDesk = world.reviewDesk();
    const model = await reviewDesk.page(plain.reviewId, { kind: 'link', secret: SECRET });
    expect(model.state === 'open' && model.levelDocuments).toBeUndefined();
    expect(renderReviewPage(model).body).not.toContain('id="level-documents"');
  });
});

describe('the summary table of a filed letter', () => {
  const table = {
    fileName: '推荐汇总表.xlsx',
    contentType: 'application/vnd.ms-excel',
    body: Buffer.from('xlsx bytes'),
  };

  const summaryDeps = (generate: SummaryDeps['generate'] = async () => table) => world.summaryDeps(generate);

  async function validLetter() {
    const objects = new Map<string, Buffer>();
    const { storage } = bucket(objects);
    const requested = await fileLetter(objects);
    await checkUploadedLevelDocument(
      { ...checkDeps(storage), onFiled: async () => undefined },
      event(requested.objectKey),
    );
    const document = await store().get(requested.documentId);
    if (!document) throw new Error('no document');
    return document;
  }

  it('is generated once, stored outside evidence/, and attached with its SHA-256', async () => {
    const document = await validLetter();
    const { deps, stored } = summaryDeps();
    await expect(attachSummaryTable(deps, document)).resolves.toBe(true);
    const key = `level-summaries/${document.documentId}/推荐汇总表.xlsx`;
    expect(stored).toEqual([key]);
    expect((await store().get(document.documentId))?.summaryTable).toEqual({
      s3Key: key,
      fileName: '推荐汇总表.xlsx',
      sha256: createHash('sha256').update(table.body).digest('hex'),
      size: table.body.byteLength,
      versionId: 'sv1',
      generatedAt: now.toISOString(),
    });
    // Replayed with the record as it now stands: nothing more is generated or stored.
    const again = await store().get(document.documentId);
    await expect(attachSummaryTable(deps, again ?? document)).resolves.toBe(false);
    expect(stored).toHaveLength(1);
  });

  it('is skipped where the level has no table of its own, and for minutes', async () => {
    const document = await validLetter();
    const { deps, stored } = summaryDeps(async () => {
      throw new ValidationError('no city tables in this province');
    });
    await expect(attachSummaryTable(deps, document)).resolves.toBe(false);
    await expect(attachSummaryTable(summaryDeps().deps, { ...document, kind: 'meeting-minutes' })).resolves.toBe(false);
    expect(stored).toEqual([]);
  });
});

describe('the level documents page', () => {
  /** One kind's item on the page, from its opening tag to its end. */
  const itemOf = (body: string, kind: string) => {
    const start = body.indexOf(`<li class="ev-item" data-criterion="${kind}"`);
    return body.slice(start, body.indexOf('</li>\n', body.indexOf('ev-refusal', start)));
  };

  it('offers the re-review’s letter (正式复核意见文件) on the re-review only', () => {
    const render = (track: 'recommendation' | 'rereview') =>
      String(
        levelDocumentsPage(pageContext('zh', 'level-documents', {}, PEOPLE.yanbianReviewer), {
          principal: PEOPLE.yanbianReviewer,
          campaigns: [],
          chosen: { campaignId: CITY.campaignId, track, documents: [], waiting: [] },
          uploadOrigin: 'https://bucket.example',
        }).body,
      );
    const recommendation = render('recommendation');
    expect(recommendation).toContain('正式推荐文件（盖章）');
    expect(recommendation).not.toContain('正式复核意见文件（盖章）');
    expect(render('rereview')).toContain('正式复核意见文件（盖章）');
  });

  it('says 尚未上传文件 for an item with no file, and keeps the note, hidden, where files are, for the script to show again', async () => {
    const objects = new Map<string, Buffer>();
    const requested = await fileLetter(objects);
    const documents = [(await store().get(requested.documentId))!];
    const render = (lang: 'zh' | 'en') =>
      String(
        levelDocumentsPage(pageContext(lang, 'level-documents', {}, PEOPLE.yanbianReviewer), {
          principal: PEOPLE.yanbianReviewer,
          campaigns: [],
          chosen: { campaignId: CITY.campaignId, track: 'recommendation', documents, waiting: [] },
          uploadOrigin: 'https://bucket.example',
        }).body,
      );
    const body = render('zh');
    // Between the item's facts and its chooser, as the portal's evidence page says it.
    expect(itemOf(body, 'meeting-minutes')).toMatch(
      /class="note ev-facts">[^<]*<\/p>\n<ul class="ev-files"><\/ul>\n<p class="note ev-none">尚未上传文件<\/p>\n<div class="ev-drop">/,
    );
    const letter = itemOf(body, 'formal-letter');
    expect(letter).toContain(`data-evidence-id="${requested.documentId}"`);
    expect(letter).toContain('<p class="note ev-none" hidden>尚未上传文件</p>');
    expect(itemOf(render('en'), 'meeting-minutes')).toContain('<p class="note ev-none">No file yet</p>');
  });
});

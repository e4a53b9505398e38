import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StepRef } from '../../../shared/ladder/contract.ts';
import type { LevelDocumentKind, LevelDocumentRef, PanelResult } from '../../../shared/ports/steps.ts';
import { decisionChoices, decisionSummary } from '../../../shared/review/answer-page.ts';
import { renderReviewPage } from '../../../shared/review/page.ts';
import { DEFAULT_FORMAL_CHECK } from '../../../shared/rules/steps.ts';
import { ReviewRecordSchema } from '../../../shared/schemas/reviews.ts';
import { APP_ID, application, campaignAt, makeDesk, review, SECRET, seed, seedReview } from './fixtures.ts';
import { mockedCloud } from './worlds.ts';

/**
 * The desk decides each review as its step asks (the gates are in step-gates.test.ts): the step's
 * record is stored with the decision and handed to the workflow, and the quota is reserved at the
 * step the route flags, the stage's forwarding step, and nowhere before it. Dunhua (Jilin) in the
 * demo campaign: its province runs 初审, sampling and the formal letter.
 */
const cloud = mockedCloud();
const { sfn } = cloud;

const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const link = { kind: 'link' as const, secret: SECRET };
let filed: Partial<Record<LevelDocumentKind, Partial<LevelDocumentRef>[]>>;
let panel: PanelResult | undefined;

beforeEach(() => {
  seed(cloud.table).campaign(campaign);
  filed = {};
  panel = undefined;
});

const desk = () =>
  makeDesk(() => now, [campaign], {
    levelDocuments: { valid: async (_c, _t, _j, kind) => (filed[kind] ?? []) as LevelDocumentRef[] },
    panels: { resultOf: async () => panel },
  });

/** The province's review at `step`, open (PENDING) for Dunhua. */
async function atProvince(step: StepRef, round = 1) {
  seed(cloud.table).application(application(now, { status: 'PROVINCE_REVIEW', stage: 'province', round, step }));
  const open = review(now, { stage: 'province', jurisdictionCode: '220000', step });
  await seedReview(open);
  return open.reviewId;
}

const quotaItems = () => cloud.table.all().filter((item) => String(item.pk).startsWith('QUOTA#'));
const stored = (reviewId: string) => ReviewRecordSchema.parse(cloud.table.get(`APP#${APP_ID}`, `REVIEW#${reviewId}`));
const handedOver = () =>
  sfn.commandCalls(SendTaskSuccessCommand).map((call) => JSON.parse(call.args[0].input.output ?? '{}'));

describe('the quota, at the forwarding step', () => {
  it('is not taken at the province’s 初审, nor at its sampling', async () => {
    const first = await atProvince({ index: 0, kind: 'review' });
    expect(first).toMatch(/\.province\.3\.1$/);
    await desk().decide(first, link, { decision: 'approve' });
    expect(quotaItems()).toEqual([]);

    filed['sampling-record'] = [{ applicationIds: [APP_ID] }];
    const sampling = await atProvince({ index: 1, kind: 'sampling' });
    expect(sampling).toMatch(/\.province\.3\.1\.1$/);
    await desk().decide(sampling, link, { decision: 'approve', sampling: { sampled: true } });
    expect(quotaItems()).toEqual([]);
    expect(stored(sampling)).toMatchObject({ step: { index: 1, kind: 'sampling' }, sampling: { sampled: true } });
  });

  it('is taken when the formal letter is approved, once the letter is filed', async () => {
    const letter = await atProvince({ index: 2, kind: 'formal-letter' });
    await expect(desk().decide(letter, link, { decision: 'approve' })).rejects.toMatchObject({
      status: 409,
      code: 'LEVEL_DOCUMENT_MISSING',
    });
    expect(quotaItems()).toEqual([]);
    expect(sfn.calls()).toHaveLength(0);

    filed['formal-letter'] = [{ documentId: 'letter-1' }];
    await desk().decide(letter, link, { decision: 'approve' });
    expect(quotaItems().length).toBeGreaterThan(0);
    expect(handedOver()).toEqual([expect.objectContaining({ reviewId: letter, decision: 'approve' })]);
  });
});

describe('what a step records', () => {
  it('a formal check stores its points with the decision', async () => {
    // A review of a kind the current sequence does not declare at its index keeps its own kind.
    const reviewId = await atProvince({ index: 0, kind: 'formal-check' });
    const checks = Object.fromEntries(DEFAULT_FORMAL_CHECK.map((point) => [point.id, 'pass']));
    await desk().decide(reviewId, link, { decision: 'approve', checks });
    expect(stored(reviewId).checks).toEqual(checks);
    expect(quotaItems()).toEqual([]);
  });

  it('the 初审 takes no formal-check points (400 naming the field)', async () => {
    const reviewId = await atProvince({ index: 0, kind: 'review' });
    await expect(
      desk().decide(reviewId, link, { decision: 'approve', checks: { 'form-complete': 'pass' } }),
    ).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ field: 'checks' })] });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('an expert panel’s aggregate goes to the workflow as the weighted score, with the mean scores', async () => {
    const reviewId = await atProvince({ index: 1, kind: 'expert-panel' });
    await expect(desk().decide(reviewId, link, { decision: 'approve' })).rejects.toMatchObject({
      code: 'PANEL_NOT_CLOSED',
    });
    panel = {
      closed: true,
      method: 'trimmed-mean',
      aggregate: 84.5,
      scores: [
        { expert: 'a', byCriterion: { 'core-competitiveness': 80 }, total: 80, scoredAt: now.toISOString() },
        { expert: 'b', byCriterion: { 'core-competitiveness': 90 }, total: 90, scoredAt: now.toISOString() },
      ],
      seated: 3,
      recused: 0,
      waitingFor: [],
    };
    await desk().decide(reviewId, link, { decision: 'approve' });
    expect(stored(reviewId)).toMatchObject({ weightedScore: 84.5, scores: { 'core-competitiveness': 85 } });
    expect(handedOver()).toEqual([
      expect.objectContaining({ weightedScore: 84.5, scores: { 'core-competitiveness': 85 } }),
    ]);
  });
});

describe('the review page, per step', () => {
  const render = async (reviewId: string) => renderReviewPage(await desk().page(reviewId, link)).body;

  it('at MIIT, offers to recognise, not to "recommend onward" (the walk: MIIT read 同意推荐 with nobody above it)', async () => {
    seed(cloud.table).application(application(now, { status: 'MIIT_REVIEW', stage: 'miit' }));
    const open = review(now, { stage: 'miit', jurisdictionCode: '000000' });
    await seedReview(open);
    const body = await render(open.reviewId);
    const choices = [...body.matchAll(/name="decision" value="(\w+)"[^>]*>([^<]+)<span class="en">([^<]+)</g)].map(
      (m) => [m[1], m[2]?.trim(), m[3]],
    );
    expect(choices).toEqual([
      ['approve', '认定', 'Recognise'],
      ['return', '退回修改', 'Return for revision'],
      ['reject', '不予认定', 'Do not recognise'],
    ]);
    expect(body).toContain('原因（退回修改或不予认定时必填）');
    expect(body).not.toContain('同意推荐');
    // A typical case is selected or not (docs/typical-cases.md); below MIIT, approving recommends onward.
    expect(decisionChoices('miit', 'typical-case')).toMatchObject({
      approve: { zh: '入选' },
      reject: { zh: '未入选' },
    });
    expect(decisionChoices('province', 'typical-case').approve.zh).toBe('同意推荐');
  });

  it('names a recorded decision as its level means it: MIIT recognised, not "recommended onward"', () => {
    const recorded = {
      reviewId: 'r',
      applicationId: '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42',
      round: 1,
      status: 'DECIDED' as const,
      decision: 'approve' as const,
      decidedBy: 'review-link',
      decidedAt: '2026-06-01T02:00:00.000Z',
    };
    const miit = decisionSummary({ ...recorded, stage: 'miit', track: 'recommendation' }).value;
    expect(miit).toContain('<strong>认定</strong> <span class="en">Recognise</span>');
    expect(miit).not.toContain('同意推荐');
    expect(decisionSummary({ ...recorded, stage: 'miit', track: 'typical-case' }).value).toContain(
      '<strong>入选</strong>',
    );
    expect(decisionSummary({ ...recorded, stage: 'city', track: 'recommendation' }).value).toContain(
      '<strong>同意推荐</strong>',
    );
  });

  it('at the expert panel, says how far the panel is and links to where the level runs it (the walk found no way there from the link)', async () => {
    const reviewId = await atProvince({ index: 1, kind: 'expert-panel' });
    const part = async () => /<div id="expert-panel">(.*?)<\/div>/s.exec(await render(reviewId))?.[1] ?? '';
    const href = `href="/console/panels/${encodeURIComponent(reviewId)}"`;
    const none = await part();
    expect(none).toContain('尚未选派评审专家');
    expect(none).toContain(href);
    panel = { closed: false, method: 'mean', scores: [], seated: 3, recused: 0, waitingFor: ['a', 'b'] };
    const open = await part();
    expect(open).toContain('在席专家 3 位，2 位未评分');
    expect(open).toContain(href);
    panel = { closed: true, method: 'mean', aggregate: 85, scores: [], seated: 3, recused: 0, waitingFor: [] };
    const closed = await part();
    expect(closed).toContain('专家评审已结束，综合得分 85；请在此作出决定。');
    expect(closed).toContain('The panel has closed with an aggregate of 85; decide here.');
    expect(closed).toContain(href);
  });

  it('shows the level’s sequence with the step under review marked, and the letter it needs', async () => {
    const letter = await atProvince({ index: 2, kind: 'formal-letter' });
    const before = await render(letter);
    expect(before).toContain('<li aria-current="step">正式推荐文件（当前步骤）');
    const sequence = /<ol class="steps">(.*?)<\/ol>/s.exec(before)?.[1] ?? '';
    expect(sequence.match(/<li( aria-current="step")?>[^ <（]+/g)).toEqual([
      '<li>审核',
      '<li>实地抽查',
      '<li aria-current="step">正式推荐文件',
    ]);
    expect(before).toContain('<p id="level-document" class="bad">');
    // The letter completes its step once valid: the form does not send the level to approve (the
    // walk read "completes by itself" above the form and "once it is valid, approve here" in it).
    const part = (body: string) => /<p id="level-document"[^>]*>(.*?)<\/p>/s.exec(body)?.[1] ?? '';
    expect(part(before)).toContain('校验有效后本步骤自动完成，无需在此同意');
    expect(part(before)).not.toContain('即可同意');
    // A province's 初审 scores; the letter step does not.
    expect(before).not.toContain('name="scores.');
    filed['formal-letter'] = [{ documentId: 'letter-1' }];
    const after = await render(letter);
    expect(after).toContain('<p id="level-document" class="ok">');
    expect(part(after)).toContain('本步骤随即自动完成');
  });

  it('asks the formal check’s points as pass/fail radios', async () => {
    const reviewId = await atProvince({ index: 0, kind: 'formal-check' });
    const body = await render(reviewId);
    for (const point of DEFAULT_FORMAL_CHECK) {
      expect(body).toContain(`name="checks.${point.id}" value="pass"`);
      expect(body).toContain(`name="checks.${point.id}" value="fail"`);
    }
  });

  it('draws a refused form again with the step’s answers kept: each point, sampled and its note', async () => {
    const [first, second] = DEFAULT_FORMAL_CHECK;
    const check = await atProvince({ index: 0, kind: 'formal-check' });
    const sent = { decision: 'return', checks: { [first!.id]: 'pass', [second!.id]: 'fail' } };
    const errors = [{ field: 'reason', code: 'REASON_REQUIRED', message: '须说明原因 / a reason is required' }];
    const checked = renderReviewPage(await desk().page(check, link), { sent, errors });
    expect(checked.statusCode).toBe(400);
    expect(checked.body).toContain(`name="checks.${first!.id}" value="pass" checked>`);
    expect(checked.body).toContain(`name="checks.${second!.id}" value="fail" checked>`);
    expect(checked.body).not.toContain(`name="checks.${first!.id}" value="fail" checked>`);

    const sampling = await atProvince({ index: 1, kind: 'sampling' });
    const sampled = renderReviewPage(await desk().page(sampling, link), {
      sent: { decision: 'approve', sampling: { sampled: true, note: '抽查了<园区>' } },
      errors: [{ field: 'sampling.note', code: 'X', message: '请说明 / say more' }],
    }).body;
    expect(sampled).toContain('name="sampling.sampled" value="true" checked>');
    expect(sampled).toContain('>抽查了&lt;园区&gt;</textarea>');
    // An error with no field of its own on the page is said above the form.
    expect(sampled).toMatch(/<div class="problem" role="alert">.*请说明 <span class="en">say more<\/span>/s);
  });

  it('asks sampling yes (always) with a note, and names the sampling record', async () => {
    const reviewId = await atProvince({ index: 1, kind: 'sampling' });
    const body = await render(reviewId);
    expect(body).toContain('name="sampling.sampled" value="true"');
    // The national call samples always: "not sampled" is no answer here.
    expect(body).not.toContain('name="sampling.sampled" value="false"');
    expect(body).toContain('name="sampling.note"');
    expect(body).toContain('实地抽查记录');
  });
});

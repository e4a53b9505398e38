import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asOperator } from '../integration/harness.ts';
import {
  asBeforeSteps,
  browserStack,
  expectNoSidewaysScroll,
  fileDraft,
  reviewLink,
  screenshot,
  submit,
} from './support.ts';

/**
 * The evidence uploader in Chromium, on the review page a city reviewer opens from the emailed
 * link: the city's on-site check statement (现场核查符合性说明) refused in the browser when it is
 * too large or of the wrong type, uploaded with a progress bar straight to the bucket (s3rver,
 * through its CORS rule and the page's connect-src), judged by the validator while the page
 * follows it (PENDING → VALID, or INVALID with the reason in Chinese), and an invalid file
 * replaced. Waits on the page's own status attributes, never on time. On a phone's screen
 * (375×667) without sideways scrolling, and axe-core finds no serious or critical violation.
 */

const campaign = asBeforeSteps(demoCampaign(new Date()));
const STATEMENT = '.ev-item[data-criterion="onsite-check-statement"]';
const web = browserStack();
let page: Page;
/** The review page, as the city reviewer's emailed link opens it. */
let reviewPath: string;
let applicationId: string;

/**
 * What the rows of the panel went through, recorded in the page: every status a row left (the
 * attribute's old value at each change; the status it is in now is on the row), every progress
 * value the bar left, and how often a bar was shown.
 */
const RECORDER = `(() => {
  window.__statuses = [];
  window.__progress = [];
  window.__barsShown = 0;
  new MutationObserver((records) => {
    for (const r of records) {
      const target = r.target;
      if (!target.matches) continue;
      if (target.matches('.ev-file') && r.attributeName === 'data-status' && r.oldValue !== null) window.__statuses.push(r.oldValue);
      if (target.matches('.ev-file progress') && r.attributeName === 'value' && r.oldValue !== null) window.__progress.push(Number(r.oldValue));
      if (target.matches('.ev-file progress') && r.attributeName === 'hidden' && r.oldValue === '') window.__barsShown += 1;
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-status', 'value', 'hidden'] });
})()`;

/** A PNG's first bytes behind a .pdf name: the validator's magic-byte check refuses it. */
const fakePdf = () =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 7)]);

beforeAll(async () => {
  const { stack } = web;
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  applicationId = await fileDraft(stack, campaign, {
    countyCode: '140105',
    clusterName: '太原市小店区装备制造产业集群（上传测试）',
    leadingIndustry: '装备制造',
    subSector: '煤机装备', // from Shanxi's sub-sector list
  });
  await submit(stack, applicationId);
  const link = await reviewLink(stack, applicationId, 'city');
  reviewPath = `/v1/reviews/${encodeURIComponent(link.reviewId)}?t=${encodeURIComponent(link.secret)}`;
  page = await web.newPage();
  await page.goto(web.url(reviewPath));
  await page.evaluate(RECORDER);
});

/** Requests the page made to the API's and the bucket's evidence endpoints, counted by the test. */
function uploadsSent(target: Page): string[] {
  const sent: string[] = [];
  target.on('request', (request) => {
    if (request.method() === 'POST') sent.push(request.url());
  });
  return sent;
}

describe('the review page’s evidence uploader (the city’s on-site statement)', () => {
  it('shows the item: required, its types and size limit, uploaded by the city', async () => {
    const item = page.locator(STATEMENT);
    expect(await item.locator('.ev-title').textContent()).toContain('现场核查符合性说明');
    const facts = (await item.locator('.ev-facts').textContent()) ?? '';
    expect(facts).toContain('必传');
    expect(facts).toContain('PDF / OFD');
    expect(facts).toContain('20.0 MB');
    expect(facts).toContain('由市（州）上传');
    expect(await item.locator('input[type=file]').count()).toBe(1);
  });

  it('refuses a too-large file and a wrong type in the browser, before any request', async () => {
    const sent = uploadsSent(page);
    const input = page.locator(`${STATEMENT} input.ev-input`);
    await input.setInputFiles([
      { name: '现场核查照片.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') },
      {
        name: '现场核查符合性说明（扫描件）.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.alloc(21 * 1024 * 1024, 1),
      },
    ]);
    const refusal = page.locator(`${STATEMENT} .ev-refusal`);
    await refusal.waitFor({ state: 'visible' });
    const text = (await refusal.textContent()) ?? '';
    expect(text).toContain('“现场核查照片.png”的格式不符合要求：本项只接受 PDF / OFD');
    expect(text).toContain('超过本项上限 20.0 MB');
    expect(await page.locator(`${STATEMENT} .ev-file`).count()).toBe(0);
    expect(sent).toEqual([]);
    await screenshot(page, 'evidence-refused-in-browser');
  });

  it('uploads a disguised file with a progress bar, and shows INVALID with the reason in Chinese', async () => {
    await page.locator(`${STATEMENT} input.ev-input`).setInputFiles({
      name: '现场核查符合性说明.pdf',
      mimeType: 'application/pdf',
      buffer: fakePdf(),
    });
    const row = page.locator(`${STATEMENT} .ev-file[data-status="INVALID"]`);
    await row.waitFor({ timeout: 20_000 });
    const reasons = (await row.locator('.ev-reasons').textContent()) ?? '';
    expect(reasons).toContain('文件的实际格式');
    expect(reasons).toMatch(/[\u4e00-\u9fff]/);
    const statuses = await page.evaluate<string[]>('window.__statuses');
    expect([...statuses, 'INVALID'].join(' ')).toMatch(/QUEUED .*UPLOADING .*PENDING .*INVALID/);
    // The bar was shown while the bytes went, and filled.
    expect(await page.evaluate('window.__barsShown')).toBeGreaterThanOrEqual(1);
    expect(await row.locator('progress').getAttribute('value')).toBe('100');
    await screenshot(page, 'evidence-invalid');
  });

  it('replaces the invalid file: the new one goes PENDING → VALID, the invalid one is removed', async () => {
    await page.evaluate('window.__statuses = []');
    const invalid = page.locator(`${STATEMENT} .ev-file[data-status="INVALID"]`);
    const invalidId = await invalid.getAttribute('data-evidence-id');
    const bytes = await samplePdf('On-site check statement', [applicationId]);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      invalid.getByRole('button', { name: '替换' }).click(),
    ]);
    await chooser.setFiles({ name: '现场核查符合性说明.pdf', mimeType: 'application/pdf', buffer: Buffer.from(bytes) });

    await page.locator(`${STATEMENT} .ev-file[data-status="VALID"]`).waitFor({ timeout: 20_000 });
    await page.locator(`${STATEMENT} .ev-file[data-evidence-id="${invalidId}"]`).waitFor({ state: 'detached' });
    const statuses = await page.evaluate<string[]>('window.__statuses');
    expect([...statuses, 'VALID'].join(' ')).toMatch(/UPLOADING .*PENDING .*VALID/);
    expect(await page.locator(`${STATEMENT} .ev-file`).count()).toBe(1);

    const evidence = (await (await asOperator(web.stack)).listEvidence(applicationId)).body.evidence;
    const statements = evidence.filter((e) => e.criterion === 'onsite-check-statement');
    expect(statements.map((e) => e.status)).toEqual(['VALID']);
    await screenshot(page, 'evidence-valid');
  });

  it('keeps a failed upload with a Retry button, and the retry goes through', async () => {
    // The bucket is unreachable for the first attempt (the request never leaves the browser).
    let aborted = 0;
    const toBucket = (url: URL) => !url.href.startsWith(web.stack.apiUrl);
    await page.route(toBucket, async (route) => {
      aborted += 1;
      await route.abort('connectionrefused');
    });
    const bytes = await samplePdf('On-site check statement, annex', [applicationId, 'annex']);
    await page.locator(`${STATEMENT} input.ev-input`).setInputFiles({
      name: '现场核查符合性说明（附件）.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(bytes),
    });
    const failed = page.locator(`${STATEMENT} .ev-file[data-status="FAILED"]`);
    await failed.waitFor();
    expect(aborted).toBe(1);
    expect(await failed.locator('.ev-state').textContent()).toBe('上传失败');
    await screenshot(page, 'evidence-failed');

    await page.unroute(toBucket);
    await failed.getByRole('button', { name: '重试' }).click();
    await page.locator(`${STATEMENT} .ev-file[data-status="VALID"]`).nth(1).waitFor({ timeout: 20_000 });
    expect(await page.locator(`${STATEMENT} .ev-file[data-status="FAILED"]`).count()).toBe(0);
    // One item for the file, though it was asked for twice (the retry kept its Idempotency-Key).
    const evidence = (await (await asOperator(web.stack)).listEvidence(applicationId)).body.evidence;
    expect(evidence.filter((e) => e.criterion === 'onsite-check-statement').map((e) => e.status)).toEqual([
      'VALID',
      'VALID',
    ]);
  });

  it('fits a 375×667 screen without sideways scrolling', async () => {
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'evidence-phone');
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    await web.expectAccessible(reviewPath);
  });
});

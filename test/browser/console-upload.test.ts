import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asOperator } from '../integration/harness.ts';
import {
  asBeforeSteps,
  browserStack,
  expectNoSidewaysScroll,
  expectPageAccessible,
  fileDraft,
  PHONE,
  reviewLink,
  screenshot,
  statusOf,
  submit,
  textOf,
} from './support.ts';

/**
 * The city's on-site check statement (现场核查符合性说明) uploaded from the console, signed in, in
 * Chromium on a phone: 太原市's reviewer opens 小店区's city review on the console, where the page
 * says the statement is missing; the uploader sends it with the session cookie (no link's secret
 * anywhere) straight to the bucket, the validator finds it VALID, and on the page drawn again the
 * statement is on file and the approval is recorded. Waits on the page's own status attributes
 * and on navigations, never on time. Screenshots: test-artifacts/screenshots/console-upload-*.png.
 */
const web = browserStack();
const TAIYUAN = ['reviewer', '140100'] as const;
const STATEMENT = '.ev-item[data-criterion="onsite-check-statement"]';
const campaign = asBeforeSteps(demoCampaign(new Date()));
let page: Page;
let reviewId = '';
let applicationId = '';

beforeAll(async () => {
  expect((await (await asOperator(web.stack)).createCampaign(campaign)).status).toBe(201);
  applicationId = await fileDraft(web.stack, campaign, {
    countyCode: '140105',
    clusterName: '太原市小店区装备制造产业集群（控制台上传）',
    leadingIndustry: '装备制造',
    subSector: '煤机装备', // from Shanxi's sub-sector list
  });
  await submit(web.stack, applicationId);
  ({ reviewId } = await reviewLink(web.stack, applicationId, 'city'));
  page = await web.signedIn(...TAIYUAN, `/console/reviews/${encodeURIComponent(reviewId)}`, PHONE);
});

const reviewPath = () => `/console/reviews/${encodeURIComponent(reviewId)}`;

describe('a Shanxi city reviewer uploads the on-site statement on the console and approves', () => {
  it('draws the uploader on the console’s review page, its requests without a secret', async () => {
    await page.goto(web.url(reviewPath()));
    await expect(textOf(page, 'h1')).resolves.toBe('太原市小店区装备制造产业集群（控制台上传）');
    await expect(page.locator('#your-decision p.bad').textContent()).resolves.toContain('现场核查符合性说明：尚未上传');
    const panel = page.locator('[data-evidence-panel]');
    await expect(panel.getAttribute('data-request-url')).resolves.toBe(`${reviewPath()}/evidence`);
    await expect(page.locator(`${STATEMENT} input[type=file]`).count()).resolves.toBe(1);
    await expectNoSidewaysScroll(page);
    await expectPageAccessible(page, 'the console review page with its uploader');
  });

  it('uploads the statement with the session: PENDING → VALID, on file for the application', async () => {
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') sent.push(request.url());
    });
    const bytes = await samplePdf('On-site check statement', [applicationId]);
    await page.locator(`${STATEMENT} input.ev-input`).setInputFiles({
      name: '现场核查符合性说明.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(bytes),
    });
    await page.locator(`${STATEMENT} .ev-file[data-status="VALID"]`).waitFor({ timeout: 20_000 });
    // The upload request went to the console's route (then the bytes to the bucket), no `t` in any URL.
    expect(sent.some((u) => new URL(u).pathname === `${reviewPath()}/evidence`)).toBe(true);
    expect(sent.filter((u) => new URL(u).searchParams.has('t'))).toEqual([]);
    const evidence = (await (await asOperator(web.stack)).listEvidence(applicationId)).body.evidence;
    expect(evidence.filter((e) => e.criterion === 'onsite-check-statement').map((e) => e.status)).toEqual(['VALID']);
    await screenshot(page, 'console-upload-valid');
  });

  it('approves once the page, drawn again, has the statement on file', async () => {
    await page.goto(web.url(reviewPath()));
    await expect(page.locator('#your-decision p.ok').textContent()).resolves.toContain('现场核查符合性说明：已上传');
    await page.locator('input[name="decision"][value="approve"]').focus();
    await page.keyboard.press('Space');
    const alsoNational = page.locator('input[name="alsoNational"][value="true"]');
    if ((await alsoNational.count()) > 0) {
      await alsoNational.focus();
      await page.keyboard.press('Space');
    }
    await Promise.all([
      page.waitForURL((u) => u.pathname === reviewPath() && u.searchParams.get('done') === 'decided'),
      page.getByRole('button', { name: /提交决定/ }).press('Enter'),
    ]);
    await expect(textOf(page, '[role="status"]')).resolves.toBe('决定已记录');
    await screenshot(page, 'console-upload-approved');
    await expect(statusOf(web.stack, applicationId)).resolves.not.toBe('CITY_REVIEW');
  });
});

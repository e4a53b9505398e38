import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { asOperator } from '../integration/harness.ts';
import { browserStack, expectNoSidewaysScroll, screenshot } from './support.ts';

/**
 * The level documents page (/console/level-documents) in Chromium, as 延边州's reviewer signed in
 * on a phone (375×667): the kinds the city files, its formal letter uploaded from the browser
 * (hashed in the page, posted straight to the bucket), followed PENDING → VALID as the validator
 * judges it, in Chinese; no sideways scrolling, and axe-core finds no serious or critical
 * violation. Waits on the page's own status attributes, never on time.
 */

const campaign = demoCampaign(new Date());
const LETTER = '.ev-item[data-criterion="formal-letter"]';
const web = browserStack();
const YANBIAN_REVIEWER = ['reviewer', '222400'] as const;
const pagePath = `/console/level-documents?campaignId=${encodeURIComponent(campaign.campaignId)}`;
let page: Page;

beforeAll(async () => {
  expect((await (await asOperator(web.stack)).createCampaign(campaign)).status).toBe(201);
  // Signed in on the console's sign-in page with a token pasted in, as a person would.
  page = await web.signedIn(...YANBIAN_REVIEWER, pagePath);
});

describe('the level documents page (the formal-letter upload)', () => {
  it('shows, in Chinese, the kinds a city files, with a chooser for each', async () => {
    expect(await page.locator('h1').textContent()).toContain('本级报送文件');
    const titles = await page.locator('.ev-item .ev-title').allTextContents();
    expect(titles).toEqual([
      // The recommendation's page: the re-review's letter (正式复核意见文件) is not offered here.
      '正式推荐文件（盖章）',
      '会议研究纪要',
      '实地抽查记录（照片及材料）',
      '候选名单及推荐汇总表（4月10日前）',
    ]);
    expect(await page.locator(`${LETTER} .ev-facts`).textContent()).toContain('PDF / OFD');
    expect(await page.locator('#waiting').textContent()).toContain('当前没有等待本级文件的审核步骤');
  });

  it('uploads the formal letter from the browser and shows the validator’s verdict', async () => {
    const bytes = await samplePdf('Formal letter', ['Yanbian']);
    await page.locator(`${LETTER} input.ev-input`).setInputFiles({
      name: '延边州正式推荐文件.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(bytes),
    });
    await page.locator(`${LETTER} .ev-file[data-status="VALID"]`).waitFor({ timeout: 20_000 });
    expect(await page.locator(`${LETTER} .ev-file .ev-state`).textContent()).toBe('校验通过');
    await screenshot(page, 'level-documents-letter-valid');

    // Opened again, the page lists the letter as filed, with its SHA-256 (beside it, that of the
    // level's summary table generated with the letter).
    await page.goto(web.url(pagePath));
    expect(await page.locator(`${LETTER} .ev-file[data-status="VALID"] code.note`).textContent()).toMatch(
      /SHA-256 [0-9a-f]{64}/,
    );
  });

  it('says 尚未上传文件 for a kind with no file, and again once its last (failed) upload is removed', async () => {
    const MINUTES = '.ev-item[data-criterion="meeting-minutes"]';
    const note = page.locator(`${MINUTES} .ev-none`);
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toBe('尚未上传文件');
    // The filed letter's item keeps the note, hidden, for the script.
    expect(await page.locator(`${LETTER} .ev-none`).count()).toBe(1);
    expect(await page.locator(`${LETTER} .ev-none`).isHidden()).toBe(true);

    // The upload is never granted (the request for it fails): the row fails, with Remove.
    const files = (url: URL) => url.pathname === '/console/level-documents/files';
    await page.route(files, (route) => (route.request().method() === 'POST' ? route.abort() : route.continue()));
    await page.locator(`${MINUTES} input.ev-input`).setInputFiles({
      name: '会议纪要.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await samplePdf('Minutes', ['Yanbian'])),
    });
    await page.locator(`${MINUTES} .ev-file[data-status="FAILED"]`).waitFor({ timeout: 20_000 });
    expect(await note.isHidden()).toBe(true);
    await page.unroute(files);

    await page.locator(`${MINUTES} .ev-file .ev-remove`).click();
    expect(await page.locator(`${MINUTES} .ev-file`).count()).toBe(0);
    expect(await note.isVisible()).toBe(true);
  });

  it('fits a 375×667 screen without sideways scrolling', async () => {
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'level-documents-phone');
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    await web.expectAccessible(pagePath, ...YANBIAN_REVIEWER);
  });
});

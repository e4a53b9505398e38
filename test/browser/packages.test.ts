import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidatedEvent } from '../../local/events.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { DEMO_CLUSTERS } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import { anonymous, as, asOperator } from '../integration/harness.ts';
import {
  asBeforeSteps,
  browserStack,
  expectNoSidewaysScroll,
  fileDraft,
  reviewLink,
  screenshot,
  submit,
  uploadPdf,
} from './support.ts';

/**
 * The packages page in a real browser: Jilin's reviewer signs in on the console, starts a build
 * of the province's submission package, sees it ready once the builder has run (size, file count),
 * and downloads the ZIP through its short-lived link; the page fits a phone.
 */
const clock = new ManualClock();
// The page is the subject, not the steps: one person step a level, the city's its on-site statement.
const campaign = asBeforeSteps(demoCampaign(new Date()));
const web = browserStack({ stepFunctions: { clock: { timers: clock } } });
const JILIN_REVIEWER = ['reviewer', '220000'] as const;
let page: Page;

const consoleUrl = (path: string) => web.url(`/console${path}`);
const packagesPath = () => `/console/packages?campaignId=${campaign.campaignId}`;

async function decide(
  applicationId: string,
  stage: string,
  body: { decision: 'approve'; alsoNational?: boolean; scores?: Record<string, number> },
) {
  const link = await reviewLink(web.stack, applicationId, stage);
  const decided = await anonymous(web.stack).decide(link.reviewId, { ...body, t: link.secret });
  expect(decided.status, decided.text).toBe(200);
}

beforeAll(async () => {
  const { stack } = web;
  expect((await (await asOperator(stack)).createCampaign(campaign)).status).toBe(201);
  const [dunhua] = DEMO_CLUSTERS;
  if (!dunhua) throw new Error('a demo cluster expected');
  const applicationId = await fileDraft(stack, campaign, dunhua);
  await submit(stack, applicationId);
  await reviewLink(stack, applicationId, 'city');
  await uploadPdf(stack, applicationId, 'onsite-check-statement');
  await decide(applicationId, 'city', { decision: 'approve', alsoNational: true });
  await decide(applicationId, 'province', {
    decision: 'approve',
    scores: Object.fromEntries(CRITERIA.map((c) => [c, 85])),
  });

  page = await web.signedIn(...JILIN_REVIEWER, packagesPath(), { width: 1280, height: 900 });
});

/** The next build the package builder has run (subscribe before starting it). */
function nextBuild(): Promise<ValidatedEvent> {
  return new Promise((resolve) => {
    const listener = (event: ValidatedEvent) => {
      if (!event.key.endsWith('/build.json')) return;
      web.stack.packageEvents.off('validated', listener);
      resolve(event);
    };
    web.stack.packageEvents.on('validated', listener);
  });
}

describe('the submission packages page', () => {
  let packageId = '';

  it('starts a build of the province’s package', async () => {
    await page.goto(consoleUrl(`/packages?campaignId=${campaign.campaignId}`));
    expect(await page.locator('h1').textContent()).toBe('报送材料包');
    const built = nextBuild();
    await Promise.all([page.waitForURL(/started=/), page.locator('button[data-action="build"]').click()]);
    packageId = new URL(page.url()).searchParams.get('started') ?? '';
    expect(packageId).toMatch(/^220000-recommendation-/);
    await expect(built).resolves.toMatchObject({ ok: true });
  });

  it('shows it ready, with its size and file count, and downloads the ZIP', async () => {
    await page.goto(consoleUrl(`/packages?campaignId=${campaign.campaignId}`));
    const row = page.locator(`tr[data-package="${packageId}"]`);
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('READY');
    expect(await row.textContent()).toMatch(/文件数 \d+/);
    // No formal letter was filed: the row says so in Chinese, as the manifest does in both languages.
    const missing = (await row.locator('details').textContent()) ?? '';
    expect(missing).toContain('01_正式推荐文件/ 本级尚未报送校验通过的正式文件');
    expect(missing).not.toContain('VALID');
    await screenshot(page, 'packages-ready');
    const link = row.locator('a[data-download]');
    expect((await link.getAttribute('href'))?.startsWith(web.stack.endpoints.s3)).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^2\d{3}年中小企业特色产业集群推荐材料（吉林省）-.+\.zip$/);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a ZIP
    const view = await (await as(web.stack, ...JILIN_REVIEWER)).package(campaign.campaignId, packageId);
    expect(bytes.byteLength).toBe(view.body.size);
  });

  it('fits a 375×667 screen without sideways scrolling, in English too', async () => {
    const phone = await web.signedIn(...JILIN_REVIEWER, packagesPath());
    await phone.goto(consoleUrl(`/packages?campaignId=${campaign.campaignId}&lang=en`));
    expect(await phone.locator('h1').textContent()).toBe('Submission packages');
    await expectNoSidewaysScroll(phone);
    await screenshot(phone, 'packages-phone-en');
    await phone.close();
  });
});

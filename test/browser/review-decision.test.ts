import { beforeAll, describe, expect, it } from 'vitest';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { review, SECRET } from '../unit/review/fixtures.ts';
import {
  browserStack,
  expectNoSidewaysScroll,
  expectPageAccessible,
  screenshot,
  seedProvinceReview,
} from './support.ts';

/**
 * The emailed review link's page in Chromium, on a phone (375×667): a decision the desk refuses
 * for what the form held (退回 with no reason) answers with the review page itself, status 400,
 * the choice and the score typed still there and the error beside the reason in Chinese and
 * English; its form posts again to the same decision. The province's review is written directly.
 */
const web = browserStack();
const now = new Date();
const campaign = demoCampaign(now);
const open = review(now, { stage: 'province', campaignId: campaign.campaignId });
const pagePath = `/v1/reviews/${encodeURIComponent(open.reviewId)}?t=${encodeURIComponent(SECRET)}`;

beforeAll(async () => {
  await seedProvinceReview(web.stack, { campaign, review: open, now });
});

describe('a refused decision on the review page', () => {
  it('draws the page again with the choice, the score and the reason’s error, and posts again from it', async () => {
    const page = await web.newPage();
    await page.goto(web.url(pagePath));
    await page.locator('input[name="decision"][value="return"]').check();
    const score = page.locator('input[name^="scores."]').first();
    await score.fill('82');

    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/decision')),
      page.locator('form[action$="/decision"] button[type="submit"]').click(),
    ]);
    expect(answer.status()).toBe(400);
    await page.waitForLoadState();
    expect(await page.locator('h1').first().textContent()).toBe('敦化市医药产业集群');
    expect(await page.locator('input[name="decision"][value="return"]').isChecked()).toBe(true);
    expect(await page.locator('input[name^="scores."]').first().inputValue()).toBe('82');
    const error = page.locator('#reason-error');
    expect(await error.textContent()).toContain('需说明原因');
    expect(await error.locator('.en').textContent()).toBe('a reason is required to return or reject');
    expect(await page.locator('#reason').getAttribute('aria-describedby')).toBe('reason-error');
    await expectNoSidewaysScroll(page);
    await expectPageAccessible(page, 'the review page with its refusal');
    await screenshot(page, 'review-decision-refused');

    // The form drawn at the decision's URL still posts to that decision (its paths step up once).
    const action = await page
      .locator('form[action$="/decision"]')
      .evaluate((form) => (form as { action: string }).action);
    expect(new URL(action).pathname).toBe(`/v1/reviews/${open.reviewId}/decision`);
    const [again] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/decision')),
      page.locator('form[action$="/decision"] button[type="submit"]').click(),
    ]);
    expect(again.status()).toBe(400);
    expect(await page.locator('input[name="decision"][value="return"]').isChecked()).toBe(true);
    await page.close();
  });
});

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
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
  uploadPdf,
} from './support.ts';

/**
 * A reviewer decides from the console in Chromium, on a phone (375×667), by keyboard alone:
 * 延边州's reviewer signs in, opens 敦化市's city review from the inbox's row, chooses, submits,
 * lands on the review's page saying the decision was recorded, and goes back to the inbox, where
 * the review is no longer waiting. The inbox, the review's page, a refused form and the recorded
 * decision: no sideways scroll, axe-core with no serious or critical violation, Chinese and
 * English. Waits on navigations, never on time. Screenshots: test-artifacts/screenshots/console-review-*.png.
 */
const web = browserStack();
const { url, expectAccessible } = web;
const YANBIAN = ['reviewer', '222400'] as const;
const campaign = asBeforeSteps(demoCampaign(new Date()));
let page: Page;
let reviewId = '';
let applicationId = '';

beforeAll(async () => {
  expect((await (await asOperator(web.stack)).createCampaign(campaign)).status).toBe(201);
  applicationId = await fileDraft(web.stack, campaign, {
    countyCode: '222403',
    clusterName: '敦化市医药产业集群',
    leadingIndustry: '医药健康',
    subSector: '中药材',
  });
  await submit(web.stack, applicationId);
  ({ reviewId } = await reviewLink(web.stack, applicationId, 'city'));
  // The city approves once its on-site check statement is on file (the link's page uploads it).
  await uploadPdf(web.stack, applicationId, 'onsite-check-statement');
  page = await web.signedIn(...YANBIAN, '/console/inbox', PHONE);
});

const reviewPath = () => `/console/reviews/${encodeURIComponent(reviewId)}`;

describe('a reviewer decides from the console', () => {
  it('opens the review from the inbox’s row by keyboard', async () => {
    await page.goto(url('/console/inbox'));
    const link = page.locator(`#reviews tr[data-review="${reviewId}"] a[data-open]`);
    await expect(link.textContent()).resolves.toBe('敦化市医药产业集群');
    await expectNoSidewaysScroll(page);
    // Its footer (本页每60秒自动刷新) was #777 on white, under 4.5:1.
    await expectPageAccessible(page, 'the inbox');
    await screenshot(page, 'console-review-inbox');
    await link.focus();
    await Promise.all([page.waitForURL((u) => u.pathname === reviewPath()), page.keyboard.press('Enter')]);
    await expect(textOf(page, 'h1')).resolves.toBe('敦化市医药产业集群');
    await expect(page.locator('.crumbs a').getAttribute('href')).resolves.toBe('/console/inbox');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'console-review-page');
    await expectPageAccessible(page, 'the review’s console page');
    await expectAccessible(`${reviewPath()}?lang=en`, ...YANBIAN);
  });

  it('draws the form again with the error beside the reason when a return has none', async () => {
    await page.locator('input[name="decision"][value="return"]').focus();
    await page.keyboard.press('Space');
    await Promise.all([
      page.waitForURL((u) => u.pathname === `${reviewPath()}/decision`),
      page.getByRole('button', { name: /提交决定/ }).press('Enter'),
    ]);
    await expect(page.locator('#reason-error').count()).resolves.toBe(1);
    await expect(page.locator('input[name="decision"][value="return"]').isChecked()).resolves.toBe(true);
    await expectNoSidewaysScroll(page);
    await expectPageAccessible(page, 'the refused form');
    await screenshot(page, 'console-review-refused');
  });

  it('approves by keyboard, lands on the page saying so, and goes back to the inbox', async () => {
    await page.locator('input[name="decision"][value="approve"]').focus();
    await page.keyboard.press('Space');
    // 敦化 is in Jilin: the city states whether it also recommends the cluster nationally.
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
    await expect(page.locator('form[action*="/decision"]').count()).resolves.toBe(0);
    await expectNoSidewaysScroll(page);
    await expectPageAccessible(page, 'the recorded decision');
    await screenshot(page, 'console-review-decided');

    const back = page.getByRole('link', { name: '前往审核待办' });
    await back.focus();
    await Promise.all([page.waitForURL((u) => u.pathname === '/console/inbox'), page.keyboard.press('Enter')]);
    await expect(page.locator(`tr[data-review="${reviewId}"]`).count()).resolves.toBe(0);
    await expect(statusOf(web.stack, applicationId)).resolves.not.toBe('CITY_REVIEW');
  });
});

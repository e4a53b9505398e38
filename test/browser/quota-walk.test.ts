import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { anonymous, as, asOperator } from '../integration/harness.ts';
import * as steps from '../integration/steps.ts';
import { browserStack, expectNoSidewaysScroll, expectPageAccessible, screenshot } from './support.ts';

/**
 * A full quota walked as Shanxi's cities meet it, with the demo campaign's own rules (Shanxi:
 * at most 3 per city, 1 per sub-sector, both taken when the city approves its last step, the
 * on-site statement). 太原市 forwards three and opens its emailed link for a fourth; 大同市
 * forwards one 特种钢 cluster and opens the link of a second. The page answers what the reviewer
 * sent: whose quota is full, what to do instead, the form kept. Once a county withdraws a
 * forwarded application, the refused one goes through from the same page.
 */
const web = browserStack();
const campaign = demoCampaign(new Date());

const filing = (countyCode: string, name: string, subSector: string) => ({
  countyCode,
  clusterName: name,
  leadingIndustry: '装备制造',
  subSector,
});

beforeAll(async () => {
  expect((await (await asOperator(web.stack)).createCampaign(campaign)).status).toBe(201);
});

/** The city's first step approved through the API; the on-site statement uploaded; its emailed link. */
async function atStatementStep(applicationId: string) {
  const review = await steps.reviewLink(web.stack, applicationId, 'city', 1, 0);
  const decided = await anonymous(web.stack).decide(review.reviewId, { t: review.secret, decision: 'approve' });
  expect(decided.status, decided.text).toBe(200);
  const statement = await steps.reviewLink(web.stack, applicationId, 'city', 1, 1);
  await steps.uploadPdf(web.stack, applicationId, 'onsite-check-statement');
  return statement;
}

/** Ticks approve, types a reason, and submits the page's form; answers the decision's response status. */
async function approveOnPage(page: Page, note: string): Promise<number> {
  await page.locator('input[name="decision"][value="approve"]').check();
  await page.locator('#reason').fill(note);
  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.url().includes('/decision')),
    page.locator('form[action$="/decision"] button[type="submit"]').click(),
  ]);
  await page.waitForLoadState();
  return answer.status();
}

const bodyText = async (page: Page) => (await page.locator('body').innerText()).replace(/\s+/g, ' ');

describe("Shanxi's city caps, met by a city's reviewer on the emailed link", () => {
  it('太原市 is refused a fourth on its page, keeps what it typed, and approves it once a slot is free', async () => {
    const counties = ['140105', '140106', '140107', '140108'];
    const sectors = ['coal-machinery', 'new-materials', 'rail-equipment', 'specialty-foods'];
    const ids: string[] = [];
    for (const [i, county] of counties.entries()) {
      ids.push(
        await steps.fileAndSubmit(web.stack, campaign, filing(county, `太原${i + 1}号产业集群`, sectors[i] ?? '')),
      );
    }
    for (const id of ids.slice(0, 3)) await steps.approveStage(web.stack, campaign, id, 'city');
    const fourth = ids[3] ?? '';
    const link = await atStatementStep(fourth);

    const page = await web.newPage();
    await page.goto(link.url);
    expect(await approveOnPage(page, '现场核查情况属实')).toBe(409);
    const text = await bodyText(page);
    // Whose quota, how much of it, and what to do instead, in the page's own words.
    expect(text).toContain('太原市推荐至省级的名额已满（已用 3/3）');
    expect(text).toContain('请选择“不予推荐”并说明原因');
    expect(text).toContain('已推荐的申报撤回、被取消或未获通过的，名额随即释放');
    expect(text).not.toContain('请补充或更正');
    // The form is drawn again with what the reviewer sent.
    expect(await page.locator('input[name="decision"][value="approve"]').isChecked()).toBe(true);
    expect(await page.locator('#reason').inputValue()).toBe('现场核查情况属实');
    await expectNoSidewaysScroll(page);
    await expectPageAccessible(page, 'the review page refused over the city cap');
    await screenshot(page, 'quota-walk-city-full');

    // 太原's first county withdraws its forwarded application: the city's slot is free again.
    const withdrawn = await (
      await as(web.stack, 'applicant', counties[0] ?? '')
    ).withdraw(ids[0] ?? '', {
      reason: '本县决定明年再报',
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    await page.goto(link.url);
    expect(await approveOnPage(page, '现场核查情况属实')).toBe(200);
    expect(await bodyText(page)).toContain('决定已记录');
    await page.close();
  });

  it('大同市 is refused a second 特种钢 cluster, naming the sub-sector', async () => {
    const first = await steps.fileAndSubmit(
      web.stack,
      campaign,
      filing('140212', '大同特种钢一号产业集群', 'special-steel'),
    );
    const second = await steps.fileAndSubmit(
      web.stack,
      campaign,
      filing('140213', '大同特种钢二号产业集群', 'special-steel'),
    );
    await steps.approveStage(web.stack, campaign, first, 'city');
    const link = await atStatementStep(second);

    const page = await web.newPage();
    await page.goto(link.url);
    expect(await approveOnPage(page, '同意推荐')).toBe(409);
    const text = await bodyText(page);
    expect(text).toContain('大同市在细分领域“特种钢”的推荐名额已满（已用 1/1，每个细分领域至多 1 个）');
    expect(await page.locator('input[name="decision"][value="approve"]').isChecked()).toBe(true);
    expect(await page.locator('#reason').inputValue()).toBe('同意推荐');
    await screenshot(page, 'quota-walk-sub-sector-full');
    await page.close();
  });
});

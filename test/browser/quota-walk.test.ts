import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRITERIA } from '../../shared/rules/criteria.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { anonymous, as, asOperator, sentEmails } from '../integration/harness.ts';
import * as steps from '../integration/steps.ts';
import { browserStack, expectNoSidewaysScroll, expectPageAccessible, PHONE, screenshot } from './support.ts';

/**
 * Full quotas walked as the people who meet them, with the demo campaign's own rules, each from
 * the emailed link. Shanxi: at most 3 per city and 1 per sub-sector, both taken when the city
 * approves its last step (the on-site statement): 太原市 forwards three and opens a fourth; 大同市
 * forwards one 特种钢 cluster and opens a second. Beijing: 8 to MIIT, taken at the province's
 * formal-letter step, which the letter completes by itself: nine wait when it is filed. Each page
 * says whose quota is full and what to do instead, before and after the reviewer tries, keeping
 * what was typed; once a slot comes free (a county withdraws, the province rejects one forwarded),
 * the refused one goes through from the same page.
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

const SCORES = Object.fromEntries(CRITERIA.map((criterion) => [criterion, 80]));

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
    // On the phone, where the browser lands after posting: the problem is on the first screen.
    const box = await page.locator('.problem').boundingBox();
    expect(box?.y ?? Infinity).toBeLessThan(PHONE.height);
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

  it('大同市 is refused a second 特种钢 cluster, naming the sub-sector, and approves it once the province rejects the first', async () => {
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

    // The province rejects the one forwarded, at its first step: the sub-sector's slot comes free.
    const check = await steps.reviewLink(web.stack, first, 'province', 1, 0);
    const rejected = await anonymous(web.stack).decide(check.reviewId, {
      t: check.secret,
      decision: 'reject',
      reason: '形式审查未通过',
    });
    expect(rejected.status, rejected.text).toBe(200);
    for (let i = 0; i < 50 && (await steps.statusOf(web.stack, first)) !== 'REJECTED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.goto(link.url);
    expect(await bodyText(page)).not.toContain('名额已满');
    expect(await approveOnPage(page, '同意推荐')).toBe(200);
    await page.close();
  });
});

describe("a province's quota to MIIT, met where the province forwards: its formal-letter step", () => {
  it('北京市 files its letter with nine waiting: eight go on, the ninth is refused on its page, and approved once a slot is free', async () => {
    const BEIJING = '110000';
    const districts = ['110101', '110102', '110105', '110106', '110107', '110108', '110109', '110111', '110112'];
    const ids: string[] = [];
    for (const [i, county] of districts.entries()) {
      ids.push(await steps.fileAndSubmit(web.stack, campaign, filing(county, `北京${i + 1}号产业集群`, '智能装备')));
    }
    const level = { campaignId: campaign.campaignId, track: 'recommendation' as const, jurisdiction: BEIJING };
    // 初审 and 实地抽查 for all nine (one sampling record naming them all); each then waits at the letter.
    for (const id of ids) {
      const review = await steps.reviewLink(web.stack, id, 'province', 1, 0);
      const decided = await anonymous(web.stack).decide(review.reviewId, {
        t: review.secret,
        decision: 'approve',
        scores: SCORES,
      });
      expect(decided.status, decided.text).toBe(200);
    }
    await steps.fileLevelDocument(web.stack, level, 'sampling-record', { applicationIds: ids });
    for (const id of ids) {
      const sampling = await steps.reviewLink(web.stack, id, 'province', 1, 1);
      const decided = await anonymous(web.stack).decide(sampling.reviewId, {
        t: sampling.secret,
        decision: 'approve',
        sampling: { sampled: true, note: '现场查看，情况属实' },
      });
      expect(decided.status, decided.text).toBe(200);
    }
    const letterLinks = [];
    for (const id of ids) letterLinks.push(await steps.reviewLink(web.stack, id, 'province', 1, 2));
    await steps.fileLevelDocument(web.stack, level, 'formal-letter');
    // Which one waits still: its letter step's page is the one not decided.
    const page = await web.newPage();
    let link;
    for (const candidate of letterLinks) {
      await page.goto(candidate.url);
      if ((await page.locator('input[name="decision"]').count()) > 0) {
        expect(link, 'only one is left waiting').toBeUndefined();
        link = candidate;
      }
    }
    if (!link) throw new Error('none waits at the letter');
    await page.goto(link.url);
    // Before anyone decides: the letter is valid, yet this one did not go on; the page says why.
    const before = await bodyText(page);
    expect(before).toContain('北京市推荐至工业和信息化部的名额已满（已用 8/8）');
    // Beijing keeps no list of its own: none is offered as a way on.
    expect(before).not.toContain('本省名单');
    expect(before).not.toContain('本步骤随即自动完成');
    expect(before).not.toContain('本步骤自动完成');
    await expectPageAccessible(page, 'the letter step over a full quota');
    await screenshot(page, 'quota-walk-province-letter-waiting');
    expect(await approveOnPage(page, '')).toBe(409);
    const refused = await bodyText(page);
    expect(refused).toContain('无法记录该决定');
    expect(refused).not.toContain('本省名单');
    await screenshot(page, 'quota-walk-province-full');

    // The province's reviewers were emailed, once, when the gate refused: it waits, and why.
    const waitingName = `北京${ids.findIndex((id) => link.reviewId.startsWith(id)) + 1}号产业集群`;
    const told = (await sentEmails(web.stack)).filter((e) => e.subject.startsWith('【名额已满·未自动完成】'));
    expect(told.map((e) => e.subject)).toEqual([expect.stringContaining(waitingName)]);
    expect(told[0]?.destination.to.length).toBeGreaterThan(0);
    expect(told[0]?.body.text).toContain('北京市推荐至工业和信息化部的名额已满（已用 8/8）');
    expect(told[0]?.body.text).toContain('/console/inbox');

    // The signed-in inbox lists it, the only review left to do, at its letter step, marked.
    const inbox = await web.signedIn('reviewer', BEIJING, '/console/inbox');
    const listed = await inbox.locator(`tr[data-review="${link.reviewId}"]`).innerText();
    expect(listed).toContain('正式推荐文件');
    expect(listed).toContain('北京市推荐至工业和信息化部的名额已满（已用 8/8）');
    expect(await bodyText(inbox)).toContain('待办 (1)');
    // The ranking: eight hold the slots, the ninth waits over the quota.
    const ranking = inbox.locator('#ranking');
    expect(await ranking.innerText()).toContain('推荐名额 (8/8)');
    expect(await ranking.locator('td[data-quota="held"]').count()).toBe(8);
    expect(await ranking.locator('td[data-quota="waiting"]').count()).toBe(1);
    // The marked rows and the wider ranking stay readable: contrast, and the table's scroll by keyboard.
    await expectPageAccessible(inbox, 'the province’s inbox over a full quota');
    await screenshot(inbox, 'quota-walk-province-inbox');
    await inbox.close();

    // A district withdraws one that went on: the slot is free, and the page lets the ninth through.
    const forwarded = ids.find((id) => !link.reviewId.startsWith(id)) ?? '';
    const withdrawn = await (await steps.applicantOf(web.stack, forwarded)).withdraw(forwarded, { reason: '撤回' });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    await page.goto(link.url);
    expect(await bodyText(page)).not.toContain('名额已满');
    expect(await approveOnPage(page, '')).toBe(200);
    expect(await bodyText(page)).toContain('决定已记录');
    await page.close();
  });
});

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { reviewLadderMachine } from '../../local/review-ladder.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import type { PrincipalRole } from '../../shared/platform/auth/principal.ts';
import { as, asOperator, whenTaskWaiting } from '../integration/harness.ts';
import { ladderExecution } from '../integration/steps.ts';
import {
  asBeforeSteps,
  browserStack,
  fileDraft,
  reviewLink,
  screenshot,
  statusOf,
  submit,
  textOf,
  uploadPdf,
} from './support.ts';

/**
 * The ops console, the reviewer inbox and the review page in a real browser against the whole
 * local stack: applications in two provinces (Jilin, Shanxi), one of whose executions fails in
 * EnterStage until a flag flips; the board, the drill-down down to a timeline, the redrive of the
 * failed execution, decisions on the review page from the emailed links, and the inbox. Each
 * person signs in on the console's sign-in page with an ID token from the local issuer.
 * Screenshots of every page go to test-artifacts/screenshots/.
 */

const clock = new ManualClock();
const campaign = asBeforeSteps(demoCampaign(new Date()));
/** Applications whose EnterStage task throws (the injected outage), until removed. */
const outage = new Set<string>();
const web = browserStack({
  stepFunctions: { clock: { timers: clock }, retry: { intervalScale: 0 } },
  stateMachines: async () => {
    const ladder = await reviewLadderMachine();
    const enterStage = ladder.handlers.enterStage;
    if (!enterStage) throw new Error('the ladder has no enterStage task');
    const flaky = async (payload: unknown) => {
      const text = JSON.stringify(payload);
      if ([...outage].some((id) => text.includes(id)))
        throw new Error('injected outage: enter-stage cannot reach its table');
      return enterStage(payload);
    };
    return [{ ...ladder, handlers: { ...ladder.handlers, enterStage: flaky } }];
  },
});
let page: Page;

const ids = { dunhua: '', yanji: '', nanguan: '', xiaodian: '', yingze: '' };

const consoleUrl = (path: string) => web.url(`/console${path}`);
const board = (lang = '') => consoleUrl(`/board?campaignId=${campaign.campaignId}${lang ? `&lang=${lang}` : ''}`);
const cellOf = (code: string, status: string) =>
  textOf(page, `#provinces tr[data-code="${code}"] td[data-status="${status}"]`);

beforeAll(async () => {
  expect((await (await asOperator(web.stack)).createCampaign(campaign)).status).toBe(201);

  // Jilin: two in 延边 under city review, one draft in 长春. Shanxi: one under city review in
  // 太原, and one whose execution fails at EnterStage.
  const SHANXI_PICKS: Record<string, string> = { '140105': '煤机装备', '140106': '新材料' };
  const filing = (countyCode: string, clusterName: string) => ({
    countyCode,
    clusterName,
    leadingIndustry: '医药健康',
    // Shanxi's counties pick from the province's list; elsewhere the sub-sector is free text.
    subSector: SHANXI_PICKS[countyCode] ?? `细分领域${countyCode}`,
  });
  ids.dunhua = await fileDraft(web.stack, campaign, filing('222403', '敦化市医药产业集群'));
  ids.yanji = await fileDraft(web.stack, campaign, filing('222401', '延吉市食品产业集群'));
  ids.nanguan = await fileDraft(web.stack, campaign, filing('220102', '长春市南关区汽车零部件产业集群'), false);
  ids.xiaodian = await fileDraft(web.stack, campaign, filing('140105', '太原市小店区装备制造产业集群'));
  ids.yingze = await fileDraft(web.stack, campaign, filing('140106', '太原市迎泽区新材料产业集群'));
  outage.add(ids.yingze);
  for (const id of [ids.dunhua, ids.yanji, ids.xiaodian, ids.yingze]) await submit(web.stack, id);
  for (const id of [ids.dunhua, ids.yanji, ids.xiaodian]) await reviewLink(web.stack, id, 'city');
  const failed = execution(ids.yingze);
  expect((await web.stack.stepFunctions.waitForExecution(failed.executionArn, 15_000)).status).toBe('FAILED');

  page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await web.signIn(page, 'operator', '000000');
});

/** Signs out with the header's button, then in as someone else. */
async function switchTo(role: PrincipalRole, jurisdiction: string): Promise<void> {
  await page.goto(consoleUrl(''));
  await Promise.all([page.waitForURL(/\/console\/sign-in/), page.getByRole('button', { name: '退出登录' }).click()]);
  await web.signIn(page, role, jurisdiction);
}

const execution = (applicationId: string) => ladderExecution(web.stack, applicationId);

describe('signing in to the console', () => {
  it('sends a browser without a session to the sign-in page, and back where it was going after', async () => {
    const stranger = await web.browser.newPage({ viewport: { width: 390, height: 844 } });
    await stranger.goto(board());
    expect(new URL(stranger.url()).pathname).toBe('/console/sign-in');
    expect(new URL(stranger.url()).searchParams.get('next')).toBe(`/console/board?campaignId=${campaign.campaignId}`);
    await screenshot(stranger, 'console-sign-in');

    await stranger.locator('textarea#token').fill('not a token');
    await stranger.getByRole('button', { name: '登录' }).click();
    expect(await stranger.locator('textarea#token').count()).toBe(1);
    await screenshot(stranger, 'console-sign-in-refused');

    const { token } = await as(web.stack, 'operator', '000000');
    await stranger.locator('textarea#token').fill(token ?? '');
    await Promise.all([
      stranger.waitForURL(/\/console\/board\?campaignId=/),
      stranger.getByRole('button', { name: '登录' }).click(),
    ]);
    expect(await textOf(stranger, 'h1')).toContain(campaign.name.zh);
    // The session is an HttpOnly cookie: the page's scripts cannot read it.
    expect(await stranger.evaluate('document.cookie')).toBe('');
    const [cookie] = await stranger.context().cookies();
    expect(cookie).toMatchObject({ name: 'cp_session', httpOnly: true, sameSite: 'Strict' });
    await stranger.close();
  });

  it('signs in through the identity provider’s page (locally the stand-in for Cognito’s) and lands where it was going', async () => {
    const official = await web.browser.newPage({ viewport: { width: 390, height: 844 } });
    await official.goto(board());
    expect(new URL(official.url()).pathname).toBe('/console/sign-in');
    await Promise.all([
      official.waitForURL(/\/local-issuer\/authorize\?/),
      official.locator('#provider-sign-in-link').click(),
    ]);
    const authorize = new URL(official.url());
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${web.stack.apiUrl}/console/sign-in/callback`);
    await screenshot(official, 'local-provider-sign-in');

    await official.locator('select#role').selectOption('operator');
    await official.locator('input#jurisdiction').fill('000000');
    // The provider sends the browser back to the callback, which opens the session and moves on.
    await Promise.all([
      official.waitForURL(/\/console\/board\?campaignId=/),
      official.getByRole('button', { name: /Sign in/ }).click(),
    ]);
    expect(await textOf(official, 'h1')).toContain(campaign.name.zh);
    const names = (await official.context().cookies()).map((c) => c.name);
    expect(names).toContain('cp_session');
    expect(names).not.toContain('cp_oauth');
    await official.close();
  });

  it('shows a provincial operator its province, and a reviewer no board at all', async () => {
    const jilin = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await web.signIn(jilin, 'operator', '220000');
    await jilin.goto(board());
    expect(new URL(jilin.url()).searchParams.get('code')).toBe('220000');
    expect(await textOf(jilin, 'h1')).toContain('吉林省');
    const shanxi = await jilin.goto(consoleUrl(`/jurisdiction?campaignId=${campaign.campaignId}&code=140000`));
    expect(shanxi?.status()).toBe(403);
    await screenshot(jilin, 'console-forbidden');
    await jilin.close();

    const reviewer = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await web.signIn(reviewer, 'reviewer', '222400');
    expect((await reviewer.goto(board()))?.status()).toBe(403);
    await reviewer.close();
  });

  it('lands a reviewer who signs in, or follows the brand link, on the inbox, not on a refusal', async () => {
    // The province's walk: signing in without a `next` went to /console, a 403 for every reviewer.
    const province = await web.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await web.signIn(province, 'reviewer', '220000');
    expect(new URL(province.url()).pathname).toBe('/console/inbox');
    expect(await textOf(province, 'h1')).toContain('审核待办');
    await province.goto(consoleUrl('/packages'));
    await Promise.all([province.waitForURL(/\/console\/inbox/), province.locator('a.brand').click()]);
    expect(await textOf(province, 'h1')).toContain('吉林省');
    await province.close();
  });
});

describe('the ops console in a browser', () => {
  it('picks the campaign and shows the board: counts by province and status, what is late, what failed, quota', async () => {
    await page.goto(consoleUrl(''));
    await screenshot(page, 'console-campaigns');
    await page.getByRole('link', { name: campaign.name.zh }).click();
    await page.waitForURL(/\/console\/board\?campaignId=/);

    expect(await textOf(page, 'h1')).toContain(campaign.name.zh);
    expect(await cellOf('220000', 'CITY_REVIEW')).toBe('2');
    expect(await cellOf('220000', 'DRAFT')).toBe('1');
    expect(await textOf(page, '#provinces tr[data-code="220000"] td[data-total]')).toBe('3');
    expect(await cellOf('140000', 'CITY_REVIEW')).toBe('1');
    // The failed one never entered its stage.
    expect(await cellOf('140000', 'SUBMITTED')).toBe('1');
    expect(await textOf(page, '#provinces tr[data-code="total"] td[data-total]')).toBe('5');
    expect(await textOf(page, '#quotas li[data-quota="recommendation#provincial#220000"] .count')).toBe('0 / 8');
    expect(await textOf(page, '#quotas li[data-quota="recommendation#provincial#140000"] .count')).toBe('0 / 8');
    expect(await textOf(page, '#late')).toContain('没有逾期事项');
    const failed = page.locator(`#failed li[data-execution^="${ids.yingze}"]`);
    expect(await failed.textContent()).toContain('injected outage');
    expect(await failed.getByRole('button', { name: '从失败处继续执行' }).count()).toBe(1);
    expect(await page.locator('#calendar tr[data-date]').count()).toBeGreaterThan(0);
    await screenshot(page, 'console-board');

    await page.getByRole('link', { name: 'English' }).click();
    expect(await textOf(page, '#late h2')).toContain('What is late');
    expect(page.url()).toContain('lang=en');
    await screenshot(page, 'console-board-en');
  });

  it('fits a phone: the board at 390×844 scrolls its tables, not the page', async () => {
    const phone = await web.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await web.signIn(phone, 'operator', '000000');
    await phone.goto(board());
    const width = await phone.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(phone, 'console-board-phone');
    await phone.close();
  });

  it('drills down province → city → county → the application’s timeline', async () => {
    await page.goto(board());
    await page.locator('#provinces tr[data-code="220000"] a').click();
    await page.waitForURL(/code=220000/);
    expect(await textOf(page, 'h1')).toContain('吉林省');
    expect(await textOf(page, '#children tr[data-code="222400"] td[data-total]')).toBe('2');
    expect(await textOf(page, '#children tr[data-code="220100"] td[data-status="DRAFT"]')).toBe('1');
    expect(await textOf(page, '#quotas .count')).toBe('0 / 8');
    await screenshot(page, 'console-jurisdiction-province');

    await page.locator('#children tr[data-code="222400"] a').click();
    await page.waitForURL(/code=222400/);
    expect(await textOf(page, '#children tr[data-code="222403"] td[data-status="CITY_REVIEW"]')).toBe('1');
    expect(await textOf(page, '#children tr[data-code="222401"] td[data-status="CITY_REVIEW"]')).toBe('1');
    await screenshot(page, 'console-jurisdiction-city');

    await page.locator('#children tr[data-code="222403"] a').click();
    await page.waitForURL(/code=222403/);
    expect(await page.locator('#applications tr[data-application]').count()).toBe(1);
    await screenshot(page, 'console-jurisdiction-county');

    await page.getByRole('link', { name: '敦化市医药产业集群' }).click();
    await page.waitForURL(/\/console\/application\?id=/);
    expect(await page.locator('#timeline tr[data-action="SUBMITTED"]').count()).toBe(1);
    expect(await textOf(page, '#timeline tr[data-action="STAGE_ENTERED"]')).toMatch(
      /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/,
    );
    expect(await textOf(page, '#timeline tr[data-action="STAGE_ENTERED"]')).toContain('已提交 → 市级审核');
    await screenshot(page, 'console-application-timeline');
  });

  it('redrives the failed execution once the outage is over, and the application moves on', async () => {
    await page.goto(board());
    const failed = page.locator(`#failed li[data-execution^="${ids.yingze}"]`);
    outage.delete(ids.yingze);
    const reloaded = page.waitForEvent('load', { timeout: 15_000 });
    await failed.getByRole('button', { name: '从失败处继续执行' }).click();
    await failed.locator('output.ok').waitFor({ timeout: 10_000 });
    expect(await failed.locator('output').textContent()).toContain('已重新驱动');
    await reloaded;

    await whenTaskWaiting(
      web.stack,
      (task) => task.executionArn.includes(ids.yingze) && task.stateName === 'RequestReview',
    );
    expect(await statusOf(web.stack, ids.yingze)).toBe('CITY_REVIEW');
    await page.goto(board());
    expect(await page.locator(`#failed li[data-execution^="${ids.yingze}"]`).count()).toBe(0);
    expect(await cellOf('140000', 'CITY_REVIEW')).toBe('2');
    await screenshot(page, 'console-board-after-redrive');

    await page.goto(consoleUrl(`/application?id=${ids.yingze}`));
    expect(await page.locator('#timeline tr[data-action="EXECUTION_REDRIVEN"]').count()).toBe(1);
    await screenshot(page, 'console-application-redriven');
  });

  it('answers a redrive the runtime refuses with the error’s message', async () => {
    // The redriven execution is running again: a second redrive is refused (409), shown on the page.
    // The console's button posts with the session cookie (its script cannot read the token).
    const answer = await page.evaluate(
      async (name): Promise<{ status: number; body: { error?: { message?: string } } }> => {
        const response = await fetch(`/console/executions/${name}/redrive`, { method: 'POST' });
        return { status: response.status, body: (await response.json()) as { error?: { message?: string } } };
      },
      execution(ids.yingze).name,
    );
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.body.error?.message).toBeTruthy();
  });
});

describe('the review page in a browser', () => {
  it('approves at the city from the emailed link: fill the form, see the result page', async () => {
    await uploadPdf(web.stack, ids.dunhua, 'onsite-check-statement');
    const city = await reviewLink(web.stack, ids.dunhua, 'city');
    await page.goto(city.url);
    expect(await textOf(page, 'h1')).toBe('敦化市医药产业集群');
    await screenshot(page, 'review-page-city');
    await page.locator('input[name="decision"][value="approve"]').check();
    // 敦化 is in Jilin: the city states whether it also recommends the cluster nationally.
    await page.locator('input[name="alsoNational"][value="true"]').check();
    await Promise.all([page.waitForURL(/\/decision$/), page.getByRole('button', { name: /提交决定/ }).click()]);
    expect(await textOf(page, 'h1')).toContain('决定已记录');
    await screenshot(page, 'review-result-approved');
  });

  it('approves at the province with expert scores, which takes a quota slot shown on the gauges', async () => {
    const province = await reviewLink(web.stack, ids.dunhua, 'province');
    await page.goto(province.url);
    const scores = page.locator('input[name^="scores."]');
    const count = await scores.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await scores.nth(i).fill(String(80 + i));
    await page.locator('input[name="decision"][value="approve"]').check();
    await screenshot(page, 'review-page-province-scored');
    await Promise.all([page.waitForURL(/\/decision$/), page.getByRole('button', { name: /提交决定/ }).click()]);
    expect(await textOf(page, 'h1')).toContain('决定已记录');
    await screenshot(page, 'review-result-province');

    await page.goto(board());
    expect(await textOf(page, '#quotas li[data-quota="recommendation#provincial#220000"] .count')).toBe('1 / 8');
    await page.goto(consoleUrl(`/jurisdiction?campaignId=${campaign.campaignId}&code=220000`));
    expect(await textOf(page, '#quotas .count')).toBe('1 / 8');
    expect(await textOf(page, '#quotas .holders')).toContain('敦化市医药产业集群');
    await screenshot(page, 'console-jurisdiction-quota-holder');
  });

  it('returns for revision with a reason, and the result page says so', async () => {
    const city = await reviewLink(web.stack, ids.yanji, 'city');
    await page.goto(city.url);
    await page.locator('input[name="decision"][value="return"]').check();
    await page.locator('#reason').fill('现场核查发现产值数据与统计年鉴不一致，请核实后重报');
    await Promise.all([page.waitForURL(/\/decision$/), page.getByRole('button', { name: /提交决定/ }).click()]);
    expect(await textOf(page, 'h1')).toContain('决定已记录');
    expect(await textOf(page, 'body')).toContain('现场核查发现产值数据与统计年鉴不一致');
    await screenshot(page, 'review-result-returned');
    await whenTaskWaiting(
      web.stack,
      (task) => task.executionArn.includes(ids.yanji) && task.stateName === 'AwaitResubmission',
    );
    expect(await statusOf(web.stack, ids.yanji)).toBe('RETURNED');
  });
});

describe('the reviewer inbox in a browser', () => {
  it('lists the city’s pending reviews, and the resend button answers', async () => {
    await switchTo('reviewer', '140100');
    const response = await page.goto(consoleUrl('/inbox'));
    expect(response?.status(), 'GET /console/inbox (functions/reviews.ts → consoleInboxPage)').toBe(200);
    expect(await textOf(page, 'h1')).toContain('太原市');
    const row = page.locator(`#reviews tr[data-review^="${ids.xiaodian}.city."]`);
    expect(await row.textContent()).toContain('太原市小店区装备制造产业集群');
    expect(await page.locator(`#reviews tr[data-review^="${ids.yingze}.city."]`).count()).toBe(1);
    await row.getByRole('button', { name: '重新发送审核链接' }).click();
    const answer = row.locator('output.ok, output.bad');
    await answer.waitFor({ timeout: 10_000 });
    expect(await answer.textContent()).toMatch(/审核链接已重新发送给 \d+ 个收件人|\((409|429)\)/);
    await screenshot(page, 'inbox-city');
  });

  it('shows the province’s ranking of scored candidates, and no other jurisdiction’s inbox', async () => {
    await switchTo('reviewer', '220000');
    expect((await page.goto(consoleUrl('/inbox?jurisdiction=140000')))?.status()).toBe(403);
    const response = await page.goto(consoleUrl(`/inbox?campaignId=${campaign.campaignId}&lang=en`));
    expect(response?.status()).toBe(200);
    expect(await textOf(page, '#ranking')).toContain('敦化市医药产业集群');
    // The inbox leads to the level's register, re-review cohort and annual-report pages, each of which answers.
    for (const name of ['Re-review cohort', 'Annual reports of recognised clusters']) {
      const link = page.getByRole('link', { name, exact: true });
      const href = (await link.getAttribute('href')) ?? '';
      expect((await page.request.get(new URL(href, page.url()).toString())).status(), href).toBe(200);
    }
    await screenshot(page, 'inbox-province-ranking');
  });

  it('answers an unknown console page with a 404 page', async () => {
    const response = await page.goto(consoleUrl('/nope'));
    expect(response?.status()).toBe(404);
    expect(await textOf(page, 'h1')).toBe('页面不存在');
    await screenshot(page, 'console-404');
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import { DynamoRegister } from '../../shared/adapters/dynamo-register.ts';
import type { RegisterEntry } from '../../shared/register/entry.ts';
import { typicalCasesCampaign } from '../support/campaigns.ts';
import { seededNationalEntry } from '../support/register.ts';
import { anonymous, as, asOperator, sentEmails, testClients } from '../integration/harness.ts';
import { fileLevelDocument, reviewLink, statusOf } from '../integration/steps.ts';
import { browserStack, expectNoSidewaysScroll, screenshot } from './support.ts';

/**
 * MIIT's typical cases walked with real data, as each person meets the outcome: two counties of
 * 合肥市 file their cases, 合肥市 and 安徽省 send them on (each with its 培育举措), MIIT selects
 * one (入选) and not the other (未入选) on its review pages. Then what each sees: the county's
 * portal (home, the application and its timeline, its clusters), the register, the emails, the
 * console's application page. A typical case is never recognised (认定), and 未入选 is no
 * rejection (不予认定, 驳回).
 */
const clock = new ManualClock();
const web = browserStack({ stepFunctions: { clock: { timers: clock } } });

const campaign = typicalCasesCampaign(`typical-walk-${Date.now()}`);
const HEFEI = '340100';
const ANHUI = '340000';
const CASES = [
  { countyCode: '340104', clusterName: '蜀山区智能语音产业集群', leadingIndustry: '智能语音', subSector: '语音识别' },
  { countyCode: '340103', clusterName: '庐阳区食品产业集群', leadingIndustry: '食品加工', subSector: '休闲食品' },
] as const;
const entryFor = (filing: (typeof CASES)[number]): RegisterEntry =>
  seededNationalEntry(filing, ANHUI, 'seeded for the typical-case filing');
const ATTESTED = { trueAndValid: true, noIpDispute: true, noSensitiveInformation: true };
const formOf = (county: string) => ({
  contact: { name: '王芳', phone: '0551-62123456', email: `contact-${county}@example.gov.cn` },
  aspects: { innovation: '产学研协同攻关，创新提升', 'digital-upgrading': '工业互联网平台' },
  summary: '以龙头企业带动中小企业协同发展的案例',
  attestation: ATTESTED,
});
const fileMeasures = (jurisdiction: string) =>
  fileLevelDocument(
    web.stack,
    { campaignId: campaign.campaignId, track: 'typical-case', jurisdiction },
    'cultivation-measures',
    { fileName: `${jurisdiction}集群培育举措.pdf`, pdf: { title: 'Cultivation measures', lines: [jurisdiction] } },
  );

const ids: string[] = [];
const clients = testClients();
afterAll(() => clients.destroy());

beforeAll(async () => {
  const register = new DynamoRegister(clients.doc, web.stack.tableName);
  for (const filing of CASES) expect(await register.add(entryFor(filing))).toBe('created');
  expect((await (await asOperator(web.stack)).createCampaign(campaign)).status).toBe(201);
  for (const filing of CASES) {
    const applicant = await as(web.stack, 'applicant', filing.countyCode);
    const created = await applicant.createApplication({
      campaignId: campaign.campaignId,
      track: 'typical-case',
      registerEntryId: entryFor(filing).entryId,
      ...filing,
      form: formOf(filing.countyCode),
    });
    expect(created.status, created.text).toBe(201);
    const submitted = await applicant.submit(created.body.applicationId);
    expect(submitted.status, submitted.text).toBe(202);
    ids.push(created.body.applicationId);
  }
  for (const [stage, level] of [
    ['city', HEFEI],
    ['province', ANHUI],
  ] as const) {
    for (const id of ids) {
      const review = await reviewLink(web.stack, id, stage, 1, 0);
      const decided = await anonymous(web.stack).decide(review.reviewId, { t: review.secret, decision: 'approve' });
      expect(decided.status, decided.text).toBe(200);
      await reviewLink(web.stack, id, stage, 1, 1);
    }
    await fileMeasures(level);
  }
  // The province's list goes to MIIT at its deadline: one jump of the clock.
  await clock.whenPending(ids.length);
  await clock.next();
});

const bodyText = async (page: Page) => (await page.locator('body').innerText()).replace(/\s+/g, ' ');

/** Decides MIIT's review on its emailed page: `choice` ticked, `reason` typed, submitted. */
async function decideOnPage(page: Page, choice: 'approve' | 'reject', reason: string): Promise<number> {
  await page.locator(`input[name="decision"][value="${choice}"]`).check();
  await page.locator('#reason').fill(reason);
  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.url().includes('/decision')),
    page.locator('form[action$="/decision"] button[type="submit"]').click(),
  ]);
  await page.waitForLoadState();
  return answer.status();
}

/** Words a typical case never meets: it is not recognised, and 未入选 is no rejection. */
const NEVER = ['认定', '不予认定', '驳回'];
const expectNone = (text: string, label: string) => {
  for (const word of NEVER) expect(text, `${label}: ${word}`).not.toContain(word);
};

describe("MIIT's typical cases, 入选 and 未入选, as each person sees them after", () => {
  it('MIIT selects one and not the other on its review pages, in those words', async () => {
    const [selected = '', notSelected = ''] = ids;
    const page = await web.newPage();
    const yes = await reviewLink(web.stack, selected, 'miit');
    await page.goto(yes.url);
    const choices = await page.locator('fieldset label.choice').allInnerTexts();
    expect(choices.map((c) => c.replace(/\s+/g, ' '))).toEqual([
      '入选 Select',
      '退回修改 Return for revision',
      '未入选 Do not select',
    ]);
    expectNone(await bodyText(page), "MIIT's review page");
    expect(await decideOnPage(page, 'approve', '')).toBe(200);
    const recorded = await bodyText(page);
    expect(recorded).toContain('决定已记录');
    expect(recorded).toContain('入选 Select');
    expectNone(recorded, 'the answer to 入选');

    const no = await reviewLink(web.stack, notSelected, 'miit');
    await page.goto(no.url);
    expect(await decideOnPage(page, 'reject', '案例代表性不足')).toBe(200);
    expect(await bodyText(page)).toContain('未入选 Do not select');
    expectNone(await bodyText(page), 'the answer to 未入选');
    await page.goto(no.url);
    expect(await bodyText(page)).toContain('已作出决定');
    expectNone(await bodyText(page), 'the link opened again');
    await page.close();
    for (const id of ids) {
      for (let i = 0; i < 50 && !['SELECTED', 'NOT_SELECTED'].includes(await statusOf(web.stack, id)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(await statusOf(web.stack, selected)).toBe('SELECTED');
    expect(await statusOf(web.stack, notSelected)).toBe('NOT_SELECTED');
  });

  it('each county sees 入选 or 未入选 on its portal: home, the application and its ladder; its clusters unchanged', async () => {
    for (const [index, filing] of CASES.entries()) {
      const id = ids[index] ?? '';
      const outcome = index === 0 ? '入选' : '未入选';
      const page = await web.signedIn('applicant', filing.countyCode, '/portal');
      const card = (await page.locator(`[data-application="${id}"]`).innerText()).replace(/\s+/g, ' ');
      expect(card).toContain(`状态：${outcome}`);
      expect(card).toMatch(new RegExp(`工业和信息化部审核 工业和信息化部 ${outcome}$`));
      expectNone(card, `the home card of ${filing.clusterName}`);
      expect(card).not.toContain('在此终止');
      const call = await page.locator(`[data-campaign="${campaign.campaignId}"]`).innerText();
      expect(call).toContain('工信部遴选');
      expectNone(call, 'the typical-case call on the home page');

      await page.goto(web.url(`/portal/application?id=${id}`));
      const detail = await bodyText(page);
      expect(detail).toContain(`状态 ${outcome}`);
      expect(detail).toContain(index === 0 ? '入选典型案例' : '典型案例未入选');
      // MIIT's decision on the timeline, as MIIT took it: not 同意 / 不同意.
      expect(detail).toContain(`审核决定：${outcome}`);
      expect(detail).not.toContain('审核决定：不同意');
      expectNone(detail, `the application page of ${filing.clusterName}`);
      await expectNoSidewaysScroll(page);
      await screenshot(page, `typical-walk-portal-application-${index}`);

      // Its recognised cluster (the case was filed for it) is as it was: no new entry, no outcome on it.
      await page.goto(web.url('/portal/clusters'));
      const clusters = await bodyText(page);
      expect(clusters.split(filing.clusterName)).toHaveLength(2);
      expect(clusters).toContain('国家级 · 2022');
      expect(clusters).not.toContain('入选');
      await page.close();
    }
  });

  it('the register holds nothing of them; the console names the outcomes; the emails too', async () => {
    const operator = await web.signedIn('operator', '000000', '/console/register');
    const register = await bodyText(operator);
    for (const filing of CASES) expect(register.split(filing.clusterName), filing.clusterName).toHaveLength(2);
    expect(register).not.toContain('入选');
    for (const [index, id] of ids.entries()) {
      await operator.goto(web.url(`/console/application?id=${id}`));
      const text = await bodyText(operator);
      expect(text).toContain(`状态 ${index === 0 ? '入选' : '未入选'}`);
      expect(text).toContain(`审核决定：${index === 0 ? '入选' : '未入选'}`);
      expectNone(text, `the console's page of ${CASES[index]?.clusterName ?? ''}`);
    }
    await operator.close();

    const emails = (await sentEmails(web.stack)).filter((e) =>
      CASES.some((c) => e.destination.to[0] === `contact-${c.countyCode}@example.gov.cn`),
    );
    const subjects = emails.map((e) => e.subject);
    expect(subjects).toContainEqual(expect.stringContaining('入选典型案例'));
    expect(subjects).toContainEqual(expect.stringContaining('典型案例未入选'));
    for (const email of emails) expectNone(`${email.subject}\n${email.body.text ?? ''}`, email.subject);
  });
});

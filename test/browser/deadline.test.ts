import { beforeAll, describe, expect, it } from 'vitest';
import { samplePdf, sampleRecommendationForm } from '../../local/sample-evidence.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { beijingTime, toBeijingIso } from '../../shared/platform/time.ts';
import { as, asOperator } from '../integration/harness.ts';
import {
  asBeforeSteps,
  browserStack,
  expectNoSidewaysScroll,
  expectPageAccessible,
  screenshotPhoneAndDesktop,
} from './support.ts';

/**
 * The county official on a phone once the submission deadline has passed (逾期不予受理), found by
 * the deadline walk: a campaign whose county deadline falls a few seconds after the draft is
 * started. The application page says so at the top, with what is left (read, print, withdraw) and
 * whom to ask (the city), and offers no button that could only be refused; a file chosen on an
 * evidence page opened before the deadline and sent after it is refused with 逾期不予受理 and the
 * deadline in Beijing time, with no retry (each would be refused too); the evidence page
 * offers no upload (the validator refuses a late file as UPLOAD_AFTER_DEADLINE); the submit page
 * says the same. Photographed to test-artifacts/screenshots/deadline-*.png.
 */
const DEADLINE_IN_MS = 15_000;
const web = browserStack();
const base = asBeforeSteps(demoCampaign(new Date()));
let campaign: typeof base;
let applicationId = '';

beforeAll(async () => {
  // Built when the stack is up, so the deadline is a few seconds after the draft, not after the start.
  campaign = {
    ...base,
    campaignId: `${base.campaignId}-deadline`,
    calendar: { ...base.calendar, submission: toBeijingIso(new Date(Date.now() + DEADLINE_IN_MS)) },
  };
  expect((await (await asOperator(web.stack)).createCampaign(campaign)).status).toBe(201);
  const created = await (
    await as(web.stack, 'applicant', '222403')
  ).createApplication({
    campaignId: campaign.campaignId,
    track: 'recommendation',
    form: sampleRecommendationForm(campaign.year),
    countyCode: '222403',
    clusterName: '敦化市医药产业集群（逾期）',
    leadingIndustry: '医药健康',
    subSector: '现代中药',
  });
  expect(created.status, created.text).toBe(201);
  applicationId = created.body.applicationId;
});

/** Until a second after the county's deadline. */
const pastTheDeadline = async () => {
  const due = Date.parse(campaign.calendar.submission ?? '');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now() + 1_000)));
};

describe('the county official after the submission deadline, on a phone', () => {
  it('a file chosen on the evidence page opened before the deadline, sent after it: 逾期不予受理, no retry', async () => {
    const page = await web.signedIn('applicant', '222403', `/portal/evidence?id=${applicationId}`);
    const chooser = page.locator('.ev-item[data-criterion="digital-transformation"] input[type=file]');
    expect(await chooser.count()).toBe(1);
    await pastTheDeadline();
    const bytes = await samplePdf('digital-transformation', [applicationId]);
    await chooser.setInputFiles({
      name: 'digital-transformation.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(bytes),
    });
    const row = page.locator('.ev-item[data-criterion="digital-transformation"] .ev-file[data-status="FAILED"]');
    await row.waitFor();
    const reasons = await row.locator('.ev-reasons').innerText();
    expect(reasons).toContain('逾期不予受理');
    expect(reasons).toContain(`截止时间 ${beijingTime(campaign.calendar.submission ?? '').zh} 已过`);
    expect(await row.locator('.ev-retry').count()).toBe(0);
    await expectNoSidewaysScroll(page);
    await screenshotPhoneAndDesktop(page, 'deadline-upload-late');
    await page.close();
  });

  it('the application page says 逾期不予受理 at the top, what is left and whom to ask, and offers print and withdraw only', async () => {
    await pastTheDeadline();
    const page = await web.signedIn('applicant', '222403', `/portal/application?id=${applicationId}`);
    const notice = page.locator('#late');
    expect(await notice.isVisible()).toBe(true);
    const text = await notice.innerText();
    expect(text).toContain('逾期不予受理');
    expect(text).toContain('可以查看、打印或撤回，但不能再修改、上传或提交');
    expect(text).toContain('请联系延边朝鲜族自治州中小企业主管部门');
    const actions = page.locator('#summary .actions a');
    expect(await actions.allInnerTexts()).toEqual(['打印申报表', '撤回申报']);
    await expectNoSidewaysScroll(page);
    await expectPageAccessible(page, 'deadline-application');
    await screenshotPhoneAndDesktop(page, 'deadline-application');

    await page.goto(web.url(`/portal/evidence?id=${applicationId}`));
    expect(await page.locator('#late').isVisible()).toBe(true);
    expect(await page.locator('input[type=file]').count()).toBe(0);
    await expectNoSidewaysScroll(page);
    await screenshotPhoneAndDesktop(page, 'deadline-evidence');

    await page.goto(web.url(`/portal/submit?id=${applicationId}`));
    const overdue = await page.locator('#overdue').innerText();
    expect(overdue).toContain('请联系延边朝鲜族自治州中小企业主管部门');
    expect(await page.locator('form[action$="/submit"]').count()).toBe(0);
    await expectNoSidewaysScroll(page);
    await screenshotPhoneAndDesktop(page, 'deadline-submit');
    await page.close();
  });
});

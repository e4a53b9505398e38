import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postPresigned } from '../../local/client/index.ts';
import { sampleRecommendationForm, samplePdf } from '../../local/sample-evidence.ts';
import { ManualClock } from '../../local/stepfunctions/clock.ts';
import type { AnnualView } from '../../shared/annual-report/api-schemas.ts';
import { currentReportYear, provinceDeadline } from '../../shared/annual-report/cycle.ts';
import type { ImportReport, RegisterView } from '../../shared/register/api-schemas.ts';
import type { CohortView } from '../../shared/register/cohort.ts';
import { registerEntryId } from '../../shared/register/entry.ts';
import type { RevocationRequest } from '../../shared/revocation/request.ts';
import { demoCampaign } from '../../shared/rules/campaigns/index.ts';
import { REMINDER_RULES } from '../../shared/rules/reminders.ts';
import { ONE_REVIEW_A_LEVEL, rereviewCampaign, typicalCasesCampaign } from '../support/campaigns.ts';
import { HEADER, toXlsx } from '../unit/register/lists.ts';
import { anonymous, as, asOperator, sentEmails, startTestStack, type TestStack } from './harness.ts';
import * as steps from './steps.ts';

/**
 * Issue 13's "done when", walked as a new user would on the local stand-ins: an operator imports
 * the national lists in the published column layout (XLSX); only a 2022 member files the 2025
 * re-review, and the cohort console shows who has not filed; a county files its cluster's annual
 * report and the province forwards the set to MIIT before 30 April (the sweeper on a fake clock
 * reminds it until then); a fraud confirmed after recognition revokes the entry; a city of
 * Anhui sends its typical cases on as one batch, and none of them becomes a recognition.
 */
const DAY = 86_400_000;
const clock = new ManualClock();
let stack: TestStack;

/** The 2025 re-review of the 2022 national cohort, on a short ladder (one review a level). */
const rereview = rereviewCampaign(demoCampaign(new Date(clock.now())), { steps: ONE_REVIEW_A_LEVEL });
const typical = typicalCasesCampaign(`typical-walk-${Date.now()}`, clock.now());

/** The two national lists as published: a title row, the header, the rows. */
const TITLE_2022 = '2022年度中小企业特色产业集群名单';
const TITLE_2023 = '2023年度中小企业特色产业集群名单';
const LIST_2022 = [['1', '吉林省', '敦化市人参产业集群', '人参', '人参精深加工', '222403']];
const LIST_2023 = [
  ['1', '吉林省', '延吉市食品产业集群', '食品', '特色食品', '222401'],
  ['2', '安徽省', '蜀山区智能语音产业集群', '智能语音', '语音识别', '340104'],
  ['3', '安徽省', '庐阳区食品产业集群', '食品加工', '休闲食品', '340103'],
];
const entryOf2022 = {
  level: 'national',
  cohort: 2022,
  countyCode: '222403',
  clusterName: '敦化市人参产业集群',
} as const;
const GINSENG_2022 = registerEntryId(entryOf2022);
const YANJI_2023 = registerEntryId({
  ...entryOf2022,
  cohort: 2023,
  countyCode: '222401',
  clusterName: '延吉市食品产业集群',
});
const SEED_DUNHUA_2022 = registerEntryId({ ...entryOf2022, clusterName: '敦化市医药产业集群' });
const CASES = [
  { countyCode: '340104', clusterName: '蜀山区智能语音产业集群' },
  { countyCode: '340103', clusterName: '庐阳区食品产业集群' },
].map((c) => ({ ...c, entryId: registerEntryId({ ...entryOf2022, cohort: 2023, ...c }) }));
const HEFEI = '340100';
const ANHUI = '340000';

beforeAll(async () => {
  stack = await startTestStack({ stepFunctions: { clock: { timers: clock } } });
  const operator = await asOperator(stack);
  expect((await operator.createCampaign(rereview)).status).toBe(201);
  const created = await operator.createCampaign(typical);
  expect(created.status, created.text).toBe(201);
});

afterAll(async () => {
  await stack?.cleanup();
});

async function registerView(query = ''): Promise<RegisterView> {
  const reply = await (await asOperator(stack)).raw('GET', `/v1/register${query}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.json as RegisterView;
}

const rereviewFiling = (countyCode: string, entryId: string) => {
  const { criteria: _criteria, ...figures } = sampleRecommendationForm(rereview.year);
  return {
    campaignId: rereview.campaignId,
    track: 'rereview',
    countyCode,
    registerEntryId: entryId,
    form: { ...figures, recognizedYear: 2022, changesSinceRecognition: '认定以来新增专精特新企业 6 家。' },
  };
};

/** The level's reviewer files its 培育举措 for the typical cases, and the validator passes it. */
const fileMeasures = (jurisdiction: string) =>
  steps.fileLevelDocument(
    stack,
    { campaignId: typical.campaignId, track: 'typical-case', jurisdiction },
    'cultivation-measures',
    {
      fileName: `${jurisdiction}集群培育举措.pdf`,
      pdf: { title: 'Cultivation measures', lines: [jurisdiction] },
    },
  );

describe('life after recognition, as a new user would try it', () => {
  it('an operator imports the 2022 and 2023 national lists (XLSX, the published layout)', async () => {
    const operator = await asOperator(stack);
    for (const [cohort, title, rows] of [
      [2022, TITLE_2022, LIST_2022],
      [2023, TITLE_2023, LIST_2023],
    ] as const) {
      const bytes = await toXlsx([[title], HEADER, ...rows]);
      const reply = await operator.raw('POST', '/v1/register/imports', {
        level: 'national',
        cohort,
        // The 2023 list's validity starts with last year, whatever today's date: its clusters owe the
        // annual report on last year (or, after 30 April, on this one) when the test runs.
        validFrom: cohort === 2022 ? '2022-12-30' : `${new Date().getFullYear() - 1}-01-01`,
        fileName: `${title}.xlsx`,
        content: bytes.toString('base64'),
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json as ImportReport).toMatchObject({ format: 'xlsx', created: rows.length, refused: 0 });
    }
    const ids = (await registerView('?state=valid')).entries.map((e) => e.entryId);
    expect(ids).toEqual(expect.arrayContaining([GINSENG_2022, YANJI_2023, ...CASES.map((c) => c.entryId)]));
  });

  it('only the 2022 member files the 2025 re-review; the console shows the member that has not filed', async () => {
    const yanji = await (
      await as(stack, 'applicant', '222401')
    ).raw('POST', '/v1/applications', rereviewFiling('222401', YANJI_2023));
    expect(yanji.status, yanji.text).toBe(400);
    expect(yanji.text).toContain('registerEntryId');
    expect(yanji.text).toContain('NOT_A_MEMBER');

    const filed = await (
      await as(stack, 'applicant', '222403')
    ).raw('POST', '/v1/applications', rereviewFiling('222403', GINSENG_2022));
    expect(filed.status, filed.text).toBe(201);
    const draft = filed.json as { applicationId: string; clusterName: string };
    expect(draft.clusterName).toBe('敦化市人参产业集群');
    for (const item of ['rereview-form', 'development-since-recognition']) {
      await steps.uploadPdf(stack, draft.applicationId, item);
    }
    await steps.submit(stack, draft.applicationId);
    expect((await registerView()).entries.find((e) => e.entryId === GINSENG_2022)?.state).toBe('under-re-review');

    const reviewer = await as(stack, 'reviewer', '220000');
    const cohort = await reviewer.raw('GET', `/v1/register/cohort?campaignId=${rereview.campaignId}`);
    expect(cohort.status, cohort.text).toBe(200);
    const members = new Map((cohort.json as CohortView).members.map((m) => [m.entryId, m.filing]));
    // The seed's 2022 member (敦化市医药产业集群) has not filed; the 2023 cluster is no member.
    expect(members.get(SEED_DUNHUA_2022)).toBe('not-filed');
    expect(members.get(GINSENG_2022)).not.toBe('not-filed');
    expect(members.has(YANJI_2023)).toBe(false);
    const page = await reviewer.raw('GET', `/console/register/cohort?campaignId=${rereview.campaignId}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      /敦化市医药产业集群[\s\S]*?data-filing="not-filed"|data-filing="not-filed"[\s\S]*?敦化市医药产业集群/u,
    );
  });

  it('a county files its cluster’s annual report; the province forwards the set to MIIT before 30 April', async () => {
    const now = new Date(clock.now());
    const year = currentReportYear(now, REMINDER_RULES.annualReport);
    const deadline = provinceDeadline(year, REMINDER_RULES.annualReport);
    expect(deadline).toBe(`${year + 1}-04-30T23:59:59+08:00`);
    expect(now.getTime()).toBeLessThan(Date.parse(deadline));

    const county = await as(stack, 'applicant', '222401');
    const owed = (await county.raw('GET', `/v1/annual-reports?year=${year}`)).json as AnnualView;
    expect(owed.scope === 'county' && owed.rows.map((r) => r.entry.entryId)).toEqual([YANJI_2023]);

    const bytes = await samplePdf('Annual report', [`Yanji food cluster, ${year}`]);
    const asked = await county.raw('POST', `/v1/annual-reports/files?year=${year}`, {
      entryId: YANJI_2023,
      fileName: '年度报告.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
    });
    expect(asked.status, asked.text).toBe(201);
    const file = asked.json as { objectKey: string; upload: { url: string; fields: Record<string, string> } };
    const validated = stack.whenValidated(file.objectKey);
    expect((await postPresigned(file.upload, { bytes })).ok).toBe(true);
    expect((await validated).ok).toBe(true);
    const filed = await county.raw('POST', `/v1/annual-reports/reports?year=${year}`, {
      entryId: YANJI_2023,
      figures: {
        clusterOutput: 860_000,
        smeCount: 95,
        employment: 5200,
        rdSpending: 18_000,
        specialisedSmes: 7,
        littleGiants: 1,
        mainWork: '建设延边特色食品检验检测公共服务平台',
        problems: '冷链物流能力不足',
      },
    });
    expect(filed.status, filed.text).toBe(200);
    expect(filed.json).toMatchObject({ state: 'FILED' });

    const province = await as(stack, 'reviewer', '220000');
    const accepted = await province.raw('POST', `/v1/annual-reports/decisions?year=${year}`, {
      entryId: YANJI_2023,
      decision: 'accept',
    });
    expect(accepted.json).toMatchObject({ state: 'ACCEPTED' });
    // On a fake clock ten days before 30 April, the sweeper reminds the province, which has not forwarded.
    const { wireSweeper } = await import('../../shared/composition/operations.ts');
    const sweepAt = (daysBefore: number) =>
      wireSweeper({ clock: () => new Date(Date.parse(deadline) - daysBefore * DAY) }).sweeper.sweep();
    const jilinReminders = async () =>
      (await sentEmails(stack)).filter(
        (e) =>
          e.subject.includes(`${year}年度报告`) && e.destination.to.includes('reviewers+220000@clusters.localhost'),
      );
    await sweepAt(10);
    expect(await jilinReminders()).toHaveLength(1);

    const forwarded = await province.raw('POST', `/v1/annual-reports/forwarding?year=${year}`);
    expect(forwarded.status, forwarded.text).toBe(201);
    expect(forwarded.json).toMatchObject({ reports: [{ clusterName: '延吉市食品产业集群' }], missing: [] });

    const miit = (await (await as(stack, 'reviewer', '000000')).raw('GET', `/v1/annual-reports?year=${year}`))
      .json as AnnualView;
    const jilin = miit.scope === 'miit' ? miit.provinces.find((p) => p.provinceCode === '220000') : undefined;
    expect(jilin?.forwarding).toBeDefined();
    // Forwarded: no more reminders to the province, at the last threshold either.
    await sweepAt(0.5);
    expect(await jilinReminders()).toHaveLength(1);
  });

  it('a fraud confirmed after recognition revokes the entry: a reviewer asks, an operator confirms', async () => {
    const reviewer = await as(stack, 'reviewer', '220000');
    const asked = await reviewer.raw('POST', '/v1/revocations', {
      target: { kind: 'entry', entryId: YANJI_2023 },
      reason: '经查实，申报的集群产值虚报',
    });
    expect(asked.status, asked.text).toBe(201);
    const request = asked.json as RevocationRequest;
    const confirmed = await (
      await as(stack, 'operator', '220000')
    ).raw('POST', `/v1/revocations/${request.requestId}/decision`, { decision: 'confirm' });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json).toMatchObject({ state: 'confirmed', effect: { outcome: 'revoked', entryId: YANJI_2023 } });

    const entry = (await registerView()).entries.find((e) => e.entryId === YANJI_2023);
    expect(entry).toMatchObject({ state: 'revoked' });
    expect(entry?.history.at(-1)?.reason).toContain('集群产值虚报');
    expect((await registerView('?state=valid')).entries.map((e) => e.entryId)).not.toContain(YANJI_2023);
  });

  it('a city of Anhui sends its typical cases on as one batch; none of them becomes a recognition', async () => {
    const ids: string[] = [];
    for (const filing of CASES) {
      const applicant = await as(stack, 'applicant', filing.countyCode);
      const created = await applicant.raw('POST', '/v1/applications', {
        campaignId: typical.campaignId,
        track: 'typical-case',
        countyCode: filing.countyCode,
        registerEntryId: filing.entryId,
        form: {
          contact: { name: '王芳', phone: '0551-62123456', email: `contact-${filing.countyCode}@example.gov.cn` },
          aspects: { innovation: '产学研协同攻关', 'digital-upgrading': '工业互联网平台' },
          summary: '以龙头企业带动中小企业协同发展的案例',
          attestation: { trueAndValid: true, noIpDispute: true, noSensitiveInformation: true },
        },
      });
      expect(created.status, created.text).toBe(201);
      const draft = created.json as { applicationId: string; clusterName: string; checklist: { id: string }[] };
      expect(draft.clusterName).toBe(filing.clusterName);
      expect(draft.checklist.map((c) => c.id)).not.toContain('cultivation-measures');
      await steps.submit(stack, draft.applicationId);
      ids.push(draft.applicationId);
    }

    // 合肥市 reviews each case; its one 培育举措 then sends both on together.
    for (const applicationId of ids) {
      const review = await steps.reviewLink(stack, applicationId, 'city', 1, 0);
      expect((await anonymous(stack).decide(review.reviewId, { t: review.secret, decision: 'approve' })).status).toBe(
        200,
      );
      await steps.reviewLink(stack, applicationId, 'city', 1, 1);
    }
    await fileMeasures(HEFEI);
    for (const applicationId of ids) await steps.reviewLink(stack, applicationId, 'province', 1, 0);
    const listed = await (
      await as(stack, 'reviewer', HEFEI)
    ).raw('GET', `/v1/level-documents?campaignId=${typical.campaignId}&track=typical-case&jurisdiction=${HEFEI}`);
    const documents = (listed.json as { documents: { kind: string; summaryTable?: { fileName: string } }[] }).documents;
    expect(documents.map((d) => d.kind)).toEqual(['cultivation-measures']);
    expect(documents[0]?.summaryTable?.fileName).toContain('典型案例信息汇总表');

    // 安徽省 the same; its list goes to MIIT at its deadline; MIIT selects one, not the other.
    for (const applicationId of ids) {
      const review = await steps.reviewLink(stack, applicationId, 'province', 1, 0);
      expect((await anonymous(stack).decide(review.reviewId, { t: review.secret, decision: 'approve' })).status).toBe(
        200,
      );
      await steps.reviewLink(stack, applicationId, 'province', 1, 1);
    }
    await fileMeasures(ANHUI);
    // The re-review filed above sleeps on the same clock: jump to Anhui's deadline, not the next timer.
    await clock.whenPending(ids.length);
    await clock.advance(Math.max(0, Date.parse(typical.calendar.province) - clock.now()) + 1_000);
    const [selected = '', notSelected = ''] = ids;
    for (const [applicationId, decision] of [
      [selected, { decision: 'approve' }],
      [notSelected, { decision: 'reject', reason: '案例代表性不足' }],
    ] as const) {
      const link = await steps.reviewLink(stack, applicationId, 'miit');
      const execution = steps.ladderExecution(stack, applicationId);
      const ended = stack.stepFunctions.waitForExecution(execution.executionArn, 10_000);
      expect((await anonymous(stack).decide(link.reviewId, { t: link.secret, ...decision })).status).toBe(200);
      expect((await ended).status).toBe('SUCCEEDED');
    }
    expect(await steps.statusOf(stack, selected)).toBe('SELECTED');
    expect(await steps.statusOf(stack, notSelected)).toBe('NOT_SELECTED');

    // Nothing entered the register: Anhui holds the two imported entries, and no recognition.
    const anhui = (await registerView(`?province=${ANHUI}`)).entries;
    expect(anhui.map((e) => [e.entryId, e.source.kind]).sort()).toEqual(CASES.map((c) => [c.entryId, 'import']).sort());
    expect(anhui.every((e) => e.state === 'valid')).toBe(true);
  });
});

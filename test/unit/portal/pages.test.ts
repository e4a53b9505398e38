import { describe, expect, it } from 'vitest';
import { formDigest } from '../../../shared/intake/digest.ts';
import { portalActions, portalPage } from '../../../shared/portal/index.ts';
import { sampleRecommendationForm } from '../../../local/sample-evidence.ts';
import { APP_ID, campaign, NOW, PEOPLE, portalRequest, portalWorld, section, validEvidence } from './fixtures.ts';

/** The portal's pages and forms over the real intake on in-memory records (fixtures.ts). */

const page = (world: ReturnType<typeof portalWorld>, name: string | undefined, query: Record<string, string> = {}) =>
  portalPage(portalRequest(name, query), world.deps);

describe('the portal home', () => {
  it('lists the county’s applications with status, ladder, countdown and what is missing, and the open campaigns', async () => {
    const world = portalWorld();
    const { statusCode, body, headers } = await page(world, undefined);
    expect(statusCode).toBe(200);
    expect(headers['content-security-policy']).toContain("script-src 'nonce-");
    expect(body).toContain('中小企业特色产业集群 · 申报门户');
    const card = section(body, 'applications');
    expect(card).toContain(`data-application="${APP_ID}"`);
    expect(card).toContain('草稿');
    expect(card).toContain('aria-current="step"');
    expect(card).toMatch(/剩余约 \d+ 天/);
    // The draft's form is empty: the contact is named among what waits on the county.
    expect(card).toContain('data-field="form.contact"');
    expect(section(body, 'campaigns')).toContain(`href="/portal/new?campaignId=${campaign.campaignId}"`);
    // The county's other duties are one tap away: its recognised clusters and their annual reports.
    expect(section(body, 'more')).toContain('href="/portal/clusters"');
    expect(section(body, 'more')).toContain('href="/portal/annual-reports"');
  });

  it('never shows another county’s application, even if a listing returned it', async () => {
    const world = portalWorld();
    world.records.put({
      ...world.draft,
      applicationId: '11111111-4c1a-4d7e-9a57-2f3a1c0d9e11',
      countyCode: '222401',
      clusterName: '延吉市食品产业集群',
    });
    const { body } = await page(world, undefined);
    expect(body).not.toContain('延吉市食品产业集群');
  });

  it('shows a returned application’s reasons on its card', async () => {
    const world = portalWorld({ status: 'RETURNED', stage: 'city', decisionReason: '产值数据需核实<script>' });
    const { body } = await page(world, undefined);
    expect(section(body, 'applications')).toContain('产值数据需核实&lt;script&gt;');
  });

  it('is the county’s: a reviewer or an operator gets a 403 page', async () => {
    const world = portalWorld();
    for (const who of [PEOPLE.yanbianReviewer, PEOPLE.nationalOperator]) {
      const answer = await portalPage(portalRequest(undefined, {}, who), world.deps);
      expect(answer.statusCode).toBe(403);
      expect(answer.body).toContain('申报门户仅供县级中小企业主管部门');
    }
  });

  it('answers an unknown page with a 404 page, and English with ?lang=en', async () => {
    const world = portalWorld();
    expect((await page(world, 'nope')).statusCode).toBe(404);
    expect((await page(world, '')).statusCode).toBe(404);
    const english = await page(world, undefined, { lang: 'en' });
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Applicant portal');
  });
});

describe('the application form', () => {
  const save = (world: ReturnType<typeof portalWorld>, fields: Record<string, string>) =>
    portalActions(world.deps).save(
      portalRequest(undefined, {}, PEOPLE.dunhuaApplicant, { pathParameters: { applicationId: APP_ID }, body: fields }),
    );
  const basics = { clusterName: '敦化市医药产业集群', leadingIndustry: '医药', subSector: '中成药' };

  it('renders every group with units and help, and the revision it was read at', async () => {
    const { body } = await page(portalWorld(), 'edit', { id: APP_ID });
    for (const group of ['basics', 'contact', 'figures', 'criteria']) expect(body).toContain(`id="group-${group}"`);
    expect(body).toContain('平方公里');
    expect(body).toContain('填小数，0.72 即 72%');
    expect(body).toContain('<input type="hidden" name="revision" value="0">');
    expect(body).toContain(`action="/portal/applications/${APP_ID}/form"`);
  });

  it('saves with a 303 back to the form', async () => {
    const world = portalWorld();
    const answer = await save(world, { ...basics, 'form.areaKm2': '58.6', revision: '0' });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(`/portal/edit?id=${APP_ID}&done=saved`);
    expect(world.records.applications.get(APP_ID)?.form).toEqual({ areaKm2: 58.6 });
  });

  it('shows the API’s refusal beside the field it names, with the county’s entries kept', async () => {
    const world = portalWorld();
    const answer = await save(world, {
      ...basics,
      'form.contact.phone': '12345',
      'form.areaKm2': '很大',
      revision: '0',
    });
    expect(answer.statusCode).toBe(400);
    const phone = section(answer.body, 'f-form-contact-phone-error');
    expect(phone).toContain('有误');
    expect(answer.body).toContain(
      'id="f-form-contact-phone" name="form.contact.phone" type="tel" inputmode="tel" value="12345"',
    );
    expect(section(answer.body, 'f-form-areaKm2-error')).toContain('有误');
    expect(section(answer.body, 'errors')).toContain('href="#f-form-contact-phone"');
    expect(world.records.applications.get(APP_ID)?.revision).toBe(0);
  });

  it('says in the page’s words what is wrong with each field and what to write, never zod’s English', async () => {
    const world = portalWorld();
    const answer = await save(world, {
      ...basics,
      'form.contact.phone': '12345',
      // A share typed as a percentage, a rate with its sign: what officials write.
      'form.smeOutputShare': '72',
      'form.averageGrowthRate': '10.3%',
      'form.enterpriseCount': '4.5',
      revision: '0',
    });
    expect(answer.statusCode).toBe(400);
    expect(section(answer.body, 'f-form-smeOutputShare-error')).toContain('不能大于 1');
    expect(section(answer.body, 'f-form-averageGrowthRate-error')).toContain('请填写数字');
    expect(section(answer.body, 'f-form-contact-phone-error')).toContain('电话号码格式不正确');
    expect(section(answer.body, 'f-form-enterpriseCount-error')).toContain('请填写整数');
    expect(section(answer.body, 'errors')).toContain('不能大于 1');
    expect(answer.body).not.toMatch(/Too big|Too small|Invalid input|a mainland mobile/);
    // In English, the same details in English words.
    const english = await portalActions(world.deps).save(
      portalRequest(undefined, { lang: 'en' }, PEOPLE.dunhuaApplicant, {
        pathParameters: { applicationId: APP_ID },
        body: { ...basics, 'form.smeOutputShare': '72', revision: '0' },
      }),
    );
    expect(section(english.body, 'f-form-smeOutputShare-error')).toContain('At most 1');
    // The refused page's title says so first, in its language; the h1 stays the form's.
    expect(answer.body).toMatch(/<title>有误：敦化市医药产业集群 · [^<]*<\/title>/);
    expect(english.body).toMatch(/<title>Error: 敦化市医药产业集群 · [^<]*<\/title>/);
    expect(english.body).toContain('<h1>敦化市医药产业集群 · ');
    expect(section(english.body, 'f-form-smeOutputShare-error')).toContain('Problem: At most 1');
  });

  it('says plainly when someone else saved first, keeping the county’s entries', async () => {
    const world = portalWorld();
    world.records.put({ ...world.draft, revision: 3 });
    const answer = await save(world, { ...basics, 'form.contact.name': '张敏', revision: '2' });
    expect(answer.statusCode).toBe(409);
    expect(section(answer.body, 'conflict')).toContain('有其他人已保存');
    expect(answer.body).toContain('value="张敏"');
    expect(answer.body).toContain('<input type="hidden" name="revision" value="3">');
  });

  it('removes a field the county blanked (PATCH with null)', async () => {
    const world = portalWorld({ form: { areaKm2: 12 } });
    expect((await save(world, { ...basics, revision: '0' })).statusCode).toBe(303);
    expect(world.records.applications.get(APP_ID)?.form).toEqual({});
  });

  it('creates a draft for the signed-in county and goes to its form; a refusal names the field', async () => {
    const world = portalWorld();
    const create = (fields: Record<string, string>) =>
      portalActions(world.deps).create(portalRequest(undefined, {}, PEOPLE.dunhuaApplicant, { body: fields }));
    const created = await create({
      campaignId: campaign.campaignId,
      track: 'recommendation',
      clusterName: '敦化市人参产业集群',
      leadingIndustry: '医药',
      subSector: '人参',
    });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toMatch(/^\/portal\/edit\?id=[0-9a-f-]{36}&done=created$/);
    const refused = await create({
      campaignId: campaign.campaignId,
      track: 'recommendation',
      clusterName: '',
      leadingIndustry: '医药',
      subSector: '人参',
    });
    expect(refused.statusCode).toBe(400);
    expect(section(refused.body, 'f-clusterName-error')).toContain('有误');
    expect(section(refused.body, 'f-clusterName-error')).toContain('必填');
    expect(refused.body).not.toContain('Too small');
  });
});

describe('submitting', () => {
  it('names each missing form field and evidence item before anything is sent, and offers no button', async () => {
    const world = portalWorld();
    const { body } = await page(world, 'submit', { id: APP_ID });
    const problems = section(body, 'problems');
    expect(problems).toContain('data-field="form.contact"');
    expect(problems).toContain('data-field="checklist.application-form"');
    // Named as the form names them, in Chinese: the contact's fields, what to do, the item's title.
    expect(problems).toContain('<strong>联系人、联系电话、电子邮箱</strong>：必填，请填写');
    expect(problems).toContain('中小企业特色产业集群申报表（盖章）：缺少必需的佐证材料');
    expect(problems).not.toMatch(/is required|required evidence is missing|form\.contact</);
    expect(body).not.toContain(`action="/portal/applications/${APP_ID}/submit"`);
    expect(world.started).toEqual([]);
  });

  it('offers the button once complete, and the submit starts the review (303 to the application)', async () => {
    const world = portalWorld({ form: sampleRecommendationForm(campaign.year) });
    validEvidence(world);
    expect((await page(world, 'submit', { id: APP_ID })).body).toContain(
      `action="/portal/applications/${APP_ID}/submit"`,
    );
    const answer = await portalActions(world.deps).submit(
      portalRequest(undefined, {}, PEOPLE.dunhuaApplicant, { pathParameters: { applicationId: APP_ID } }),
    );
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(`/portal/application?id=${APP_ID}&done=submitted`);
    expect(world.started).toEqual([APP_ID]);
  });

  it('names a cross-field rule in the same round as the missing fields, on the page and in the submit’s refusal', async () => {
    const sample = sampleRecommendationForm(campaign.year);
    const form = { ...sample, smeCount: sample.enterpriseCount + 1, averageGrowthRate: undefined };
    const world = portalWorld({ form });
    validEvidence(world);
    const problems = section((await page(world, 'submit', { id: APP_ID })).body, 'problems');
    expect(problems).toContain('data-field="form.averageGrowthRate"');
    expect(problems).toContain('data-field="form.smeCount"');
    expect(problems).toContain('不能超过企业数量');

    const refused = await world.deps.intake
      .submit(APP_ID, { principal: PEOPLE.dunhuaApplicant, requestId: 'req-1' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    // The API's refusal of an incomplete submission (409 SUBMISSION_INCOMPLETE) names both too.
    expect(refused).toMatchObject({
      status: 409,
      code: 'SUBMISSION_INCOMPLETE',
      details: expect.arrayContaining([
        expect.objectContaining({ field: 'form.averageGrowthRate', code: 'MISSING_FIELD' }),
        expect.objectContaining({ field: 'form.smeCount', code: 'INVALID_FIELD' }),
      ]),
    });
    expect(world.started).toEqual([]);
  });

  it('after the deadline says 逾期不予受理 and offers nothing to press', async () => {
    const world = portalWorld({ dueAt: new Date(NOW.getTime() - 1000).toISOString() });
    const { body } = await page(world, 'submit', { id: APP_ID });
    expect(section(body, 'overdue')).toContain('逾期不予受理');
    expect(body).not.toContain(`action="/portal/applications/${APP_ID}/submit"`);
    expect(body).not.toContain('id="problems"');
  });
});

describe('after a deadline (逾期不予受理): found by the deadline walk', () => {
  const late = { dueAt: new Date(NOW.getTime() - 1000).toISOString() };

  it('the submit page says what is left to the county and whom to ask', async () => {
    const { body } = await page(portalWorld(late), 'submit', { id: APP_ID });
    const overdue = section(body, 'overdue');
    expect(overdue).toContain('可以查看、打印或撤回，但不能再修改、上传或提交');
    expect(overdue).toContain('请联系延边朝鲜族自治州中小企业主管部门');
  });

  it('a draft’s page says so at the top and offers only what is left: print and withdraw', async () => {
    const { body } = await page(portalWorld(late), 'application', { id: APP_ID });
    const notice = section(body, 'late');
    expect(notice).toContain('逾期不予受理');
    expect(notice).toContain('请联系延边朝鲜族自治州中小企业主管部门');
    expect(body.indexOf('id="late"')).toBeLessThan(body.indexOf('id="summary"'));
    const actions = section(body, 'summary');
    expect(actions).toContain(`href="/portal/print?id=${APP_ID}"`);
    expect(actions).toContain(`href="/portal/withdraw?id=${APP_ID}"`);
    for (const dead of ['edit', 'evidence', 'submit'])
      expect(actions).not.toContain(`href="/portal/${dead}?id=${APP_ID}"`);
  });

  it('the home card of a late draft says 逾期不予受理 and whom to ask, and offers no edit, upload or submit', async () => {
    const card = section((await page(portalWorld(late), undefined)).body, 'applications');
    expect(card).toContain('逾期不予受理');
    expect(card).toContain('请联系延边朝鲜族自治州中小企业主管部门');
    for (const dead of ['edit', 'evidence', 'submit'])
      expect(card).not.toContain(`href="/portal/${dead}?id=${APP_ID}"`);
  });

  it('before the deadline nothing of it shows, and every action is offered', async () => {
    const { body } = await page(portalWorld(), 'application', { id: APP_ID });
    expect(body).not.toContain('id="late"');
    expect(section(body, 'summary')).toContain(`href="/portal/submit?id=${APP_ID}"`);
  });

  it('an application that ended OVERDUE at the city says why in the page’s language, what is left and whom to ask', async () => {
    const reason =
      '逾期不予受理：延边朝鲜族自治州市级审核未在截止时间 2026-11-24 08:00（北京时间）前完成 / Not accepted: the city review (延边朝鲜族自治州) did not decide before its deadline, 2026-11-24 08:00 Beijing time';
    const world = portalWorld({ ...late, status: 'OVERDUE', stage: 'city', round: 1, decisionReason: reason });
    const zh = section((await page(world, 'application', { id: APP_ID })).body, 'late');
    expect(zh).toContain('延边朝鲜族自治州市级审核未在截止时间');
    expect(zh).not.toContain('Not accepted');
    expect(zh).toContain('本申报在本次活动中已终止');
    expect(zh).toContain('请联系延边朝鲜族自治州中小企业主管部门');
    const en = section((await page(world, 'application', { id: APP_ID, lang: 'en' })).body, 'late');
    expect(en).toContain('Not accepted: the city review (延边朝鲜族自治州) did not decide');
    expect(en).not.toContain('市级审核未在');
    expect(en).toContain('contact the SME authority of 延边朝鲜族自治州');
  });
});

describe('the application, print and withdraw pages', () => {
  it("names who decided in the timeline: the link's registered address masked, role, jurisdiction and reason", async () => {
    const world = portalWorld();
    world.records.audit.push({
      applicationId: APP_ID,
      eventId: '6a1b2c3d-0000-4000-8000-000000000002',
      at: NOW.toISOString(),
      action: 'REVIEW_APPROVED',
      actor: 'reviewer@yanbian.example.gov.cn',
      role: 'reviewer',
      jurisdiction: '222400',
      reason: '材料齐全，同意推荐',
      detail: { stage: 'city', decision: 'approve', via: 'emailed link' },
    });
    const timeline = section((await page(world, 'application', { id: APP_ID })).body, 'timeline');
    expect(timeline).toContain('<tr data-action="REVIEW_APPROVED">');
    expect(timeline).toContain('审核决定：同意');
    // A county need not see a reviewer's address: its office's domain, not the person.
    expect(timeline).toContain('r***@yanbian.example.gov.cn');
    expect(timeline).not.toContain('reviewer@yanbian.example.gov.cn');
    expect(timeline).toContain('延边朝鲜族自治州');
    expect(timeline).toContain('材料齐全，同意推荐');
  });

  it('shows the record, the checklist, the evidence list in #evidence, and the timeline', async () => {
    const world = portalWorld();
    world.records.audit.push({
      applicationId: APP_ID,
      eventId: '6a1b2c3d-0000-4000-8000-000000000001',
      at: NOW.toISOString(),
      action: 'RETURNED',
      actor: 'reviewer-222400',
      role: 'reviewer',
      jurisdiction: '222400',
      fromStatus: 'CITY_REVIEW',
      toStatus: 'RETURNED',
      reason: '请补充现场核查',
    });
    const { body } = await page(world, 'application', { id: APP_ID });
    expect(section(body, 'checklist')).toContain('data-item="application-form"');
    expect(body).toContain('<section id="evidence">');
    expect(section(body, 'timeline')).toContain('请补充现场核查');
    expect(section(body, 'timeline')).toContain('延边朝鲜族自治州');
    expect(body).toContain(`<code id="form-digest">${formDigest(world.draft)}</code>`);
  });

  it('prints the form on A4 with the id, the digest and the stamp box, and no chrome on paper', async () => {
    const world = portalWorld({ form: sampleRecommendationForm(campaign.year) });
    const { body } = await page(world, 'print', { id: APP_ID });
    expect(body).toContain('@page{size:A4');
    expect(body).toContain('.noprint{display:none!important}');
    expect(section(body, 'sheet')).toContain(APP_ID);
    expect(body).toContain(
      `<code id="print-digest">${formDigest(world.records.applications.get(APP_ID) ?? world.draft)}</code>`,
    );
    expect(section(body, 'sheet')).toContain('申报单位（盖章）');
    expect(section(body, 'print-figures')).toContain('58.6');
  });

  it('asks before withdrawing, stating the consequences', async () => {
    const submitted = portalWorld({ status: 'CITY_REVIEW', submittedAt: NOW.toISOString() });
    const { body } = await page(submitted, 'withdraw', { id: APP_ID });
    const consequences = section(body, 'consequences');
    expect(consequences).toContain('审核流程随即终止');
    expect(consequences).toContain('名额随即释放');
    expect(consequences).toContain('不可恢复');
    expect(body).toContain(`action="/portal/applications/${APP_ID}/withdraw"`);
  });

  it('withdrawing a draft says what it does to a draft: voided, never sent, no review to end', async () => {
    const world = portalWorld();
    const consequences = section((await page(world, 'withdraw', { id: APP_ID })).body, 'consequences');
    expect(consequences).toContain('草稿随即作废，不会报送');
    expect(consequences).not.toContain('审核流程随即终止');
    expect(consequences).not.toContain('名额');
    world.records.put({ ...world.draft, status: 'WITHDRAWN' });
    const after = (await page(world, 'application', { id: APP_ID, done: 'withdrawn' })).body;
    expect(after).toContain('已撤回，草稿已作废。');
    expect(after).not.toContain('审核流程已终止');
  });

  it('the submit check leads to the uploader for the evidence it misses', async () => {
    const problems = section((await page(portalWorld(), 'submit', { id: APP_ID })).body, 'problems');
    expect(problems).toContain(`href="/portal/evidence?id=${APP_ID}"`);
  });

  it('refuses another county’s application with a 403 page', async () => {
    const world = portalWorld();
    const answer = await portalPage(portalRequest('application', { id: APP_ID }, PEOPLE.hebeiApplicant), world.deps);
    expect(answer.statusCode).toBe(403);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
  });
});

describe('the portal in English', () => {
  /** A Chinese mark after a Latin letter or bracket: `Status：`, `(亿元)）`, `demo)（`. */
  const CHINESE_MARK_IN_ENGLISH = /[A-Za-z0-9)][：（）、]|[：（]\s*[A-Za-z]/;

  it('writes its labels’ colons, units’ brackets and lists with English punctuation', async () => {
    const world = portalWorld({ status: 'RETURNED', stage: 'city', decisionReason: 'Output needs checking' });
    for (const name of [undefined, 'edit', 'application', 'print', 'submit', 'withdraw']) {
      const { body } = await page(world, name, { id: APP_ID, lang: 'en' });
      const text = body.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>|<[^>]+>/g, ' ');
      expect(text.match(CHINESE_MARK_IN_ENGLISH)?.[0], name ?? 'home').toBeUndefined();
    }
    const edit = await page(world, 'edit', { id: APP_ID, lang: 'en' });
    expect(edit.body).toContain('<span class="unit"> (km²)</span>');
  });
});

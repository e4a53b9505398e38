import { describe, expect, it } from 'vitest';
import { consoleInboxPage, consolePage } from '../../../../shared/operations/console/index.ts';
import { NotFoundError, ValidationError } from '../../../../shared/platform/errors.ts';
import { PEOPLE } from '../../support.ts';
import { CAMPAIGN_ID, cell, consoleRequest, fakeDeps, HOSTILE, IDS, inboxView, row, section } from './fixtures.ts';

describe('the jurisdiction drill-down', () => {
  const drill = (query: Record<string, string> = { campaignId: CAMPAIGN_ID, code: '220000' }) =>
    consolePage(consoleRequest('jurisdiction', query), fakeDeps());

  it('reads the jurisdiction of the query for the campaign', async () => {
    const deps = fakeDeps();
    await consolePage(consoleRequest('jurisdiction', { campaignId: CAMPAIGN_ID, code: '220000' }), deps);
    expect(deps.calls.jurisdiction).toEqual([{ code: '220000', campaignId: CAMPAIGN_ID }]);
  });

  it('counts the places one level down, each linking one level further', async () => {
    const { statusCode, body } = await drill();
    expect(statusCode).toBe(200);
    const yanbian = row(body, 'data-code', '222400');
    expect(cell(yanbian, 'CITY_REVIEW')).toBe(3);
    expect(cell(yanbian, 'RETURNED')).toBe(1);
    expect(yanbian).toContain(`href="/console/jurisdiction?campaignId=${CAMPAIGN_ID}&amp;code=222400"`);
    expect(cell(row(body, 'data-code', 'total'), 'MIIT_REVIEW')).toBe(4);
  });

  it('lists the applications, each linking to its timeline, late ones highlighted', async () => {
    const applications = section((await drill()).body, 'applications');
    expect(row(applications, 'data-application', IDS.dunhua)).toContain(`href="/console/application?id=${IDS.dunhua}"`);
    expect(applications).toContain(`<tr data-application="${IDS.yanji}" class="late">`);
    expect(applications).toContain(`<tr data-application="${IDS.dunhua}">`);
  });

  it('shows the quota gauge with who holds each slot, names escaped', async () => {
    const quotas = section((await drill()).body, 'quotas');
    expect(quotas).toContain('>2 / 8</span>');
    expect(quotas).toContain(`<a href="/console/application?id=${IDS.dunhua}">敦化市医药产业集群</a>`);
    expect(quotas).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(quotas).not.toContain(HOSTILE);
  });

  it('links back up the chain, and not to an inbox (reviewers only: an operator would be refused)', async () => {
    const { body } = await drill({ campaignId: CAMPAIGN_ID, code: '220000', lang: 'en' });
    expect(body).toContain(`href="/console/board?campaignId=${CAMPAIGN_ID}&amp;lang=en"`);
    expect(body).not.toContain('href="/console/inbox');
    expect(body).toContain('One level down');
  });

  it('answers 400 naming each missing or bad field', async () => {
    const answer = await drill({ code: '22' });
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('请求参数有误');
    expect(answer.body).toContain('<code>query.campaignId</code>');
    expect(answer.body).toContain('<code>query.code</code>');
    expect(answer.body).not.toContain('http-equiv="refresh"');
  });
});

describe('the application timeline', () => {
  it('lists the audit trail: Beijing time, action, actor, role, jurisdiction, from → to, reason, request id', async () => {
    const deps = fakeDeps();
    const { statusCode, body } = await consolePage(
      consoleRequest('application', { id: IDS.dunhua.toUpperCase() }),
      deps,
    );
    expect(statusCode).toBe(200);
    expect(deps.calls.history).toEqual([IDS.dunhua]);
    const returned = row(body, 'data-action', 'RETURNED');
    expect(returned).toContain('2025-07-02 16:00:00');
    expect(body).toContain('时间（北京时间）');
    expect(returned).toContain('退回修改');
    expect(returned).toContain('reviewer@yanbian.example.gov.cn');
    expect(returned).toContain('审核单位');
    expect(returned).toContain('延边朝鲜族自治州（222400）');
    expect(returned).toContain('市级审核 → 退回');
    expect(returned).toContain('产值数据与统计年鉴不一致 &lt;img src=x onerror=alert(1)&gt;');
    expect(returned).toContain('req-decide-2');
    expect(row(body, 'data-action', 'EXECUTION_REDRIVEN')).toContain(`executionName: <code>${IDS.dunhua}-r1</code>`);
  });

  it('is in English with ?lang=en', async () => {
    const { body } = await consolePage(consoleRequest('application', { id: IDS.dunhua, lang: 'en' }), fakeDeps());
    expect(body).toContain('<h2>Timeline (3)</h2>');
    expect(row(body, 'data-action', 'RETURNED')).toContain('City review → Returned');
    expect(body).toContain('Time (Beijing, UTC+8)');
  });

  it('answers 400 for an id that is not a UUID, and 404 for an application that does not exist', async () => {
    const bad = await consolePage(consoleRequest('application', { id: '<script>' }), fakeDeps());
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<code>query.id</code>');
    expect(bad.body).not.toContain('<script>');
    const missing = await consolePage(
      consoleRequest('application', { id: IDS.dunhua }),
      fakeDeps({ history: async () => Promise.reject(new NotFoundError(`No application ${IDS.dunhua}`)) }),
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain(`No application ${IDS.dunhua}`);
  });
});

describe('the reviewer inbox', () => {
  it('lists pending reviews by deadline, each with a resend button and no review link; a lapsed one apart, without', async () => {
    const deps = fakeDeps();
    const { statusCode, body } = await consoleInboxPage(
      consoleRequest(undefined, { jurisdiction: '220000', campaignId: CAMPAIGN_ID }, PEOPLE.jilinReviewer),
      {
        inbox: deps.inbox ?? (async () => inboxView),
      },
    );
    expect(statusCode).toBe(200);
    expect(deps.calls.inbox).toEqual([{ jurisdiction: '220000', campaignId: CAMPAIGN_ID }]);
    const overdue = row(body, 'data-review', `${IDS.yanji}.province.0.1`);
    expect(overdue).toContain('class="late"');
    expect(overdue).toContain('已逾期');
    expect(overdue).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(overdue).toContain('延吉市');
    expect(overdue).toContain('<td>省级审核</td>');
    const onTime = row(body, 'data-review', `${IDS.dunhua}.province.0.2`);
    expect(onTime).not.toContain('class="late"');
    expect(onTime).toContain('2025年7月31日 23:59（北京时间）');
    // Its deadline passed: it can no longer be decided nor its link resent, so it is not to do.
    const buttons = [...body.matchAll(/data-post="([^"]+)"/g)].map((m) => m[1]);
    expect(buttons).toEqual([`/console/reviews/${IDS.dunhua}.province.0.2/resend`]);
    expect(body.indexOf('<section id="lapsed">')).toBeLessThan(body.indexOf(`${IDS.yanji}.province.0.1`));
    expect(body).toContain('重新发送审核链接');
    expect(body).not.toContain('href="/v1/reviews/');
    expect(body).not.toContain(HOSTILE);
  });

  it('shows the province’s ranking', async () => {
    const { body } = await consolePage(
      consoleRequest('inbox', { jurisdiction: '220000', lang: 'en' }, PEOPLE.jilinReviewer),
      fakeDeps(),
    );
    const ranking = section(body, 'ranking');
    expect(ranking).toContain('Expert review ranking');
    const first = row(ranking, 'data-application', IDS.taiyuan);
    expect(first).toContain('长春市汽车零部件产业集群');
    expect(first).toContain('91.5');
    expect(first).toContain('Approve (recommend onward)');
    expect(body).toContain('Email me the link again');
  });

  it('refuses a malformed jurisdiction (400), and is not found where no review desk serves it', async () => {
    const malformed = await consolePage(
      consoleRequest('inbox', { jurisdiction: '22' }, PEOPLE.jilinReviewer),
      fakeDeps(),
    );
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('<code>query.jurisdiction</code>');
    const elsewhere = await consolePage(
      consoleRequest('inbox', { jurisdiction: '220000' }, PEOPLE.jilinReviewer),
      fakeDeps({ inbox: null }),
    );
    expect(elsewhere.statusCode).toBe(404);
  });
});

describe('errors as pages', () => {
  it('answers an unknown page with a 404 page, its name escaped', async () => {
    const answer = await consolePage(consoleRequest('<b>nope</b>', { lang: 'en' }), fakeDeps());
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('Page not found');
    expect(answer.body).toContain('/console/&lt;b&gt;nope&lt;/b&gt;');
    expect(answer.body).not.toContain('<b>nope');
  });

  it('does not take inherited properties for pages', async () => {
    expect((await consolePage(consoleRequest('constructor'), fakeDeps())).statusCode).toBe(404);
  });

  it('keeps a domain error’s status and details, and hides anything else behind a 500 page', async () => {
    const refused = await consolePage(
      consoleRequest('board', { campaignId: CAMPAIGN_ID, track: 'rereview' }),
      fakeDeps({
        summary: async () =>
          Promise.reject(
            new ValidationError('Campaign has no track rereview', [
              { field: 'query.track', code: 'UNKNOWN_TRACK', message: "the campaign's tracks are recommendation" },
            ]),
          ),
      }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<code>query.track</code>');
    const broken = await consolePage(
      consoleRequest('board', { campaignId: CAMPAIGN_ID }),
      fakeDeps({ summary: async () => Promise.reject(new Error('secret connection string')) }),
    );
    expect(broken.statusCode).toBe(500);
    expect(broken.body).toContain('出错了，请稍后再试');
    expect(broken.body).not.toContain('secret connection string');
  });

  it('answers a bad track with a 400 page before asking anything', async () => {
    const deps = fakeDeps();
    const answer = await consolePage(consoleRequest('board', { campaignId: CAMPAIGN_ID, track: 'nope' }), deps);
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('<code>query.track</code>');
    expect(deps.calls.summary).toEqual([]);
  });
});

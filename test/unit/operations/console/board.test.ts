import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { consolePage } from '../../../../shared/operations/console/index.ts';
import { CAMPAIGN_ID, cell, consoleRequest, fakeDeps, HOSTILE, IDS, row, section } from './fixtures.ts';

const board = async (query: Record<string, string> = { campaignId: CAMPAIGN_ID }) =>
  consolePage(consoleRequest('board', query), fakeDeps());

describe('the campaign board', () => {
  it('is an HTML page that is never cached, with a strict CSP whose nonce is new on every response', async () => {
    const first = await board();
    const second = await board();
    expect(first.statusCode).toBe(200);
    const headers = first.headers;
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['cache-control']).toBe('no-store');
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(first.body).toContain(`<script nonce="${nonce}">`);
    expect(first.body).toContain(`<style nonce="${nonce}">`);
    expect(second.headers['content-security-policy']).not.toBe(csp);
    // Every script carries the nonce, and no markup runs script by itself.
    expect(first.body.match(/<script/g)?.length).toBe(first.body.match(/<script nonce="/g)?.length);
    expect(first.body).not.toMatch(/<[^>]*\son[a-z]+=/i);
    expect(first.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(first.body).toContain('<meta http-equiv="refresh" content="60">');
  });

  it('has inline scripts that parse, and nothing in them built from input', async () => {
    const { body } = await board();
    const scripts = [...body.matchAll(/<script nonce="[^"]+">([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBe(2);
    for (const script of scripts) {
      // Compiled, never run: a syntax error throws here.
      expect(() => new Script(script)).not.toThrow();
      expect(script).not.toContain(CAMPAIGN_ID);
    }
  });

  it('asks the ops summary for the campaign and track of the query', async () => {
    const deps = fakeDeps();
    await consolePage(consoleRequest('board', { campaignId: CAMPAIGN_ID, track: 'recommendation', lang: 'en' }), deps);
    expect(deps.calls.summary).toEqual([{ campaignId: CAMPAIGN_ID, track: 'recommendation' }]);
  });

  it('counts each province by status in the right cells, with totals, each province linking to its drill-down', async () => {
    const { body } = await board();
    const jilin = row(body, 'data-code', '220000');
    expect(jilin).toContain('吉林省');
    expect(cell(jilin, 'CITY_REVIEW')).toBe(3);
    expect(cell(jilin, 'MIIT_REVIEW')).toBe(4);
    expect(cell(jilin, 'RETURNED')).toBe(1);
    expect(cell(jilin, 'OVERDUE')).toBe(0);
    expect(jilin).toContain(`href="/console/jurisdiction?campaignId=${CAMPAIGN_ID}&amp;code=220000"`);
    const shanxi = row(body, 'data-code', '140000');
    expect(cell(shanxi, 'PROVINCE_REVIEW')).toBe(8);
    expect(cell(shanxi, 'OVERDUE')).toBe(1);
    const total = row(body, 'data-code', 'total');
    expect(cell(total, 'PROVINCE_REVIEW')).toBe(10);
    expect(total).toContain('>19<');
    // The stage columns, in the ladder's order.
    const heads = [...section(body, 'provinces').matchAll(/<th class="n" data-status="[A-Z_]+">([^<]+)</g)].map(
      (m) => m[1],
    );
    expect(heads).toEqual([
      '草稿',
      '已提交',
      '市级审核',
      '省级审核',
      '工信部审核',
      '公示',
      '已认定',
      '退回',
      '不予推荐',
      '逾期',
      '名额已满',
      '撤回',
      '取消',
      '入选',
      '未入选',
      '省级认定',
    ]);
  });

  it('puts what is late, what failed and the quota left first', async () => {
    const { body } = await board();
    const at = (id: string) => body.indexOf(`<section id="${id}"`);
    expect(at('late')).toBeGreaterThan(0);
    expect(at('late')).toBeLessThan(at('failed'));
    expect(at('failed')).toBeLessThan(at('quotas'));
    expect(at('quotas')).toBeLessThan(at('provinces'));
    expect(at('provinces')).toBeLessThan(at('calendar'));
  });

  it('lists what is late with place, status, stage, due date in Beijing time and days late, linking to the timeline', async () => {
    const late = section((await board()).body, 'late');
    const yanji = row(late, 'data-application', IDS.yanji);
    expect(yanji).toContain('延吉市食品产业集群');
    expect(yanji).toContain('吉林省 延边朝鲜族自治州 延吉市');
    expect(yanji).toContain('市级审核');
    expect(yanji).toContain('2025年7月15日 23:59（北京时间）');
    expect(yanji).toContain('>4.4<');
    expect(yanji).toContain(`href="/console/application?id=${IDS.yanji}"`);
  });

  it('escapes a hostile cluster name', async () => {
    const { body } = await board();
    expect(body).not.toContain(HOSTILE);
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows each quota as a gauge with "used / limit"', async () => {
    const quotas = section((await board()).body, 'quotas');
    expect(quotas).toMatch(
      /<li data-quota="recommendation#provincial#220000">[\s\S]*<meter min="0" max="8" value="8"[\s\S]*>8 \/ 8<\/span>/,
    );
    expect(quotas).toContain('>3 / 8</span>');
    expect(quotas).toContain('名额已满');
    expect(quotas).toContain('剩余 5');
  });

  it('lists failed executions with error and cause, and a Redrive button for each that can be redriven', async () => {
    const failed = section((await board()).body, 'failed');
    const buttons = [...failed.matchAll(/<button type="button" data-post="([^"]+)"/g)].map((m) => m[1]);
    expect(buttons).toEqual([`/console/executions/${IDS.taiyuan}-r0/redrive`]);
    expect(failed).toContain('太原市装备制造产业集群');
    expect(failed).toContain('<strong>Error</strong>');
    expect(failed).toContain('enter-stage: DynamoDB throttled');
    expect(failed).toContain('States.Timeout');
    expect(failed).toContain('不可重新驱动');
    expect(failed).toContain('data-reload');
  });

  it('says in its own words how each execution ended, what that means for the application and what to do', async () => {
    const failed = section((await board()).body, 'failed');
    expect(failed).toContain('<span class="bad" data-status="FAILED">执行失败</span>');
    expect(failed).toContain('<span class="bad" data-status="TIMED_OUT">执行超时</span>');
    expect(failed).not.toMatch(/>FAILED</);
    expect(failed).toContain('不会再有人收到审核请求');
    expect(failed).toContain('先按“原因”排除故障');
    const english = section((await board({ campaignId: CAMPAIGN_ID, lang: 'en' })).body, 'failed');
    expect(english).toContain('>Timed out</span>');
    expect(english).toContain('Fix what the cause names first');
  });

  it('shows the deadline calendar with past days highlighted', async () => {
    const calendar = section((await board()).body, 'calendar');
    expect(calendar).toContain('<tr data-date="2025-07-15" class="past">');
    expect(calendar).toContain('<tr data-date="2025-07-31">');
    expect(row(calendar, 'data-date', '2025-07-31')).toContain('工业和信息化部审核截止 / MIIT deadline');
    expect(row(calendar, 'data-date', '2025-07-31')).toContain('省级审核 10');
  });

  it('switches to English with ?lang=en and keeps the language on every link', async () => {
    const { body } = await board({ campaignId: CAMPAIGN_ID, lang: 'en' });
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('SME characteristic industrial clusters 2025 · ');
    expect(body).toContain('<h2>What is late');
    expect(body).toContain('<h2>Failed executions');
    expect(body).toContain('Redrive</button>');
    expect(body).toContain('15 Jul 2025, 23:59 Beijing time (UTC+8)');
    expect(body).not.toContain('逾期事项');
    const consoleLinks = [...body.matchAll(/href="(\/console[^"]*)"/g)].map((m) => m[1] ?? '');
    expect(consoleLinks.length).toBeGreaterThan(5);
    const zhSwitch = consoleLinks.filter((href) => !href.includes('lang=en'));
    // Only the 中文 half of the switch leaves English.
    expect(zhSwitch).toEqual([`/console/board?campaignId=${CAMPAIGN_ID}`]);
    expect(body).toContain(
      `href="/console/board?campaignId=${CAMPAIGN_ID}&amp;lang=en" hreflang="en" lang="en" aria-current="page">English</a>`,
    );
  });

  it('offers the campaigns to choose from when no campaign is named, at /console as at /console/board', async () => {
    for (const page of [undefined, 'board']) {
      const answer = await consolePage(consoleRequest(page, {}), fakeDeps());
      expect(answer.statusCode).toBe(200);
      expect(answer.body).toContain('选择申报活动');
      expect(answer.body).toContain(`href="/console/board?campaignId=${CAMPAIGN_ID}"`);
      expect(answer.body).toContain('2024年典型案例');
    }
  });
});

describe('the warning of jurisdictions with no registered reviewer', () => {
  const gap = {
    jurisdictionCode: '222400',
    firstSeenAt: '2026-05-20T02:00:00.000Z',
    lastSeenAt: '2026-05-21T02:00:00.000Z',
    reviewId: 'app-1.city.1.1',
  };

  it('comes first on the board, naming each jurisdiction, when reviews wait with nobody to email', async () => {
    const deps = { ...fakeDeps(), reviewerGaps: async () => [gap] };
    const { body } = await consolePage(consoleRequest('board', { campaignId: CAMPAIGN_ID }), deps);
    const warning = section(body, 'reviewer-gaps');
    expect(warning).toContain('role="alert"');
    expect(warning).toContain('未登记审核人员');
    expect(warning).toContain('延边朝鲜族自治州');
    expect(warning).toContain('<code>222400</code>');
    expect(warning).toContain('app-1.city.1.1');
    expect(body.indexOf('id="reviewer-gaps"')).toBeLessThan(body.indexOf('id="late"'));
    const english = await consolePage(consoleRequest('board', { campaignId: CAMPAIGN_ID, lang: 'en' }), deps);
    expect(section(english.body, 'reviewer-gaps')).toContain('No registered reviewer');
  });

  it('is absent when every jurisdiction asked has someone registered', async () => {
    const deps = { ...fakeDeps(), reviewerGaps: async () => [] };
    const { body } = await consolePage(consoleRequest('board', { campaignId: CAMPAIGN_ID }), deps);
    expect(body).not.toContain('id="reviewer-gaps"');
  });
});

import { describe, expect, it } from 'vitest';
import { panelFormResult } from '../../../../shared/review/panel/handler.ts';
import { renderSeatPage } from '../../../../shared/review/panel/page.ts';
import type { SeatPage } from '../../../../shared/review/panel/views.ts';

const SEAT = '0a1b2c3d-0000-4000-8000-000000000001';
const base = {
  reviewId: '3f1c2b7e-4c1a-4d7e-9a57-2f3a1c0d9e42.province.3.1.1',
  seatId: SEAT,
  secret: 'seat-secret',
  expert: { name: '专家1', email: 'e1@example.cn' },
  clusterName: '<script>alert(1)</script>敦化市医药产业集群',
  places: { county: '敦化市', city: '延边朝鲜族自治州', level: '吉林省' },
  deadline: '2026-07-15T15:59:59.000Z',
};

describe('the expert’s page', () => {
  it('asks for the declaration first, escapes what it shows, and keeps the secret out of caches', () => {
    const page = renderSeatPage({ ...base, state: 'declare' } satisfies SeatPage, 'zh');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('&lt;script&gt;');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('name="declaration" value="no-conflict"');
    expect(page.body).toContain('name="declaration" value="recuse"');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('lang="zh-CN"');
  });

  it('speaks English with ?lang=en and links back to Chinese', () => {
    const page = renderSeatPage({ ...base, state: 'declare' }, 'en');
    expect(page.body).toContain('Declare no conflict and see the material');
    expect(page.body).toContain('中文');
    expect(page.body).not.toContain('申请回避');
  });

  it('answers a link that opens nothing with 403 and no form', () => {
    const page = renderSeatPage({ state: 'forged' }, 'zh');
    expect(page.statusCode).toBe(403);
    expect(page.body).not.toContain('<form');
  });

  it('shows the totals unnamed once closed, marking the reader’s own', () => {
    const page = renderSeatPage(
      {
        ...base,
        state: 'closed',
        criteria: [],
        aggregate: 81.5,
        method: 'trimmed-mean',
        totals: [
          { mine: false, total: 62 },
          { mine: true, total: 88 },
        ],
      },
      'zh',
    );
    expect(page.body).toContain('81.5');
    expect(page.body).toContain('去掉一个最高分和一个最低分后的平均值');
    expect(page.body).toMatch(/class="mine">88（您的评分）/);
    expect(page.body).not.toContain('e1@example.cn');
  });
});

describe('a seat form posted by a browser', () => {
  it('is answered 303 to the seat’s page when taken, keeping the language', () => {
    const answer = panelFormResult(
      { statusCode: 200, body: '{}' },
      { seatId: SEAT, fields: { t: 'a b', lang: 'en', declaration: 'no-conflict' } },
    );
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(`../${SEAT}?t=a%20b&lang=en`);
  });

  it('is answered with the refusal as a page, each detail’s message and the way back', () => {
    const body = JSON.stringify({
      error: {
        code: 'ALREADY_SCORED',
        message: 'This expert scored already',
        details: [{ field: 'scores', code: 'ALREADY_SCORED', message: '已提交评分，不能再次提交' }],
      },
    });
    const answer = panelFormResult({ statusCode: 409, body }, { seatId: SEAT, fields: { t: 'seat-secret' } });
    expect(answer.statusCode).toBe(409);
    expect(answer.body).toContain('已提交评分，不能再次提交');
    expect(answer.body).toContain(`href="../${SEAT}?t=seat-secret"`);
  });

  it('names each refused score by its criterion, in the page’s language, without field paths or zod’s English', () => {
    // What the desk answered an expert who typed 850 for one criterion and left another empty.
    const body = JSON.stringify({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Invalid scores: scores.core-competitiveness, scores.tiered-cultivation',
        details: [
          { field: 'scores.core-competitiveness', code: 'too_big', message: 'a score is at most 100' },
          {
            field: 'scores.tiered-cultivation',
            code: 'invalid_type',
            message: 'Invalid input: expected number, received undefined',
          },
        ],
      },
    });
    const zh = panelFormResult({ statusCode: 400, body }, { seatId: SEAT, fields: { t: 'seat-secret' } });
    expect(zh.statusCode).toBe(400);
    expect(zh.body).toContain('<li>具有较强核心竞争力：请填写 0–100 之间的分数</li>');
    expect(zh.body).toContain('<li>优质中小企业梯度培育成效显著：请填写 0–100 之间的分数</li>');
    for (const english of ['Invalid scores', 'scores.core-competitiveness', 'expected number', 'at most 100'])
      expect(zh.body).not.toContain(english);
    expect(zh.body).toContain(`href="../${SEAT}?t=seat-secret"`);

    const en = panelFormResult({ statusCode: 400, body }, { seatId: SEAT, fields: { t: 'seat-secret', lang: 'en' } });
    expect(en.body).toContain('<li>Strong core competitiveness: enter a score from 0 to 100</li>');
  });

  it('offers no way back with a link that was refused (403)', () => {
    const answer = panelFormResult({ statusCode: 403, body: '{}' }, { seatId: SEAT, fields: { t: 'wrong' } });
    expect(answer.statusCode).toBe(403);
    expect(answer.body).not.toContain('wrong');
  });
});

import { describe, expect, it } from 'vitest';
import { reviewRequestEmail } from '../../../shared/review/mail.ts';
import { renderDecisionResult } from '../../../shared/review/answer-page.ts';
import { renderReviewPage } from '../../../shared/review/page.ts';
import { CONTENT_SECURITY_POLICY } from '../../../shared/review/page-frame.ts';
import { escapeHtml, html } from '../../../shared/platform/pages/html.ts';
import { beijingTime } from '../../../shared/platform/time.ts';
import { contentDisposition } from '../../../shared/platform/content-disposition.ts';
import { review } from './fixtures.ts';

const now = new Date('2026-06-01T02:00:00.000Z');

describe('the html tag', () => {
  it('escapes every interpolated string, in text and attributes', () => {
    const hostile = `<script>alert('x')</script> & "quoted" \`tick\``;
    const out = html`<p title="${hostile}">${hostile}</p>`.value;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &#96;tick&#96;">' +
        '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &#96;tick&#96;</p>',
    );
  });

  it('inserts nested html and arrays as they are, and leaves out undefined, null and false', () => {
    const items = ['<a>', 'b'].map((text) => html`<li>${text}</li>`);
    expect(html`<ul>${items}</ul>${undefined}${null}${false}${0}`.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('contentDisposition (RFC 6266, RFC 8187 filename*)', () => {
  it('gives an ASCII fallback and the UTF-8 name, percent-encoded', () => {
    expect(contentDisposition('申报表(终稿).pdf')).toBe(
      `attachment; filename="___(__).pdf"; filename*=UTF-8''%E7%94%B3%E6%8A%A5%E8%A1%A8%28%E7%BB%88%E7%A8%BF%29.pdf`,
    );
  });

  it('keeps quotes and backslashes out of the quoted fallback', () => {
    const value = contentDisposition(`a"b\\c'd*.pdf`);
    expect(value).toContain('filename="a_b_c\'d*.pdf"');
    expect(value).toContain("filename*=UTF-8''a%22b%5Cc%27d%2A.pdf");
  });
});

describe('beijingTime', () => {
  it('shows an instant in UTC+8, in Chinese and English', () => {
    expect(beijingTime('2025-07-15T15:59:59Z')).toEqual({
      zh: '2025年7月15日 23:59（北京时间）',
      en: '15 Jul 2025, 23:59 Beijing time (UTC+8)',
    });
    expect(beijingTime('2025-07-15T23:59:59+08:00').zh).toBe('2025年7月15日 23:59（北京时间）');
  });
});

describe('the review request email', () => {
  const email = reviewRequestEmail({
    clusterName: '敦化市医药产业集群<b>',
    countyName: '敦化市',
    countyCode: '222403',
    reviewerName: '延边朝鲜族自治州',
    campaignName: { zh: '2026年度中小企业特色产业集群推荐', en: '2026 recommendation' },
    stage: 'province',
    round: 2,
    deadline: '2026-07-15T23:59:59+08:00',
    link: 'https://api.example.gov.cn/v1/reviews/r.province.3.2?t=abc_DEF-123',
  });

  it('is bilingual, names the cluster, county, stage, round and the deadline in Beijing time', () => {
    expect(email.subject).toContain('敦化市医药产业集群');
    expect(email.subject).toContain('Review requested');
    for (const part of [
      '敦化市（222403）',
      '省级审核（第2轮）',
      'Provincial review',
      '2026年7月15日 23:59（北京时间）',
      '15 Jul 2026',
    ]) {
      expect(email.text).toContain(part);
    }
  });

  it('reads on a phone: short text lines, one big button, escaped HTML', () => {
    const long = email.text.split('\n').filter((line) => line.length > 48 && !line.startsWith('https://'));
    expect(long).toEqual([]);
    expect(email.html.match(/<a /g)).toHaveLength(1);
    expect(email.html).toContain('href="https://api.example.gov.cn/v1/reviews/r.province.3.2?t=abc_DEF-123"');
    expect(email.html).toContain('max-width:480px');
    expect(email.html).toContain('敦化市医药产业集群&lt;b&gt;');
    expect(email.html).not.toContain('集群<b>');
  });
});

describe('the review request email of a step that needs the level’s own document', () => {
  const base = {
    clusterName: '大安市清洁能源装备产业集群',
    countyName: '大安市',
    countyCode: '220882',
    reviewerName: '白城市',
    campaignName: { zh: '2026年度中小企业特色产业集群推荐', en: '2026 recommendation' },
    stage: 'city' as const,
    round: 1,
    deadline: '2026-12-28T18:31:00.000Z',
    link: 'https://api.example.gov.cn/v1/reviews/r.city.9.1.1?t=abc',
  };
  const page = 'https://api.example.gov.cn/console/level-documents?campaignId=c&track=recommendation';

  it('asks a formal letter’s level for the letter, where to file it, and says no decision is needed', async () => {
    const mail = reviewRequestEmail({
      ...base,
      step: 'formal-letter',
      levelDocuments: {
        titles: [{ zh: '正式推荐文件（盖章）', en: 'Formal recommendation letter (stamped)' }],
        pageUrl: page,
        completesByItself: true,
      },
    });
    expect(mail.text).not.toContain('请审核以下申报');
    expect(mail.text).toContain('本步骤请上传本级的正式推荐文件（盖章）。');
    expect(mail.text).toContain('无需在审核页面作出决定');
    expect(mail.text).toContain(page);
    expect(mail.html).toContain(`href="${page.replace(/&/g, '&amp;')}"`);
    expect(mail.text.split('\n').filter((line) => line.length > 48 && !line.startsWith('https://'))).toEqual([]);
  });

  it('asks a meeting’s level for its minutes first, then its decision', () => {
    const mail = reviewRequestEmail({
      ...base,
      step: 'meeting',
      levelDocuments: { titles: [{ zh: '会议纪要', en: 'Meeting minutes' }], pageUrl: page, completesByItself: false },
    });
    expect(mail.text).toContain('本步骤需要本级的会议纪要：');
    expect(mail.text).toContain('请先上传，再在审核页面作出决定。');
  });

  it('is built so from the review: the step’s documents and the console page under the public address', async () => {
    const { reviewMailInput } = await import('../../../shared/review/recipients.ts');
    const letter = review(new Date('2026-06-01T02:00:00.000Z'), { step: { index: 1, kind: 'formal-letter' } });
    const input = await reviewMailInput(
      {
        publicBaseUrl: 'https://api.example.gov.cn/',
        campaigns: { get: async () => ({ name: base.campaignName }) },
      } as never,
      letter,
      'abc',
    );
    expect(input.levelDocuments).toEqual({
      titles: [{ zh: '正式推荐文件（盖章）', en: 'Formal recommendation letter (stamped)' }],
      pageUrl: `https://api.example.gov.cn/console/level-documents?campaignId=${letter.campaignId}&track=recommendation`,
      completesByItself: true,
    });
    const plain = await reviewMailInput(
      {
        publicBaseUrl: 'https://api.example.gov.cn',
        campaigns: { get: async () => ({ name: base.campaignName }) },
      } as never,
      review(new Date('2026-06-01T02:00:00.000Z')),
      'abc',
    );
    expect(plain.levelDocuments).toBeUndefined();
  });
});

describe('pages', () => {
  it('a withdrawn review: 410 with the reason, no form', () => {
    const page = renderReviewPage({
      state: 'gone',
      why: 'withdrawn',
      review: review(now, { status: 'WITHDRAWN', closedReason: '<i>主动撤回</i>' }),
    });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('申报已撤回');
    expect(page.body).toContain('&lt;i&gt;主动撤回&lt;/i&gt;');
    expect(page.body).not.toContain('<form');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('the answer to the form: 409 shows the decision recorded earlier and a way back', () => {
    const page = renderDecisionResult(
      {
        statusCode: 409,
        body: JSON.stringify({
          error: {
            code: 'ALREADY_DECIDED',
            message: 'This review was already decided',
            details: [
              {
                field: 'decision',
                code: 'ALREADY_DECIDED',
                message: '已作出决定',
                decision: { decision: 'reject', reason: '不符合<条件>', decidedAt: '2026-06-01T02:00:00.000Z' },
              },
            ],
          },
        }),
      },
      { reviewId: 'r.city.3.1', secret: 's3cr3t' },
    );
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('不予推荐');
    expect(page.body).toContain('不符合&lt;条件&gt;');
    expect(page.body).not.toContain('This review was already decided');
    expect(page.body).toContain('href="../r.city.3.1?t=s3cr3t"');
  });

  it('the answer to a return without a reason says what to do, without the API’s English line for developers', () => {
    const page = renderDecisionResult(
      {
        statusCode: 400,
        body: JSON.stringify({
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Invalid request: reason',
            details: [
              {
                field: 'reason',
                code: 'custom',
                message: '未通过的，需说明原因：退回或不予推荐必须填写原因 / a reason is required to return or reject',
              },
            ],
          },
        }),
      },
      { reviewId: 'r.city.3.1', secret: 's3cr3t' },
    );
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('退回或不予推荐必须填写原因');
    expect(page.body).not.toContain('Invalid request');
    expect(page.body).toContain('href="../r.city.3.1?t=s3cr3t"');
  });

  it('the answer to a refusal speaks each language in its place, as the review page does', () => {
    const page = renderDecisionResult(
      {
        statusCode: 409,
        body: JSON.stringify({
          error: {
            code: 'STEP_REQUIREMENT_MISSING',
            message: 'The sampling record is missing',
            details: [
              {
                field: 'levelDocuments.sampling-record',
                message: '同意前须由本级上传实地抽查记录 / the level files its sampling record before approving',
              },
            ],
          },
        }),
      },
      { reviewId: 'r.province.3.1.1', secret: 's3cr3t' },
    );
    expect(page.body).toContain(
      '<li>同意前须由本级上传实地抽查记录 <span class="en">the level files its sampling record before approving</span></li>',
    );
  });

  it('the answer to a refusal without details still says why', () => {
    const page = renderDecisionResult(
      { statusCode: 409, body: JSON.stringify({ error: { code: 'CONFLICT', message: '名额已满 / quota full' } }) },
      { reviewId: 'r.city.3.1', secret: 's3cr3t' },
    );
    expect(page.body).toContain('名额已满 / quota full');
  });

  it('the answer to a forged form post offers no way back and echoes nothing', () => {
    const page = renderDecisionResult(
      { statusCode: 403, body: JSON.stringify({ error: { code: 'REVIEW_LINK_INVALID', message: 'invalid' } }) },
      { reviewId: 'r.city.3.1', secret: 'guess' },
    );
    expect(page.statusCode).toBe(403);
    expect(page.body).not.toContain('guess');
  });
});

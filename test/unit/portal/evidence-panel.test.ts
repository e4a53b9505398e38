import { describe, expect, it } from 'vitest';
import { evidencePanel, type EvidencePanelArgs, panelItems } from '../../../shared/portal/evidence-panel.ts';
import { UPLOADER_WORDS } from '../../../shared/portal/uploader-words.ts';
import { pageContext, renderPage } from '../../../shared/platform/pages/layout.ts';
import { html } from '../../../shared/platform/pages/html.ts';
import { demoCampaign } from '../../../shared/rules/campaigns/index.ts';
import { effectiveRules } from '../../../shared/rules/effective-rules.ts';
import { APP_ID, sampleEvidence } from '../support.ts';

/*
 * The evidence panel as rendered on the server: what it says of each item and file, in either
 * language, what it hands its script, where it offers a chooser, and that nothing it is given
 * reaches the page as markup.
 */

const now = new Date('2026-06-01T02:00:00.000Z');
// A Shanxi county's checklist: the national items and its cities' on-site check statement.
const checklist = effectiveRules(demoCampaign(now), 'recommendation', '140105').checklist.filter(
  (item) => item.id !== 'shanxi-provincial-recognition',
);
const FORM_ID = '11111111-1111-4111-8111-111111111111';
const BAD_ID = '22222222-2222-4222-8222-222222222222';

const formFile = sampleEvidence({ evidenceId: FORM_ID, status: 'VALID', size: 3 * 1024 * 1024 });
const refused = sampleEvidence({
  evidenceId: BAD_ID,
  criterion: 'onsite-check-statement',
  fileName: '<img src=x onerror=alert(1)>.pdf',
  status: 'INVALID',
  findings: [
    {
      code: 'TYPE_MISMATCH',
      message: { zh: '文件的实际格式（png）与所选类型（pdf）不符', en: 'The actual format (png) is not pdf' },
    },
  ],
});
/** An upload request whose link expired with no file: abandoned. */
const abandoned = sampleEvidence({
  evidenceId: '33333333-3333-4333-8333-333333333333',
  status: 'PENDING',
  uploadExpiresAt: '2026-05-31T00:00:00.000Z',
});
const waiting = sampleEvidence({
  evidenceId: '44444444-4444-4444-8444-444444444444',
  status: 'PENDING',
  uploadExpiresAt: '2026-06-01T02:10:00.000Z',
});

const args = (overrides: Partial<EvidencePanelArgs> = {}): EvidencePanelArgs => ({
  lang: 'zh',
  applicationId: APP_ID,
  items: panelItems(checklist, [formFile, refused, abandoned, waiting], now),
  uploader: 'county',
  editable: true,
  urls: { request: '/portal/a/evidence', list: '/portal/a/evidence', remove: '/portal/a/evidence/{evidenceId}' },
  ...overrides,
});

/** The markup of one item, by its checklist id. */
const itemOf = (markup: string, id: string) => {
  const start = markup.indexOf(`data-criterion="${id}"`);
  const end = markup.indexOf('class="ev-item"', start);
  return markup.slice(start, end < 0 ? undefined : end);
};

describe('panelItems', () => {
  it('keeps the checklist’s order and each item’s files, without abandoned upload requests', () => {
    const items = panelItems(checklist, [formFile, refused, abandoned, waiting], now);
    expect(items.map((item) => item.id)).toEqual(checklist.map((item) => item.id));
    expect(items.find((item) => item.id === 'application-form')?.files.map((f) => f.evidenceId)).toEqual([
      FORM_ID,
      waiting.evidenceId,
    ]);
    expect(items.find((item) => item.id === 'onsite-check-statement')?.files.map((f) => f.evidenceId)).toEqual([
      BAD_ID,
    ]);
  });
});

describe('evidencePanel', () => {
  it('says of each item whether it is required, its types, size limit, file count and who uploads it', () => {
    const markup = evidencePanel(args()).value;
    const form = itemOf(markup, 'application-form');
    expect(form).toContain('必传');
    expect(form).toContain('格式 PDF / OFD');
    expect(form).toContain('由县（市、区）上传');
    expect(form).toMatch(/单个文件不超过 \d+\.\d MB/);
    expect(itemOf(markup, 'onsite-check-statement')).toContain('由市（州）上传');
    const optional = checklist.find((item) => !item.required);
    if (optional) expect(itemOf(markup, optional.id)).toContain('选传');
  });

  it('shows each file with its status, and the validator’s reasons in the page’s language', () => {
    const zh = evidencePanel(args()).value;
    expect(zh).toContain(`data-evidence-id="${FORM_ID}" data-status="VALID"`);
    expect(zh).toContain('校验通过');
    expect(zh).toContain('3.0 MB');
    expect(zh).toContain('文件的实际格式（png）与所选类型（pdf）不符');
    expect(zh).not.toContain('33333333-3333-4333-8333-333333333333');
    const en = evidencePanel(args({ lang: 'en' })).value;
    expect(en).toContain('The actual format (png) is not pdf');
    expect(en).toContain('Required');
  });

  it('keeps the “no file yet” note on an item with files, hidden, for the script to show when the last is removed', () => {
    const markup = evidencePanel(args()).value;
    expect(itemOf(markup, 'application-form')).toContain('<p class="note ev-none" hidden>尚未上传文件</p>');
    expect(itemOf(markup, 'core-competitiveness')).toContain('<p class="note ev-none">尚未上传文件</p>');
  });

  it('escapes file names, and hands its script the words and the item’s types as attribute data', () => {
    const markup = evidencePanel(args()).value;
    expect(markup).not.toContain('<img');
    expect(markup).toContain('&lt;img src=x onerror=alert(1)&gt;.pdf');
    const words = /data-words="([^"]*)"/.exec(markup)?.[1] ?? '';
    const decoded = JSON.parse(
      words.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&'),
    ) as Record<string, string>;
    expect(decoded.tooLarge).toBe(UPLOADER_WORDS.tooLarge.zh);
    const types = /data-criterion="application-form" data-types="([^"]*)"/.exec(markup)?.[1] ?? '';
    expect(JSON.parse(types.replaceAll('&quot;', '"'))).toEqual([
      { type: 'pdf', ext: ['.pdf'], mime: 'application/pdf' },
      { type: 'ofd', ext: ['.ofd'], mime: 'application/ofd' },
    ]);
    expect(markup).toContain('data-remove-url="/portal/a/evidence/{evidenceId}"');
  });

  it('offers a chooser only on the uploader’s own items, and none once the application cannot change', () => {
    const county = evidencePanel(args()).value;
    expect(itemOf(county, 'application-form')).toContain('accept=".pdf,application/pdf,.ofd,application/ofd"');
    expect(itemOf(county, 'application-form')).toContain('data-changeable="true"');
    expect(itemOf(county, 'onsite-check-statement')).not.toContain('type="file"');
    expect(itemOf(county, 'onsite-check-statement')).toContain('此项不由本单位上传');

    const city = evidencePanel(args({ uploader: 'city' })).value;
    expect(itemOf(city, 'onsite-check-statement')).toContain('type="file"');
    expect(itemOf(city, 'application-form')).not.toContain('type="file"');

    const locked = evidencePanel(args({ editable: false })).value;
    expect(locked).not.toContain('type="file"');
    expect(itemOf(locked, 'application-form')).toContain('当前状态下不能修改佐证材料');
  });
});

describe('the page frame around it', () => {
  const ctx = pageContext('zh', 'application', {});

  it('adds the bucket’s origin to connect-src, and nothing else', () => {
    const page = renderPage(200, ctx, {
      title: 't',
      body: html`<p>x</p>`,
      connectSources: ['https://evidence.s3.cn-north-1.amazonaws.com.cn'],
    });
    expect(page.headers['content-security-policy']).toContain(
      "connect-src 'self' https://evidence.s3.cn-north-1.amazonaws.com.cn;",
    );
    expect(renderPage(200, ctx, { title: 't', body: html`` }).headers['content-security-policy']).toContain(
      "connect-src 'self';",
    );
  });

  it('refuses anything but an origin alone: a path, a wildcard, another scheme', () => {
    for (const bad of [
      'https://bucket.example/evidence',
      'https://*.example',
      'javascript:alert(1)',
      "'unsafe-inline'",
    ]) {
      expect(() => renderPage(200, ctx, { title: 't', body: html``, connectSources: [bad] }), bad).toThrow(
        /origins alone/,
      );
    }
  });
});

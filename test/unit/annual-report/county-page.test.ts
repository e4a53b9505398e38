import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnualReportDesk, CountyView } from '../../../shared/annual-report/desk.ts';
import { makeAnnualReportHandler } from '../../../shared/annual-report/handler.ts';
import { countyPage } from '../../../shared/annual-report/pages.ts';
import { pageContext } from '../../../shared/platform/pages/layout.ts';
import { PORTAL_SITE } from '../../../shared/portal/parts.ts';
import { FilingBodySchema } from '../../../shared/annual-report/report.ts';
import { removalRefusal } from '../../../shared/annual-report/removal.ts';
import { ConflictError } from '../../../shared/platform/errors.ts';
import { parseOrThrow } from '../../../shared/platform/parse.ts';
import { startTestIssuer, type TestIssuer } from '../sign-in.ts';
import { PEOPLE } from '../support.ts';

/**
 * The county's annual-report page through its handler: a filing the figures' rules refuse draws
 * the page again, the county's entries kept and each refusal beside its field in the page's
 * language. The desk is a stand-in that checks the filing as the real one does first
 * (FilingBodySchema) and answers the county's view of one cluster owing the year's report.
 */

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());

const ENTRY = 'provincial#2025#222403#敦化市人参';
const VIEW: CountyView = {
  reportYear: 2025,
  deadline: '2026-04-30T23:59:59+08:00',
  closed: false,
  forwarded: false,
  rows: [
    {
      entry: {
        entryId: ENTRY,
        clusterName: '敦化市人参产业集群',
        countyCode: '222403',
        provinceCode: '220000',
        level: 'provincial',
        cohort: 2025,
        state: 'valid',
      },
      standing: 'due',
      files: [],
    },
  ] as CountyView['rows'],
};

function deskThat(file: (input: unknown) => Promise<never>): AnnualReportDesk {
  return {
    year: (asked?: number) => asked ?? 2025,
    countyView: async () => VIEW,
    file: async (_principal: unknown, _year: number, input: unknown) => file(input),
  } as unknown as AnnualReportDesk;
}

const checkedThenStopped = async (input: unknown): Promise<never> => {
  parseOrThrow(FilingBodySchema, input);
  throw new Error('the figures passed; this test expects them refused');
};

async function post(desk: AnnualReportDesk, fields: Record<string, string>, lang?: 'en') {
  const handler = makeAnnualReportHandler({ desk, uploads: {}, clock: () => new Date('2026-03-01T00:00:00Z') });
  const query = { year: '2025', ...(lang && { lang }) };
  const event = {
    version: '2.0',
    routeKey: 'POST /portal/annual-reports/reports',
    rawPath: '/portal/annual-reports/reports',
    rawQueryString: new URLSearchParams(query).toString(),
    queryStringParameters: query,
    headers: {
      host: 'clusters.example',
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/x-www-form-urlencoded',
    },
    cookies: [`cp_session=${await issuer.token(PEOPLE.dunhuaApplicant)}`],
    isBase64Encoded: false,
    body: new URLSearchParams(fields).toString(),
    requestContext: { requestId: 'req-annual', http: { method: 'POST', path: '/portal/annual-reports/reports' } },
  } as unknown as APIGatewayProxyEventV2;
  return handler(event) as Promise<{ statusCode: number; body: string }>;
}

const FIGURES = {
  entryId: ENTRY,
  clusterOutput: '1250000',
  smeCount: '120',
  employment: '8600',
  rdSpending: '41000',
  specialisedSmes: '2',
  littleGiants: '12',
  mainWork: '建设人参精深加工公共技术服务平台',
  problems: '融资渠道单一',
};

/** The `.field` block of one figure, from its opening tag to the next field's. */
const fieldBlock = (body: string, name: string) =>
  body.match(new RegExp(`<div class="field[^"]*" data-field="${name}">[\\s\\S]*?</div>`))?.[0] ?? '';

describe("the county's annual-report form, refused", () => {
  it('is drawn again with the entries kept and the refusal beside its field, in Chinese', async () => {
    const answer = await post(deskThat(checkedThenStopped), FIGURES);
    expect(answer.statusCode).toBe(400);
    expect(answer.body).not.toContain('无法显示');
    expect(answer.body).toContain('<h1>集群年度报告 · 2025</h1>');
    const giants = fieldBlock(answer.body, 'littleGiants');
    expect(giants).toContain('class="field invalid"');
    expect(giants).toContain('aria-invalid="true"');
    expect(giants).toContain('value="12"');
    expect(giants).toContain('不能超过专精特新中小企业数');
    expect(answer.body).not.toContain('figures.littleGiants');
    expect(answer.body).not.toContain('at most the number');
    // Every figure typed is still there, the untouched ones without a note.
    expect(fieldBlock(answer.body, 'specialisedSmes')).toContain('value="2"');
    expect(fieldBlock(answer.body, 'specialisedSmes')).not.toContain('invalid');
    expect(fieldBlock(answer.body, 'clusterOutput')).toContain('value="1250000"');
    expect(fieldBlock(answer.body, 'mainWork')).toContain('建设人参精深加工公共技术服务平台</textarea>');
    expect(fieldBlock(answer.body, 'problems')).toContain('融资渠道单一</textarea>');
    // The summary at the top leads to the field. It takes the focus (a refused filing is a new
    // page, whose focus would start at its top), names the button's own work (报送, not 保存),
    // and the title says the page shows a refusal, as the portal's forms do.
    expect(answer.body).toMatch(
      /<section class="problem" id="errors" role="alert" tabindex="-1" autofocus><p><strong>以下各项有误，请修改后再报送：[\s\S]*href="#f-littleGiants-/,
    );
    expect(answer.body).toContain('<title>有误：集群年度报告 · 2025 ·');
  });

  it('speaks English on the English page, and names a missing figure as required', async () => {
    const { employment: _left, ...withoutEmployment } = FIGURES;
    const answer = await post(deskThat(checkedThenStopped), withoutEmployment, 'en');
    expect(answer.statusCode).toBe(400);
    expect(fieldBlock(answer.body, 'employment')).toContain('Required');
    expect(fieldBlock(answer.body, 'employment')).toContain('value=""');
    expect(fieldBlock(answer.body, 'littleGiants')).toContain('value="12"');
    const giants = fieldBlock((await post(deskThat(checkedThenStopped), FIGURES, 'en')).body, 'littleGiants');
    expect(giants).toContain('At most the number of specialised SMEs');
    expect(giants).not.toMatch(/[\u4e00-\u9fff]/u);
    expect(answer.body).toContain('Fix these fields, then file the report:');
    expect(answer.body).toContain('<title>Error: ');
  });

  it('keeps the entries when the report file is not there yet, saying so in the page’s language only', async () => {
    const noFile = async (): Promise<never> => {
      throw new ConflictError('FILE_MISSING', 'The report needs its file, uploaded and checked VALID, first', [
        {
          field: 'file',
          code: 'FILE_MISSING',
          message: '请先上传年度报告文件并等待校验通过 / upload the report file first',
        },
      ]);
    };
    const answer = await post(deskThat(noFile), { ...FIGURES, specialisedSmes: '12', littleGiants: '2' });
    expect(answer.statusCode).toBe(409);
    expect(answer.body).toContain('请先上传年度报告文件并等待校验通过');
    expect(answer.body).not.toContain('upload the report file first');
    expect(fieldBlock(answer.body, 'specialisedSmes')).toContain('value="12"');
    expect(fieldBlock(answer.body, 'mainWork')).toContain('建设人参精深加工公共技术服务平台</textarea>');
  });
});

/**
 * The report file uploaded twice (年度报告.pdf, then 年度报告.pdf again after the province returned
 * the report): each upload says when it came and what becomes of it, by the desk's own rule (the
 * latest VALID one is filed: fileForFiling).
 */
describe("the county's report files, told apart", () => {
  const upload = (fileId: string, requestedAt: string, status: 'VALID' | 'INVALID' | 'PENDING') => ({
    fileId,
    fileName: '年度报告.pdf',
    status,
    declaredSize: 2048,
    requestedAt,
    findings: [],
    ...(status === 'VALID' && { sha256: 'a'.repeat(64), validatedAt: requestedAt }),
  });
  const FIRST = '11111111-1111-4111-8111-111111111111';
  const SECOND = '22222222-2222-4222-8222-222222222222';
  const BROKEN = '33333333-3333-4333-8333-333333333333';
  const row = VIEW.rows[0] as CountyView['rows'][number];
  const viewWith = (report: object | undefined, files: object[]): CountyView =>
    ({
      ...VIEW,
      rows: [{ ...row, ...(report && { report, standing: 'returned' }), files }],
    }) as unknown as CountyView;
  const fileRow = (body: string, fileId: string) =>
    body.match(new RegExp(`<li class="ev-file" data-evidence-id="${fileId}"[\\s\\S]*?</li>`))?.[0] ?? '';
  const files = [
    upload(BROKEN, '2026-03-03T02:00:00Z', 'INVALID'),
    upload(SECOND, '2026-03-02T02:00:00Z', 'VALID'),
    upload(FIRST, '2026-02-01T02:00:00Z', 'VALID'),
  ];

  it('after a return: the one filed, the newer one a filing again takes instead, and when each came', () => {
    const returned = { state: 'RETURNED', returnReason: '数据有误', file: { fileId: FIRST, fileName: '年度报告.pdf' } };
    const page = countyPage(
      pageContext('zh', 'annual-reports', {}, PEOPLE.dunhuaApplicant, PORTAL_SITE),
      viewWith(returned, files),
      '',
    );
    expect(fileRow(page.body, FIRST)).toContain('data-filing="fileFiled"');
    expect(fileRow(page.body, FIRST)).toContain('已随报告报送');
    expect(fileRow(page.body, SECOND)).toContain('重新报送时改用此文件');
    expect(fileRow(page.body, FIRST)).toContain('上传于 2026年2月1日');
    expect(fileRow(page.body, SECOND)).toContain('上传于 2026年3月2日');
    // A refused upload is no candidate, and says nothing of filing.
    expect(fileRow(page.body, BROKEN)).not.toContain('data-filing');
    expect(page.body).toContain('报送时采用最新一份校验通过的文件');
  });

  it('before any filing: the latest VALID one is taken, the older one is superseded (in English too)', () => {
    const page = countyPage(
      pageContext('en', 'annual-reports', { lang: 'en' }, PEOPLE.dunhuaApplicant, PORTAL_SITE),
      viewWith(undefined, files),
      '',
    );
    expect(fileRow(page.body, SECOND)).toContain('Filing takes this file');
    expect(fileRow(page.body, FIRST)).toContain('Superseded by a newer file: not filed');
    expect(fileRow(page.body, FIRST).replaceAll('年度报告.pdf', '')).not.toMatch(/[\u4e00-\u9fff]/u);
  });
});

/**
 * Removing a file the report does not carry: a 删除 form on each such file (no script: a POST
 * with a box to tick first), none on the filed one nor once the year is closed; refused, the page
 * again with why beside the file, the focus on it and the title saying so.
 */
describe("the county's removal of a report file", () => {
  const FIRST = '11111111-1111-4111-8111-111111111111';
  const SECOND = '22222222-2222-4222-8222-222222222222';
  const BROKEN = '33333333-3333-4333-8333-333333333333';
  const NOW = new Date('2026-03-05T00:00:00Z');
  const file = (fileId: string, status: 'VALID' | 'INVALID') => ({
    fileId,
    fileName: `年度报告-${fileId.slice(0, 1)}.pdf`,
    status,
    declaredSize: 2048,
    requestedAt: '2026-03-01T00:00:00Z',
    uploadExpiresAt: '2026-03-01T00:15:00Z',
    findings: [],
    ...(status === 'VALID' && { sha256: 'a'.repeat(64), validatedAt: '2026-03-01T00:01:00Z' }),
  });
  const row = VIEW.rows[0] as CountyView['rows'][number];
  const filed = { state: 'FILED', file: { fileId: FIRST, fileName: '年度报告-1.pdf' } };
  const view = (over: Partial<CountyView> = {}): CountyView =>
    ({
      ...VIEW,
      ...over,
      rows: [
        {
          ...row,
          report: filed,
          standing: 'filed',
          files: [file(BROKEN, 'INVALID'), file(SECOND, 'VALID'), file(FIRST, 'VALID')],
        },
      ],
    }) as unknown as CountyView;
  const fileRow = (body: string, fileId: string) =>
    body.match(
      new RegExp(
        `<li class="ev-file" data-evidence-id="${fileId}"[\\s\\S]*?</form>|<li class="ev-file" data-evidence-id="${fileId}"[\\s\\S]*?</li>`,
      ),
    )?.[0] ?? '';

  it('offers 删除 with a box to tick on each file no report carries, never on the filed one', () => {
    const page = countyPage(pageContext('zh', 'annual-reports', {}, PEOPLE.dunhuaApplicant, PORTAL_SITE), view(), '', {
      now: NOW,
    });
    for (const id of [SECOND, BROKEN]) {
      const form = fileRow(page.body, id);
      expect(form).toContain(
        `<form class="ar-remove" method="post" action="/portal/annual-reports/files/${id}/removal?year=2025">`,
      );
      expect(form).toMatch(/<input id="rm-[^"]+" type="checkbox" name="confirm" value="true" required>/);
      expect(form).toContain('确认删除此文件');
      expect(form).toContain('>删除</button>');
    }
    expect(fileRow(page.body, FIRST)).not.toContain('ar-remove');
    const english = countyPage(
      pageContext('en', 'annual-reports', { lang: 'en' }, PEOPLE.dunhuaApplicant, PORTAL_SITE),
      view(),
      '',
      { now: NOW },
    );
    expect(fileRow(english.body, SECOND)).toContain(
      'action="/portal/annual-reports/files/' + SECOND + '/removal?year=2025&amp;lang=en"',
    );
    expect(fileRow(english.body, SECOND)).toContain('>Remove</button>');
    expect(fileRow(english.body, SECOND)).toContain('Remove this file for good');
  });

  it('offers nothing once the year is closed or forwarded', () => {
    const ctx = pageContext('zh', 'annual-reports', {}, PEOPLE.dunhuaApplicant, PORTAL_SITE);
    expect(countyPage(ctx, view({ closed: true }), '', { now: NOW }).body).not.toContain('class="ar-remove"');
    expect(countyPage(ctx, view({ forwarded: true }), '', { now: NOW }).body).not.toContain('class="ar-remove"');
  });

  async function remove(desk: AnnualReportDesk, fileId: string, fields: Record<string, string>, lang?: 'en') {
    const handler = makeAnnualReportHandler({ desk, uploads: {}, clock: () => NOW });
    const query = { year: '2025', ...(lang && { lang }) };
    const path = `/portal/annual-reports/files/${fileId}/removal`;
    const event = {
      version: '2.0',
      routeKey: 'POST /portal/annual-reports/files/{fileId}/removal',
      rawPath: path,
      rawQueryString: new URLSearchParams(query).toString(),
      queryStringParameters: query,
      pathParameters: { fileId },
      headers: {
        host: 'clusters.example',
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
      },
      cookies: [`cp_session=${await issuer.token(PEOPLE.dunhuaApplicant)}`],
      isBase64Encoded: false,
      body: new URLSearchParams(fields).toString(),
      requestContext: { requestId: 'req-annual-remove', http: { method: 'POST', path } },
    } as unknown as APIGatewayProxyEventV2;
    return handler(event) as Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
  }
  const deskRemoving = (removeFile: (fileId: string) => Promise<unknown>) =>
    ({
      year: (asked?: number) => asked ?? 2025,
      countyView: async () => view(),
      removeFile: async (_principal: unknown, _year: number, fileId: string) => removeFile(fileId),
    }) as unknown as AnnualReportDesk;

  it('removes on a ticked box, then back to the page', async () => {
    const removed: string[] = [];
    const answer = await remove(
      deskRemoving(async (id) => removed.push(id)),
      SECOND,
      { confirm: 'true' },
    );
    expect(answer.statusCode).toBe(303);
    expect(answer.headers?.location).toBe('/portal/annual-reports?year=2025');
    expect(removed).toEqual([SECOND]);
  });

  it('refused without the ticked box: nothing removed, the page again with why beside the file', async () => {
    const removed: string[] = [];
    const answer = await remove(
      deskRemoving(async (id) => removed.push(id)),
      SECOND,
      {},
    );
    expect(answer.statusCode).toBe(400);
    expect(removed).toEqual([]);
    expect(answer.body).toContain('<title>有误：集群年度报告 · 2025 ·');
    expect(fileRow(answer.body, SECOND)).toMatch(
      /<section class="problem" id="errors" role="alert" tabindex="-1" autofocus><p><strong>未能删除：<\/strong> 年度报告-2\.pdf[\s\S]*须勾选确认后再删除/,
    );
  });

  it('refused for the filed file: 409, the reason in the page’s language beside it', async () => {
    const filedRefusal = async (): Promise<never> => {
      const refusal = removalRefusal(
        { fileId: FIRST, fileName: '年度报告-1.pdf', status: 'VALID', uploadExpiresAt: '' },
        filed as never,
        NOW,
      );
      throw refusal ?? new Error('the filed file is refused');
    };
    const answer = await remove(deskRemoving(filedRefusal), FIRST, { confirm: 'true' }, 'en');
    expect(answer.statusCode).toBe(409);
    expect(answer.body).toContain('<title>Error: ');
    const block = fileRow(answer.body, FIRST);
    expect(block).toContain('autofocus');
    expect(block).toContain('the report carries this file (filed, awaiting the province): it cannot be removed');
    expect(block).not.toMatch(/不能删除/u);
    // Nothing to press on the filed file: the refusal only.
    expect(block).not.toContain('<button');
  });
});

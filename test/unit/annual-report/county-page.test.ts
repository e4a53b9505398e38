import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnualReportDesk, CountyView } from '../../../shared/annual-report/desk.ts';
import { makeAnnualReportHandler } from '../../../shared/annual-report/handler.ts';
import { FilingBodySchema } from '../../../shared/annual-report/report.ts';
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
    // The summary at the top leads to the field.
    expect(answer.body).toMatch(/<section class="problem" id="errors" role="alert">[\s\S]*href="#f-littleGiants-/);
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

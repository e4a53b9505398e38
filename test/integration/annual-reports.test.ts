import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, postPresigned } from '../../local/client/index.ts';
import { samplePdf } from '../../local/sample-evidence.ts';
import { DynamoRegister } from '../../shared/adapters/dynamo-register.ts';
import { reviewKeys } from '../../shared/adapters/dynamo-reviews/items.ts';
import type { AnnualView } from '../../shared/annual-report/api-schemas.ts';
import { currentReportYear } from '../../shared/annual-report/cycle.ts';
import type { SweepSummary } from '../../shared/operations/sweep-summary.ts';
import { moveEntry } from '../../shared/register/changes.ts';
import type { RegisterView } from '../../shared/register/api-schemas.ts';
import { REMINDER_RULES } from '../../shared/rules/reminders.ts';
import { as, sentEmails, startTestStack, testClients, type TestStack } from './harness.ts';

/**
 * The annual-report cycle on the local stand-ins (DynamoDB Local, s3rver with the validator, the
 * local SES): 吉林省 imports its provincial list; 敦化市 files its cluster's report (figures and a
 * PDF checked by the validator); the province returns it, the county re-files, the province
 * accepts and forwards its set to MIIT with 延吉市's missing report listed; the sweeper, on a fake
 * clock before 30 April, reminds 延吉市 and the province exactly once each; a revoked cluster
 * owes nothing; MIIT sees who forwarded and what is missing.
 */
const DAY = 86_400_000;
let stack: TestStack;
let makeSweeper: (clock: () => Date) => { sweep(): Promise<SweepSummary> };
const year = currentReportYear(new Date(), REMINDER_RULES.annualReport);
const deadline = Date.parse(`${year + 1}-04-30T23:59:59+08:00`);
const FIGURES = {
  clusterOutput: 1_250_000,
  smeCount: 120,
  employment: 8600,
  rdSpending: 41_000,
  specialisedSmes: 12,
  littleGiants: 2,
  mainWork: '建设人参精深加工公共技术服务平台',
  problems: '融资渠道单一',
};
let county: ApiClient;
let province: ApiClient;
let entries: RegisterView['entries'];

const view = async (client: ApiClient, query = '') => {
  const reply = await client.raw('GET', `/v1/annual-reports?year=${year}${query}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.json as AnnualView;
};
const idOf = (name: string) => entries.find((e) => e.clusterName === name)?.entryId ?? '';

beforeAll(async () => {
  stack = await startTestStack({ schedules: { everyMs: 60 * 60_000 } });
  const { wireSweeper } = await import('../../shared/composition/operations.ts');
  makeSweeper = (clock) => wireSweeper({ clock }).sweeper;
  const jilin = await as(stack, 'operator', '220000');
  const csv =
    '序号,省份,集群名称,主导产业\n1,吉林省,敦化市人参产业集群,医药\n2,吉林省,延吉市食品产业集群,食品\n3,吉林省,敦化市林下经济产业集群,农业\n';
  const imported = await jilin.raw('POST', '/v1/register/imports', {
    level: 'provincial',
    cohort: year,
    validFrom: `${year}-01-10`,
    fileName: '吉林省特色产业集群名单.csv',
    content: Buffer.from(csv).toString('base64'),
  });
  expect(imported.json).toMatchObject({ created: 3 });
  entries = ((await jilin.raw('GET', '/v1/register?level=provincial')).json as RegisterView).entries;
  // The county's officials are reached through the directory, as reviewers are.
  const clients = testClients();
  for (const code of ['222403', '222401']) {
    await clients.doc.send(
      new PutCommand({
        TableName: process.env.TABLE_NAME,
        Item: { ...reviewKeys.reviewers(code), jurisdictionCode: code, emails: [`county+${code}@clusters.localhost`] },
      }),
    );
  }
  county = await as(stack, 'applicant', '222403');
  province = await as(stack, 'reviewer', '220000');
});

afterAll(async () => {
  await stack?.cleanup();
});

describe('the annual-report cycle', () => {
  it('a revoked cluster owes nothing: only standing entries are due', async () => {
    const before = await view(county);
    expect(before.scope === 'county' && before.rows.map((r) => r.entry.clusterName).sort()).toEqual([
      '敦化市人参产业集群',
      '敦化市林下经济产业集群',
    ]);
    const clients = testClients();
    await moveEntry(new DynamoRegister(clients.doc, process.env.TABLE_NAME ?? ''), idOf('敦化市林下经济产业集群'), {
      to: 'revoked',
      by: 'operator:220000',
      reason: '虚假材料，经查实',
      at: new Date().toISOString(),
    });
    const after = await view(county);
    expect(after.scope === 'county' && after.rows.map((r) => r.entry.clusterName)).toEqual(['敦化市人参产业集群']);
  });

  it('the county files; the province returns it; the county re-files; the province accepts and forwards once', async () => {
    const entryId = idOf('敦化市人参产业集群');
    // Filing before the file is uploaded and checked is refused, naming what is missing.
    const early = await county.raw('POST', `/v1/annual-reports/reports?year=${year}`, { entryId, figures: FIGURES });
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({ error: { code: 'FILE_MISSING' } });

    const bytes = await samplePdf('Annual report', [`Dunhua ginseng cluster, ${year}`]);
    const asked = await county.raw('POST', `/v1/annual-reports/files?year=${year}`, {
      entryId,
      fileName: '年度报告.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
    });
    expect(asked.status, asked.text).toBe(201);
    const file = asked.json as { objectKey: string; upload: { url: string; fields: Record<string, string> } };
    expect(file.objectKey).toMatch(new RegExp(`^evidence/annual-reports/220000/${year}/`));
    const validated = stack.whenValidated(file.objectKey);
    expect((await postPresigned(file.upload, { bytes })).ok).toBe(true);
    expect((await validated).ok).toBe(true);

    const filed = await county.raw('POST', `/v1/annual-reports/reports?year=${year}`, { entryId, figures: FIGURES });
    expect(filed.status, filed.text).toBe(200);
    expect(filed.json).toMatchObject({ state: 'FILED', round: 1 });

    // A report waiting for the province's decision holds the set back, by name.
    const blocked = await province.raw('POST', `/v1/annual-reports/forwarding?year=${year}`);
    expect(blocked.status).toBe(409);
    expect(blocked.json).toMatchObject({ error: { code: 'REPORTS_UNREVIEWED' } });
    expect(JSON.stringify(blocked.json)).toContain('敦化市人参产业集群');

    const returned = await province.raw('POST', `/v1/annual-reports/decisions?year=${year}`, {
      entryId,
      decision: 'return',
      reason: '研发投入数据缺少佐证',
    });
    expect(returned.json).toMatchObject({ state: 'RETURNED', returnReason: '研发投入数据缺少佐证' });
    const seen = await view(county);
    expect(seen.scope === 'county' && seen.rows[0]?.standing).toBe('returned');

    const refiled = await county.raw('POST', `/v1/annual-reports/reports?year=${year}`, {
      entryId,
      figures: { ...FIGURES, rdSpending: 42_500 },
    });
    expect(refiled.json).toMatchObject({ state: 'FILED', round: 2 });
    const accepted = await province.raw('POST', `/v1/annual-reports/decisions?year=${year}`, {
      entryId,
      decision: 'accept',
    });
    expect(accepted.json).toMatchObject({ state: 'ACCEPTED' });
    expect((accepted.json as { history: { action: string }[] }).history.map((h) => h.action)).toEqual([
      'filed',
      'returned',
      'filed',
      'accepted',
    ]);
  });

  it('the county removes a superseded upload (record and object), never the filed one, and only its own', async () => {
    const entryId = idOf('敦化市人参产业集群');
    const upload = async (name: string, text: string) => {
      const bytes = await samplePdf('Annual report', [`${text}, ${year}`]);
      const asked = await county.raw('POST', `/v1/annual-reports/files?year=${year}`, {
        entryId,
        fileName: name,
        contentType: 'application/pdf',
        size: bytes.length,
      });
      expect(asked.status, asked.text).toBe(201);
      const file = asked.json as {
        fileId: string;
        objectKey: string;
        upload: { url: string; fields: Record<string, string> };
      };
      const validated = stack.whenValidated(file.objectKey);
      expect((await postPresigned(file.upload, { bytes })).ok).toBe(true);
      expect((await validated).ok).toBe(true);
      return file;
    };
    const filesNow = async () => {
      const seen = await view(county);
      return seen.scope === 'county' ? (seen.rows[0]?.files ?? []).map((f) => f.fileId) : [];
    };
    const filedId = (await filesNow())[0] ?? '';
    // Uploaded twice more: the older of the two is superseded by the newer.
    const older = await upload('年度报告（错误版本）.pdf', 'Dunhua ginseng cluster, wrong version');
    const newer = await upload('年度报告（更正）.pdf', 'Dunhua ginseng cluster, corrected');
    expect(await filesNow()).toEqual([newer.fileId, older.fileId, filedId]);
    const clients = testClients();
    const head = (key: string) => clients.s3.send(new HeadObjectCommand({ Bucket: stack.bucketName, Key: key }));
    await head(older.objectKey);

    // Another county of the province may not remove it, whatever it knows of the id.
    const neighbour = await as(stack, 'applicant', '222401');
    const foreign = await neighbour.raw('DELETE', `/v1/annual-reports/files/${older.fileId}?year=${year}`);
    expect(foreign.status, foreign.text).toBe(403);

    const removed = await county.raw('DELETE', `/v1/annual-reports/files/${older.fileId}?year=${year}`);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.json).toMatchObject({ fileId: older.fileId, entryId, removed: true });
    expect(await filesNow()).toEqual([newer.fileId, filedId]);
    await expect(head(older.objectKey)).rejects.toThrow();
    await head(newer.objectKey);
    // Removing twice answers as once.
    const again = await county.raw('DELETE', `/v1/annual-reports/files/${older.fileId}?year=${year}`);
    expect(again.status, again.text).toBe(200);
    expect(again.json).toEqual(removed.json);
    const seen = await view(county);
    const history = seen.scope === 'county' ? (seen.rows[0]?.report?.history ?? []) : [];
    expect(history.filter((h) => h.action === 'fileRemoved')).toEqual([
      expect.objectContaining({
        by: expect.stringContaining('applicant'),
        file: { fileId: older.fileId, fileName: '年度报告（错误版本）.pdf' },
      }),
    ]);

    // The file the (accepted) report carries stays: 409 naming the field, and its object stays too.
    const filed = await county.raw('DELETE', `/v1/annual-reports/files/${filedId}?year=${year}`);
    expect(filed.status, filed.text).toBe(409);
    expect(filed.json).toMatchObject({
      error: { code: 'FILE_FILED', details: [{ field: 'fileId', code: 'FILE_FILED' }] },
    });
    expect(await filesNow()).toContain(filedId);
  });

  it('a filing and a removal of the same upload never both land (the conditional writes on DynamoDB)', async () => {
    const { DynamoAnnualReports } = await import('../../shared/adapters/dynamo-annual-reports.ts');
    const store = new DynamoAnnualReports(testClients().doc, process.env.TABLE_NAME ?? '');
    const entryId = idOf('敦化市人参产业集群');
    const yearNow = await store.provinceYear('220000', year);
    const report = yearNow.reports.find((r) => r.entryId === entryId);
    const spare = yearNow.files.find((f) => f.fileId !== report?.file.fileId);
    if (!report || !spare?.sha256) throw new Error('the test before leaves an accepted report and a spare upload');
    const removal = (expectedRevision: number) => ({
      file: spare,
      removedAt: new Date().toISOString(),
      removedBy: 'applicant:test',
      report: { next: { ...report, revision: expectedRevision + 1 }, expectedRevision },
    });
    // A removal read before a filing that took the file (the report moved on) writes nothing.
    expect(await store.removeFile(removal(report.revision - 1))).toBe(false);
    expect((await store.getFile('220000', year, spare.fileId))?.removedAt).toBeUndefined();
    // Once removed, no filing can carry it.
    expect(await store.removeFile(removal(report.revision))).toBe(true);
    const filing = {
      ...report,
      file: { fileId: spare.fileId, fileName: spare.fileName, sha256: spare.sha256, objectKey: spare.objectKey },
      revision: report.revision + 2,
    };
    expect(await store.saveReport(filing, report.revision + 1)).toBe(false);
    expect((await store.getReport('220000', year, entryId))?.file.fileId).toBe(report.file.fileId);
  });

  it('reminds the county still owing a report and the province, exactly once each, before the deadline', async () => {
    const sweepAt = (daysBefore: number) => makeSweeper(() => new Date(deadline - daysBefore * DAY));
    const mine = async () =>
      (await sentEmails(stack)).filter(
        (e) =>
          e.subject.includes(`${year}年度报告`) &&
          e.destination.to.some((to) => to.includes('222401') || to.includes('222403') || to.includes('220000')),
      );
    await sweepAt(10).sweep(); // 10 days before: the 30-day threshold is due
    const first = await mine();
    expect(first.map((e) => e.destination.to).sort()).toEqual([
      ['county+222401@clusters.localhost'],
      ['reviewers+220000@clusters.localhost'],
    ]);
    await Promise.all([sweepAt(9.5).sweep(), sweepAt(9.5).sweep(), sweepAt(9).sweep()]);
    expect(await mine()).toHaveLength(2);
    // 敦化市's report is accepted: it is never reminded.
    expect((await mine()).some((e) => e.destination.to.includes('county+222403@clusters.localhost'))).toBe(false);
  });

  it('forwards the set with the missing report listed; once; MIIT sees it; the summary table lists it', async () => {
    const forwarded = await province.raw('POST', `/v1/annual-reports/forwarding?year=${year}`);
    expect(forwarded.status, forwarded.text).toBe(201);
    expect(forwarded.json).toMatchObject({
      owed: 2,
      reports: [{ clusterName: '敦化市人参产业集群' }],
      missing: [{ clusterName: '延吉市食品产业集群', why: 'not-filed' }],
    });
    const again = await province.raw('POST', `/v1/annual-reports/forwarding?year=${year}`);
    expect(again.status).toBe(409);
    const late = await county.raw('POST', `/v1/annual-reports/reports?year=${year}`, {
      entryId: idOf('敦化市人参产业集群'),
      figures: FIGURES,
    });
    expect(late.json).toMatchObject({ error: { code: 'FORWARDED' } });

    const miit = await view(await as(stack, 'reviewer', '000000'));
    const jilin = miit.scope === 'miit' ? miit.provinces.find((p) => p.provinceCode === '220000') : undefined;
    expect(jilin).toMatchObject({ owed: 2, forwarding: { missing: [{ clusterName: '延吉市食品产业集群' }] } });

    const table = await province.raw('GET', `/console/annual-reports/summary.xlsx?year=${year}`);
    expect(table.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(table.bytes.buffer as ArrayBuffer);
    const cells = workbook.worksheets[0]?.getSheetValues().flat().map(String) ?? [];
    expect(cells).toContain('延吉市食品产业集群');
    expect(cells).toContain('未报送');
    expect(cells).toContain('已审核通过');

    // Forwarded: no more reminders to the province or its counties, at the last threshold either.
    const before = (await sentEmails(stack)).length;
    await makeSweeper(() => new Date(deadline - 0.5 * DAY)).sweep();
    const after = (await sentEmails(stack)).slice(before);
    expect(after.filter((e) => e.destination.to.some((to) => /222401|222403|220000/.test(to)))).toEqual([]);
  });
});

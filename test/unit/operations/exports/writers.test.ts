import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildSummaryTable } from '../../../../shared/operations/exports/exports.ts';
import { summaryScope } from '../../../../shared/operations/exports/scope.ts';
import type { SummaryTable } from '../../../../shared/operations/exports/table.ts';
import { BOM, csvField, defuse, quote, summaryCsv } from '../../../../shared/operations/exports/csv.ts';
import { columnLetter, FIRST_DATA_ROW, summaryXlsx } from '../../../../shared/operations/exports/xlsx.ts';
import { campaign, jilin } from './fixtures.ts';

function jilinTable(): SummaryTable {
  const j = jilin();
  return buildSummaryTable({
    campaign,
    track: 'recommendation',
    scope: summaryScope('220000', campaign),
    applications: j.applications,
    scored: j.reviews,
  });
}

async function open(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  expect(workbook.worksheets).toHaveLength(1);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no worksheet');
  return sheet;
}

const PERCENT_KEYS = ['smeOutputShare', 'leadingIndustryShare', 'averageGrowthRate'];

describe('summaryXlsx', () => {
  it('writes the title, both header rows and every row, cell by cell, in rank order', async () => {
    const table = jilinTable();
    const bytes = await summaryXlsx(table, { generatedAt: new Date('2025-07-01T00:00:00Z') });
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const sheet = await open(bytes);

    expect(sheet.name).toBe('推荐汇总表');
    expect(sheet.getCell('A1').value).toBe('2025年中小企业特色产业集群推荐汇总表（吉林省）');
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    const last = columnLetter(table.columns.length);
    expect(sheet.model.merges).toContain(`A1:${last}1`);

    table.columns.forEach((column, i) => {
      const zh = sheet.getRow(2).getCell(i + 1);
      const en = sheet.getRow(3).getCell(i + 1);
      expect(zh.value).toBe(column.zh);
      expect(en.value).toBe(column.en);
      for (const header of [zh, en]) {
        expect(header.font?.bold).toBe(true);
        expect(header.fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
        expect(header.border?.top?.style).toBe('thin');
      }
      expect(sheet.getColumn(i + 1).width).toBeGreaterThan(0);
      expect(sheet.getColumn(i + 1).width).toBe(column.width);
    });

    expect(sheet.rowCount).toBe(FIRST_DATA_ROW - 1 + table.rows.length);
    table.rows.forEach((row, r) => {
      table.columns.forEach((column, i) => {
        const cell = sheet.getRow(FIRST_DATA_ROW + r).getCell(i + 1);
        const expected = row[column.key];
        expect(cell.value ?? undefined, `${column.key} of row ${r + 1}`).toEqual(expected);
        expect(cell.border?.bottom?.style, `${column.key} of row ${r + 1}`).toBe('thin');
      });
    });

    // Rank order, as the province's experts scored.
    const rankColumn = table.columns.findIndex((c) => c.key === 'rank') + 1;
    const nameColumn = table.columns.findIndex((c) => c.key === 'clusterName') + 1;
    const ranks = table.rows.map((_, r) => sheet.getRow(FIRST_DATA_ROW + r).getCell(rankColumn).value);
    expect(ranks).toEqual([1, 2, 3, null]);
    expect(sheet.getRow(FIRST_DATA_ROW).getCell(nameColumn).value).toBe('敦化市医药产业集群');
  });

  it('freezes the header rows (and the first two columns), keeps numbers as numbers with formats', async () => {
    const table = jilinTable();
    const sheet = await open(await summaryXlsx(table));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3, xSplit: 2 });

    const at = (key: string) => sheet.getRow(FIRST_DATA_ROW).getCell(table.columns.findIndex((c) => c.key === key) + 1);
    expect(at('output2024').value).toBe(52.3);
    expect(at('output2024').numFmt).toBe('0.00');
    expect(at('smeOutputShare').value).toBe(0.74);
    for (const key of PERCENT_KEYS) expect(at(key).numFmt).toBe('0.0%');
    expect(at('enterpriseCount').numFmt).toBe('0');
    expect(at('submittedAt').value).toBe('2025-04-01T10:30:00+08:00');
  });

  it('stores text that looks like a formula as text, never as a formula', async () => {
    const table = jilinTable();
    const sheet = await open(await summaryXlsx(table));
    const row = sheet.getRow(FIRST_DATA_ROW + 3);
    const cell = row.getCell(table.columns.findIndex((c) => c.key === 'clusterName') + 1);
    expect(cell.value).toBe('=HYPERLINK("http://evil.example","点击")');
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.formula).toBeUndefined();
  });

  it('replaces characters XML cannot carry, so the workbook still opens', async () => {
    const table: SummaryTable = {
      title: '标题',
      sheetName: '表',
      fileBaseName: 'x',
      columns: [{ key: 'a', zh: '甲', en: 'A', width: 10, format: 'text' }],
      rows: [{ a: 'a\u0001b\u0008c\uD800d' }],
    };
    const sheet = await open(await summaryXlsx(table));
    expect(sheet.getCell(`A${FIRST_DATA_ROW}`).value).toBe('a\uFFFDb\uFFFDc\uFFFDd');
  });
});

/** A small RFC 4180 reader: enough to check that what was written reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('the last line has no CRLF');
  return rows;
}

describe('summaryCsv', () => {
  it('starts with a BOM, has both header rows and no title, ends every line with CRLF', () => {
    const table = jilinTable();
    const csv = summaryCsv(table);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).not.toContain(table.title);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual(table.columns.map((c) => c.zh));
    expect(rows[1]).toEqual(table.columns.map((c) => c.en));
    expect(rows).toHaveLength(2 + table.rows.length);
  });

  it('has the same rows as the XLSX, field by field', () => {
    const table = jilinTable();
    const rows = parseCsv(summaryCsv(table).slice(1)).slice(2);
    expect(rows.map((row) => row[1])).toEqual([
      '敦化市医药产业集群',
      '梅河口市医药产业集群',
      '大安市清洁能源装备产业集群',
      `'=HYPERLINK("http://evil.example","点击")`,
    ]);
    const at = (r: number, key: string) => rows[r]?.[table.columns.findIndex((c) => c.key === key)];
    expect(at(0, 'no')).toBe('1');
    expect(at(0, 'output2022')).toBe('41.2');
    expect(at(0, 'smeOutputShare')).toBe('74%');
    expect(at(0, 'averageGrowthRate')).toBe('12.7%');
    expect(at(0, 'score')).toBe('88.25');
    expect(at(0, 'rank')).toBe('1');
    expect(at(0, 'decision')).toBe('推荐');
    expect(at(0, 'reason')).toBe('');
    expect(at(0, 'submittedAt')).toBe('2025-04-01T10:30:00+08:00');
    // A negative number stays a number: the exporter wrote it, nobody typed it.
    expect(at(1, 'averageGrowthRate')).toBe('-5%');
    expect(at(1, 'county')).toBe('梅河口市、集安市');
    // Text someone typed is defused.
    expect(at(1, 'phone')).toBe("'+86 13812345678");
    expect(at(3, 'leadingIndustry')).toBe("'@SUM(A1)");
    expect(at(3, 'subSector')).toBe("'-2+3");
    // Quotes, commas and a newline survive quoting.
    expect(at(2, 'reason')).toBe('2024年产值39亿元, 低于40亿元的门槛；\n"主导产业"占比不足');

    table.rows.forEach((row, r) => {
      table.columns.forEach((column, i) => {
        expect(rows[r]?.[i], `${column.key} of row ${r + 1}`).toBe(csvField(column, row[column.key]));
      });
    });
  });

  it('quotes per RFC 4180 and defuses each formula lead', () => {
    expect(quote('plain')).toBe('plain');
    expect(quote('a,b')).toBe('"a,b"');
    expect(quote('say "hi"')).toBe('"say ""hi"""');
    expect(quote('two\r\nlines')).toBe('"two\r\nlines"');
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(defuse(`${lead}1+1`)).toBe(`'${lead}1+1`);
    expect(defuse('1+1')).toBe('1+1');
    expect(defuse('集群')).toBe('集群');
    const raw = summaryCsv({
      title: 't',
      sheetName: 's',
      fileBaseName: 'f',
      columns: [{ key: 'a', zh: '甲', en: 'A', width: 1, format: 'text' }],
      rows: [{ a: '=1+2,"x"' }],
    });
    expect(raw).toBe(`${BOM}甲\r\nA\r\n"'=1+2,""x"""\r\n`);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypes, documentLinking, inlinePicture, office, rel, rels } from '../../../fixtures/active-office.ts';
import { buildZip, xlsxEntries } from '../../../fixtures/files.ts';
import { codes, inspect } from '../helpers.ts';

/**
 * DOCX and XLSX written by LibreOffice (round 15) and by the libraries government systems export
 * with (round 16: Apache POI's XSSF, SXSSF and XWPF, openpyxl, XlsxWriter, python-docx, exceljs,
 * SheetJS and the `docx` npm package) from Chinese documents and workbooks (fields, notes,
 * pictures, charts, comments, tracked changes, form fields, formulas, pivot tables…), committed in
 * test/fixtures/genuine-office with how each was made: each one VALID, however it is chunked,
 * with exactly its web links and mailtos as warnings. A refusal here is a false refusal of
 * evidence officials upload.
 */

const FOLDER = join(import.meta.dirname, '../../../fixtures/genuine-office');
const FILES = readdirSync(FOLDER).filter((name) => /\.(docx|xlsx)$/.test(name));
/** How many web links (a web address, a mailto, a HYPERLINK formula) each file has: warnings. */
const LINKS: Record<string, number> = {
  'writer-text.docx': 2,
  'writer-text-ooxml-filter.docx': 2,
  'writer-text-roundtrip.docx': 2,
  'writer-fields-captions.docx': 3,
  'writer-header-picture-links.docx': 2,
  'calc-formulas.xlsx': 2,
  'calc-formulas-ooxml-filter.xlsx': 2,
  'calc-formulas-roundtrip.xlsx': 2,
  'calc-internal-links-hidden-sheet.xlsx': 1,
  'calc-shapes-picture-link-mailto.xlsx': 2,
  // Round 16: a HYPERLINK formula, a web link and a mailto in each workbook but SheetJS's (a web
  // link only); a link to a cell of the workbook, none; a web link in each document.
  'poi-xssf-workbook.xlsx': 3,
  'poi-sxssf-streamed.xlsx': 3,
  'poi-xwpf-document.docx': 1,
  'openpyxl-workbook.xlsx': 3,
  'xlsxwriter-chart-picture.xlsx': 3,
  'xlsxwriter-constant-memory.xlsx': 3,
  'python-docx-report.docx': 1,
  'exceljs-workbook.xlsx': 3,
  'exceljs-streamed.xlsx': 3,
  'sheetjs-workbook.xlsx': 1,
  'docx-npm-report.docx': 1,
};
/**
 * Refused, and rightly by the rules' choice: LibreOffice's own form controls, which it writes as
 * ActiveX (Word instantiates a control as the document opens), and an embedded spreadsheet
 * (an OLE object holding an `.xlsx`: every embedded package but a chart's data is refused).
 */
const REFUSED = new Map([
  ['writer-form-controls-activex.docx', ['OOXML_EMBEDDED_OBJECT']],
  ['writer-embedded-sheet-ole.docx', ['OOXML_EMBEDDED_OBJECT']],
]);

describe('genuine Office files from LibreOffice and the export libraries', () => {
  it('has every file described in the folder’s README', () => {
    const readme = readFileSync(join(FOLDER, 'README.md'), 'utf8');
    expect(FILES.length).toBeGreaterThanOrEqual(31);
    for (const name of FILES) expect(readme).toContain(`| ${name} |`);
  });

  it.each(FILES.filter((name) => !REFUSED.has(name)))('accepts %s, in 64 KiB and in 7-byte chunks', async (name) => {
    const bytes = readFileSync(join(FOLDER, name));
    const type = name.endsWith('.xlsx') ? 'xlsx' : 'docx';
    for (const chunk of [64 * 1024, 7]) {
      const result = await inspect(bytes, type, { chunk });
      expect(codes(result)).toEqual([]);
      expect(result.warnings.map((w) => w.code)).toEqual(Array(LINKS[name] ?? 0).fill('EXTERNAL_LINK'));
    }
  });

  it.each([...REFUSED])('refuses %s, an active object', async (name, expected) => {
    const result = await inspect(readFileSync(join(FOLDER, name)), 'docx');
    expect(codes(result)).toEqual(expected);
  });
});

/** The Defaults SheetJS writes into every workbook's content types: no part has either extension. */
const SHEETJS_DEFAULTS =
  '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>' +
  '<Default Extension="data" ContentType="application/vnd.openxmlformats-officedocument.model+data"/>';

/** A workbook with SHEETJS_DEFAULTS and `part` (if any) after [Content_Types].xml or before it. */
function withDefaults(part?: { name: string; data: string }, first = false): Promise<Buffer> {
  const entries = xlsxEntries().map((e) =>
    e.name === '[Content_Types].xml' ? { ...e, data: contentTypes('xlsx', SHEETJS_DEFAULTS) } : e,
  );
  if (!part) return buildZip(entries);
  return buildZip(first ? [part, ...entries] : [...entries, part]);
}

/** A workbook whose first sheet links A1 through an external hyperlink relationship to `target`. */
function sheetLinkingTo(target: string): Promise<Buffer> {
  const sheet =
    xlsxEntries()
      .find((e) => e.name === 'xl/worksheets/sheet1.xml')
      ?.data.toString() ?? '';
  return office('xlsx', {
    'xl/worksheets/sheet1.xml': sheet
      .replace(
        '<worksheet ',
        '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
      )
      .replace('</sheetData>', '</sheetData><hyperlinks><hyperlink ref="A1" r:id="rId9"/></hyperlinks>'),
    'xl/worksheets/_rels/sheet1.xml.rels': rels(rel('rId9', 'hyperlink', target, true)),
  });
}

describe('round 16: what the export libraries write, and what stays refused beside it', () => {
  it('takes a Default no part of the package has as typing nothing (SheetJS: .bin and .data)', async () => {
    const result = await inspect(await withDefaults(), 'xlsx');
    expect(codes(result)).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it.each([
    ['after the content types', 'xl/worksheets/sheet2.bin', false],
    ['before the content types', 'xl/worksheets/sheet2.bin', true],
    ['in capitals', 'xl/VBAPROJECT.BIN', false],
    ['under a printer settings name', 'xl/printerSettings/printerSettings1.bin', true],
  ])('refuses those Defaults once a part of theirs is there, %s', async (_, name, first) => {
    const result = await inspect(await withDefaults({ name, data: 'x' }, first), 'xlsx');
    expect(codes(result)).toContain('MACROS');
    expect(codes(result)).toContain('OOXML_UNREADABLE');
  });

  it('refuses a data model under a .data Default once its part is there', async () => {
    const result = await inspect(await withDefaults({ name: 'xl/model/item.data', data: 'x' }), 'xlsx');
    expect(codes(result)).toEqual(['OOXML_EXTERNAL']);
  });

  it.each(['#明细!A1', "#'明细'!A1", ' #汇总表!B2'])(
    'shows no warning for a hyperlink relationship to a place in the workbook, %s (openpyxl, exceljs)',
    async (target) => {
      const result = await inspect(await sheetLinkingTo(target), 'xlsx');
      expect(codes(result)).toEqual([]);
      expect(result.warnings).toEqual([]);
    },
  );

  it.each([
    '附件/说明.pdf',
    'https://www.gov.cn/#明细',
    '#[\\\\attacker.example\\s\\b.xlsx]Sheet1!A1',
    '#%5Bb.xlsx%5DSheet1!A1',
    "#cmd|'calc'!A0",
  ])('still warns of a hyperlink relationship to %s', async (target) => {
    const result = await inspect(await sheetLinkingTo(target), 'xlsx');
    expect(codes(result)).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(['EXTERNAL_LINK']);
  });

  it.each(['\\\\attacker.example\\s\\x.xlsx', 'file:///C:/x.xlsx'])(
    'still refuses a hyperlink relationship to %s',
    async (target) => {
      const result = await inspect(await sheetLinkingTo(target), 'xlsx');
      expect(codes(result)).toEqual(['OOXML_EXTERNAL']);
    },
  );

  it('still refuses a hyperlink relationship to a place in the file that a picture loads', async () => {
    const picture = `<w:p>${inlinePicture('r:embed="rId9"')}</w:p>`;
    const result = await inspect(await documentLinking(picture, [rel('rId9', 'hyperlink', '#_Toc1', true)]), 'docx');
    expect(codes(result)).toEqual(['OOXML_EXTERNAL']);
  });
});

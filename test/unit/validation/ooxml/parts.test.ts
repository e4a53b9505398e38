import { describe, expect, it } from 'vitest';
import { judgeContentTypes } from '../../../../shared/validation/ooxml/content-types.ts';
import { isDde } from '../../../../shared/validation/ooxml/formulas.ts';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { pageStart, partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { judgeRelationships } from '../../../../shared/validation/ooxml/relationships.ts';
import { TextStream } from '../../../../shared/validation/ooxml/text-stream.ts';
import {
  attributes,
  attributeValues,
  decodeEntities,
  partText,
  prologDeclares,
  WholePart,
} from '../../../../shared/validation/ooxml/xml.ts';
import { Report } from '../../../../shared/validation/report.ts';
import { docxWithHyperlink, REL, rel, rels } from '../../../fixtures/active-office.ts';
import { codes, inspect } from '../helpers.ts';

/** The part checks of Office and OFD documents (shared/validation/ooxml/, ofd/), one class at a time. */

const types = (type: string, part = '/x') =>
  `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="${part}" ContentType="${type}"/></Types>`;

describe('[Content_Types].xml', () => {
  it.each([
    ['application/vnd.ms-office.vbaProject', 'MACROS'],
    ['application/vnd.ms-word.vbaData+xml', 'MACROS'],
    ['application/vnd.ms-excel.sheet.macroEnabled.main+xml', 'MACROS'],
    ['application/vnd.ms-office.activeX+xml', 'OOXML_EMBEDDED_OBJECT'],
    ['application/vnd.openxmlformats-officedocument.oleObject', 'OOXML_EMBEDDED_OBJECT'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml', 'OOXML_EXTERNAL'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.queryTable+xml', 'OOXML_EXTERNAL'],
    ['application/vnd.ms-office.webextension+xml', 'OOXML_EXTERNAL'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml', undefined],
  ])('judges %s', (type, code) => {
    const report = new Report();
    judgeContentTypes(types(type), report);
    expect(report.findings.map((f) => f.code)).toEqual(code ? [code] : []);
  });

  it('refuses a content-types part that is not one', () => {
    const report = new Report();
    judgeContentTypes('<html/>', report);
    expect(report.findings.map((f) => f.code)).toEqual(['OOXML_UNREADABLE']);
  });
});

describe('relationships', () => {
  const judge = (...items: string[]) => {
    const report = new Report();
    judgeRelationships('word/_rels/document.xml.rels', rels(...items), report);
    return report;
  };

  it('warns of a hyperlink, once per target, and refuses other external targets of any type', () => {
    const report = judge(
      rel('a', 'hyperlink', 'https://a.example/', true),
      rel('b', 'hyperlink', 'https://a.example/', true),
      rel('c', 'frame', 'http://x', true),
    );
    expect(report.warnings.map((w) => w.detail)).toEqual([{ target: 'https://a.example/' }]);
    expect(report.findings.map((f) => f.code)).toEqual(['OOXML_EXTERNAL']);
    expect(report.findings[0]?.detail).toEqual({ kind: 'frame', target: 'http://x' });
  });

  it('refuses templates, OLE, ActiveX and macro relationships wherever they point', () => {
    expect(judge(rel('a', 'attachedTemplate', 'local.dotx')).findings[0]?.detail).toEqual({
      kind: 'template',
      target: 'local.dotx',
    });
    expect(judge(rel('a', 'oleObject', 'x', true)).findings[0]?.detail).toEqual({
      kind: 'linked OLE object',
      target: 'x',
    });
    expect(judge(rel('a', 'activeXControlBinary', 'x.bin')).findings[0]?.code).toBe('OOXML_EMBEDDED_OBJECT');
    expect(
      judge(rel('a', 'http://schemas.microsoft.com/office/2006/relationships/keyMapCustomizations', 'c.xml'))
        .findings[0]?.code,
    ).toBe('MACROS');
    expect(judge(rel('a', 'image', 'media/a.png'), rel('b', 'hyperlink', '#bookmark')).findings).toEqual([]);
  });

  it('keeps only a chart’s own .xlsx as an embedded package', () => {
    const chart = new Report();
    judgeRelationships('word/charts/_rels/chart1.xml.rels', rels(rel('a', 'package', '../embeddings/a.xlsx')), chart);
    expect(chart.findings).toEqual([]);
    const other = new Report();
    judgeRelationships('word/charts/_rels/chart1.xml.rels', rels(rel('a', 'package', '../embeddings/a.docm')), other);
    expect(other.findings.map((f) => f.code)).toEqual(['OOXML_EMBEDDED_OBJECT']);
  });

  it('refuses a relationship part that is not one', () => {
    const report = new Report();
    judgeRelationships('_rels/.rels', '<nothing/>', report);
    expect(report.findings.map((f) => f.code)).toEqual(['OOXML_UNREADABLE']);
  });
});

describe('XML text', () => {
  it('decodes entities, and parts in UTF-16 either way round or UTF-8 with a mark', () => {
    expect(decodeEntities('&#69;&#x78;&amp;&lt;&gt;&quot;&apos;&bogus;&#x110000;')).toBe('Ex&<>"\'&bogus;&#x110000;');
    const text = '<a>中</a>';
    expect(partText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]))).toBe(text);
    expect(partText(Buffer.from(text, 'utf16le').swap16())).toBe(text);
    expect(partText(Buffer.from(text, 'utf16le'))).toBe(text);
    expect(partText(Buffer.from(`\uFEFF${text}`))).toBe(text);
  });

  it('stops keeping a whole part past its cap', () => {
    const part = new WholePart(4);
    part.write(Buffer.from('abc'));
    part.write(Buffer.from('de'));
    part.write(Buffer.from('f'));
    expect(part.overflowed).toBe(true);
  });

  it('hands text on in whole tags, a too-long tail as it is, and what is left at the end', () => {
    const seen: string[] = [];
    const stream = new TextStream((t) => seen.push(t), [Buffer.from('x')]);
    stream.write(Buffer.from('<a>x</a'));
    stream.write(Buffer.from('><b'));
    stream.write(Buffer.from('>no</b>'));
    stream.write(Buffer.alloc(70 * 1024, 0x78));
    stream.end();
    // `</a><b>no` holds no wanted word: never turned into text.
    expect(seen).toEqual(['<a>x', `</b>${'x'.repeat(70 * 1024)}`]);
  });
});

describe('tags whose attribute values hold `>` or what looks like an attribute', () => {
  const fedText = (name: string, text: string) => findingsOf(name, text).map((f) => f.code);

  it('reads attributes one after another, values whole, an unprefixed one over a prefixed namesake', () => {
    const read = attributes(` x:Type="a" Target='b>c "d"' Type="e" x:Mode=" Type=&quot;f&quot;"`);
    expect([...read.entries()]).toEqual([
      ['Type', 'e'],
      ['Target', 'b>c "d"'],
      ['Mode', ' Type="f"'],
    ]);
    expect(attributeValues(` x:instr="PAGE" w:instr='DDE' y:a=' w:instr="z"'`, 'instr')).toEqual(['PAGE', 'DDE']);
  });

  it('finds a field or formula after an attribute holding `>`, and every instr of a simple field', () => {
    const ignorable = 'xmlns:x="urn:x" x:a=">"';
    expect(fedText('word/document.xml', `<w:instrText ${ignorable}> DDEAUTO c:\\x.exe "a" </w:instrText>`)).toEqual([
      'OOXML_DDE',
    ]);
    expect(fedText('word/document.xml', `<w:fldSimple ${ignorable} w:instr="DDE x"/>`)).toEqual(['OOXML_DDE']);
    expect(fedText('word/document.xml', `<w:fldSimple x:instr="PAGE" w:instr="DDE x"/>`)).toEqual(['OOXML_DDE']);
    expect(fedText('word/document.xml', `<w:fldSimple x:a=' w:instr="PAGE"' w:instr="LINK x"/>`)).toEqual([
      'OOXML_EXTERNAL',
    ]);
    expect(fedText('xl/worksheets/sheet1.xml', `<f ${ignorable}>cmd|' /c calc'!A0</f>`)).toEqual(['OOXML_DDE']);
  });

  it('refuses a relationship or content-types part whose tag never closes, reading it once', () => {
    // 40,000 unclosed tags: searched on from every start, this took half a minute.
    const rels = new Report();
    judgeRelationships('word/_rels/document.xml.rels', `<Relationships>${'<Relationship a="'.repeat(40_000)}`, rels);
    expect(rels.findings.map((f) => [f.code, f.detail])).toEqual([
      ['OOXML_UNREADABLE', { part: 'word/_rels/document.xml.rels <Relationship>' }],
    ]);
    const types = new Report();
    judgeContentTypes(`<Types>${'<Override PartName="/x" '.repeat(40_000)}`, types);
    expect(types.findings.map((f) => f.code)).toEqual(['OOXML_UNREADABLE']);
  });

  it('finds a relationship’s type after a target holding `>`, and is not misled by a prefixed type', () => {
    const report = new Report();
    judgeRelationships(
      'word/_rels/document.xml.rels',
      rels(
        `<Relationship Id="a" Target="http://x/a>b" Type="${REL}/attachedTemplate" TargetMode="External"/>`,
        `<Relationship xmlns:x="urn:x" Id="b" Type="${REL}/oleObject" x:Type="${REL}/image" Target="o.bin"/>`,
      ),
      report,
    );
    expect(report.findings.map((f) => f.code)).toEqual(['OOXML_EXTERNAL', 'OOXML_EMBEDDED_OBJECT']);
  });
});

describe('DDE formulas and fields', () => {
  it.each([
    ["cmd|' /c calc'!A0", true],
    ['&quot;a|b&quot;&amp;A1', false],
    ['&quot;a&#x7C;b&quot;', false],
    ['x&#x7c;y!A1', true],
    ['SUM(A1:A9)', false],
  ])('%s is DDE: %s', (formula, dde) => {
    expect(isDde(formula)).toBe(dde);
  });

  it('tries a tag that never closes once, however many mentions of `instr` follow it', () => {
    // Twenty items of 15,000 mentions each: tried at every mention, this took half a minute.
    const report = new Report();
    const check = partCheckFor('word/document.xml', new PackageInspection(report));
    check.write(Buffer.from(`<w:instrText x="${'nstr'.repeat(15_000)}`.repeat(20)));
    check.write(Buffer.from(`<w:fldSimple w:instr="DDE x"/>`));
    check.end();
    expect(report.findings.map((f) => f.code)).toEqual(['OOXML_DDE']);
  });

  it('reads a field split over parts of the output', () => {
    const report = new Report();
    const check = partCheckFor('word/footer1.xml', new PackageInspection(report));
    for (const piece of [
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instr',
      'Text> DDEA',
      'UTO x</w:instrText></w:r>',
    ]) {
      check.write(Buffer.from(piece));
    }
    check.end();
    expect(report.findings.map((f) => f.code)).toEqual(['OOXML_DDE']);
  });

  it('refuses a streamed part in UTF-16, and names executables by content and by name', () => {
    const report = new Report();
    partCheckFor('xl/worksheets/sheet2.xml', new PackageInspection(report)).write(Buffer.from('<\0x\0', 'latin1'));
    partCheckFor('Doc_0/Res/tool.exe', new PackageInspection(report));
    partCheckFor('Doc_0/Res/a.bin', new PackageInspection(report)).write(Buffer.from('\x7fELF....', 'latin1'));
    expect(report.findings.map((f) => f.code)).toEqual(['OOXML_UNREADABLE', 'EMBEDDED_EXECUTABLE']);
  });
});

describe('files Windows hands to a program that acts on them', () => {
  it.each([
    'Doc_0/Res/help.chm',
    'word/media/share.library-ms',
    'Doc_0/Res/q.IQY',
    'xl/addin.xll',
    'Doc_0/go.url',
    'a/b.settingcontent-ms',
  ])('refuses %s by its name', (name) => {
    const report = new Report();
    partCheckFor(name, new PackageInspection(report));
    expect(report.findings).toEqual([expect.objectContaining({ code: 'EMBEDDED_EXECUTABLE', detail: { name } })]);
  });

  it('accepts the names of pictures, fonts and parts that only end like one', () => {
    const report = new Report();
    for (const name of ['word/media/image1.png', 'Doc_0/Res/font.ttf', 'Doc_0/Res/curl.xml', 'word/media/chm.png']) {
      partCheckFor(name, new PackageInspection(report));
    }
    expect(report.findings).toEqual([]);
  });
});

describe('web pages under another name', () => {
  const bom = (text: string, order: 'utf16le' | 'utf16be') => {
    const utf16 = Buffer.from(text, 'utf16le');
    return order === 'utf16le'
      ? Buffer.concat([Buffer.from([0xff, 0xfe]), utf16])
      : Buffer.concat([Buffer.from([0xfe, 0xff]), utf16.swap16()]);
  };

  it.each([
    ['<!DOCTYPE html><script>', true],
    ['<!doctype HTML>', true],
    [' \t\r\n\f<HTML>', true],
    ['\ufeff<script src="x.js">', true],
    ['<iframe\nsrc=x>', true],
    ['<head>', true],
    ['<body onload="x()">', true],
    ['<p>说明', true],
    ['<br/>', true],
    ['<!-- a page -->', true],
    ['<?xml version="1.0"?><html>', false],
    ['<w:hdr xmlns:w="x">', false],
    ['<xml xmlns:v="urn:schemas-microsoft-com:vml">', false],
    ['<a:theme xmlns:a="x">', false],
    ['<htmlx>', false],
    ['<备注>', false],
    ['\x89PNG\r\n\x1a\n', false],
    ['\xff\xd8\xff\xe0', false],
    ['', false],
  ])('reads %j as a page: %s', (text, page) => {
    expect(pageStart(Buffer.from(text, text.startsWith('\ufeff') ? 'utf8' : 'latin1'), true)).toBe(page);
  });

  it('reads a page behind a UTF-16 byte order mark, either way round', () => {
    expect(pageStart(bom('<html>', 'utf16le'), true)).toBe(true);
    expect(pageStart(bom('\n<script>', 'utf16be'), true)).toBe(true);
    expect(pageStart(bom('<HP LaserJet>', 'utf16le'), true)).toBe(false);
  });

  it('waits for more bytes while they could still make a page', () => {
    expect(pageStart(Buffer.from('<htm'), false)).toBeUndefined();
    expect(pageStart(Buffer.from('   '), false)).toBeUndefined();
    expect(pageStart(Buffer.from([0xef, 0xbb]), false)).toBeUndefined();
    expect(pageStart(Buffer.from('<w:document xmlns'), false)).toBe(false);
    expect(pageStart(Buffer.from('GIF89a'), false)).toBe(false);
  });

  it.each(['word/media/a.jpg', 'Doc_0/Res/image1.png', 'xl/printerSettings/printerSettings1.bin'])(
    'refuses %s holding a page, given a byte at a time after 300 spaces',
    (name) => {
      const report = new Report();
      const check = partCheckFor(name, new PackageInspection(report));
      for (const byte of Buffer.from(`${' '.repeat(300)}<script>alert(1)</script>`)) check.write(Buffer.from([byte]));
      check.end();
      expect(report.findings).toEqual([expect.objectContaining({ code: 'EMBEDDED_EXECUTABLE', detail: { name } })]);
    },
  );

  it('leaves pages past the resource header a browser sniffs, XML parts and SVG pictures to their own checks', () => {
    const report = new Report();
    const late = partCheckFor('word/media/a.jpg', new PackageInspection(report));
    late.write(Buffer.from(`${' '.repeat(1445)}<html>`));
    late.end();
    for (const name of ['Doc_0/Res/page.xml', 'word/media/image2.svg']) {
      const check = partCheckFor(name, new PackageInspection(report));
      check.write(Buffer.from('<html><body/></html>'));
      check.end();
    }
    expect(report.findings).toEqual([]);
  });

  it.each([
    'word/media/page.htm',
    'Doc_0/Res/a.HTML',
    'x/y.xhtml',
    'word/afchunk.mht',
    'Doc_0/Attachs/b.mhtml',
    'c.shtml',
    'd.xht',
  ])('refuses %s by its name', (name) => {
    const report = new Report();
    partCheckFor(name, new PackageInspection(report));
    expect(report.findings).toEqual([expect.objectContaining({ code: 'EMBEDDED_EXECUTABLE', detail: { name } })]);
  });
});

describe('document type declarations', () => {
  it.each([
    ['<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x "DDE">]><w/>', 'doctype'],
    ['<?xml version="1.0"?>\n<!-- a <!DOCTYPE in a comment --><w/>', 'root'],
    ['<?xml version="1.0"?><!-- --><?pi <!DOCTYPE ?><w:document>', 'root'],
    ['<!ELEMENT w ANY><w/>', 'doctype'],
    // `<!-->` does not close the comment it opens: the DTD after it is still in the prolog.
    ['<!-->--><!DOCTYPE w><w/>', 'doctype'],
    ['<?xml version="1.0"?><!-- unclosed', 'unfinished'],
    ['<?xml version="1.0"?><!-', 'unfinished'],
    ['<?xml version="1.0"?>', 'unfinished'],
  ])('reads the prolog of %j as %s', (text, declares) => {
    expect(prologDeclares(text)).toBe(declares);
  });

  const fed = (name: string, pieces: string[] | Buffer[]) => {
    const report = new Report();
    const check = partCheckFor(name, new PackageInspection(report));
    for (const piece of pieces) check.write(Buffer.isBuffer(piece) ? piece : Buffer.from(piece, 'latin1'));
    check.end();
    return report.findings.map((f) => [f.code, f.detail]);
  };

  it('refuses a DTD in any XML part, streamed or not, whatever piece it is split across', () => {
    const doctype = [
      '<?xml version="1.0"?><!DOC',
      'TYPE worksheet [<!ENTITY f "cmd|x">]>',
      '<worksheet><f>&f;</f></worksheet>',
    ];
    const refused = (name: string) => [['OOXML_UNREADABLE', { part: `${name} <!DOCTYPE>` }]];
    expect(fed('xl/worksheets/sheet1.xml', doctype)).toEqual(refused('xl/worksheets/sheet1.xml'));
    expect(fed('word/styles.xml', doctype)).toEqual(refused('word/styles.xml'));
    expect(fed('Doc_0/Document.xml', doctype)).toEqual(refused('Doc_0/Document.xml'));
    expect(fed('word/_rels/document.xml.rels', [rels().replace('?>', '?><!DOCTYPE Relationships>')])).toEqual(
      refused('word/_rels/document.xml.rels'),
    );
    // An SVG picture too (round 17), but for the SVG DTD's own DOCTYPE (./svg.test.ts).
    expect(fed('word/media/image1.svg', doctype)).toEqual(refused('word/media/image1.svg'));
  });

  it('refuses a prolog padded past 64 KiB, and leaves a part whose root came in time', () => {
    const padding = `<!--${'x'.repeat(70 * 1024)}-->`;
    expect(fed('xl/worksheets/sheet1.xml', ['<?xml version="1.0"?>', padding, '<worksheet/>'])).toEqual([
      ['OOXML_UNREADABLE', { part: 'xl/worksheets/sheet1.xml (prolog)' }],
    ]);
    const shortPadding = `<!--${'x'.repeat(60 * 1024)}-->`;
    expect(fed('xl/worksheets/sheet1.xml', ['<?xml version="1.0"?>', shortPadding, '<worksheet/>'])).toEqual([]);
  });

  it('judges the decoded prolog of a UTF-16 relationships part', () => {
    const text = rels(rel('rId1', 'styles', 'styles.xml')).replace('?>', '?><!DOCTYPE Relationships>');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(fed('_rels/.rels', [utf16])).toEqual([['OOXML_UNREADABLE', { part: '_rels/.rels <!DOCTYPE>' }]]);
    const clean = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(rels(rel('rId1', 'styles', 'styles.xml')), 'utf16le'),
    ]);
    expect(fed('_rels/.rels', [clean])).toEqual([]);
  });
});

describe('warnings', () => {
  it('carries a hyperlink warning on a VALID file, and none on an INVALID one', async () => {
    const file = await docxWithHyperlink();
    const valid = await inspect(file, 'docx');
    expect(valid.valid).toBe(true);
    expect(valid.warnings.map((w) => [w.code, w.detail])).toEqual([
      ['EXTERNAL_LINK', { target: 'https://www.miit.gov.cn/' }],
    ]);
    expect(valid.warnings[0]?.message.zh).toContain('https://www.miit.gov.cn/');
    const invalid = await inspect(file, 'docx', { declaredSize: 1 });
    expect(codes(invalid)).toEqual(['SIZE_MISMATCH']);
    expect(invalid.warnings).toEqual([]);
  });

  it('keeps at most ten warnings', () => {
    const report = new Report();
    for (let i = 0; i < 20; i++) report.warn('EXTERNAL_LINK', { target: `https://a.example/${i}` });
    report.warn('EXTERNAL_LINK', { target: 'https://a.example/0' });
    expect(report.warnings).toHaveLength(10);
  });
});

describe('web publishing', () => {
  const read = findingsOf;
  const item = (destination: string) =>
    `<worksheet><sheetData/><webPublishItems count="1"><webPublishItem id="1" divId="d" sourceType="sheet" destinationFile="${destination}" autoRepublish="1"/></webPublishItems></worksheet>`;
  const object = (destination: string) =>
    `<workbook><webPublishObjects count="1"><x:webPublishObject id="1" divId="d" destinationFile="${destination}"/></webPublishObjects></workbook>`;

  it.each([
    '\\\\host\\share\\p.htm',
    'C:\\Users\\x\\p.htm',
    'file:///C:/p.htm',
    'http://host.example/dav/p.htm',
    '&#92;&#92;host\\p.htm',
  ])('refuses a sheet or workbook published to %s', (destination) => {
    const sheet = read('xl/worksheets/sheet1.xml', item(destination));
    expect(sheet.map((f) => f.code)).toEqual(['OOXML_EXTERNAL']);
    expect(sheet[0]?.detail?.kind).toBe('web publishing (webPublishItem)');
    expect(read('xl/workbook.xml', object(destination)).map((f) => f.code)).toEqual(['OOXML_EXTERNAL']);
  });

  it('passes a page published beside the workbook, and text that names a destination', () => {
    expect(read('xl/worksheets/sheet1.xml', item('集群/p.htm'))).toEqual([]);
    expect(
      read('xl/workbook.xml', '<workbook><definedName name="x">"destinationFile=\\\\h\\s"</definedName></workbook>'),
    ).toEqual([]);
  });
});

describe('link targets as a URL parser takes them', () => {
  const judge = (target: string) => {
    const report = new Report();
    judgeRelationships(
      'word/_rels/document.xml.rels',
      rels(`<Relationship Id="rId9" Type="${REL}/hyperlink" Target="${target}" TargetMode="External"/>`),
      report,
    );
    return report;
  };

  it.each([
    ['&#x1F;\\\\host\\s\\x.docx', '\\\\host\\s\\x.docx'],
    ['&#x01;&#xA0;ms-msdt:-id x', 'ms-msdt:-id x'],
    ['ms-ms&#x9;dt:-id x', 'ms-msdt:-id x'],
    ['fi&#xA;le&#xD;://host/s/x', 'file://host/s/x'],
    ['&#xFEFF;\\\\host\\s', '\\\\host\\s'],
  ])('refuses %s, read as %s', (target, read) => {
    const report = judge(target);
    expect(report.findings.map((f) => f.code)).toEqual(['OOXML_EXTERNAL']);
    expect(report.findings[0]?.detail?.target).toBe(read);
  });

  it('still warns of a web address written with spaces and a line break around it', () => {
    const report = judge('&#xA; https://www.miit.gov.cn/ &#x1F;');
    expect(report.findings).toEqual([]);
    expect(report.warnings.map((w) => w.detail?.target)).toEqual(['https://www.miit.gov.cn/']);
  });
});

describe('Word charts (round 14)', () => {
  const CHART_TYPE = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';
  const chart = (formula: string) =>
    `<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:plotArea><c:barChart><c:ser><c:val><c:numRef><c:f>${formula}</c:f><c:numCache><c:ptCount val="1"/><c:pt idx="0"><c:v>4.3</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>`;
  const codesOf = (name: string, formula: string) => findingsOf(name, chart(formula)).map((f) => f.code);

  it('reads a series formula as Excel reads a sheet’s: another book in a share, DDE', () => {
    // Both were VALID: Word's charts were read for fields and pictures only.
    expect(codesOf('word/charts/chart1.xml', "'\\\\host\\s\\[b.xlsx]S'!$A$1:$A$3")).toEqual(['OOXML_EXTERNAL']);
    expect(codesOf('word/charts/chart2.xml', "cmd|' /c calc'!A0")).toEqual(['OOXML_DDE']);
  });

  it('accepts the series formulas Word writes, into the chart’s own data', () => {
    expect(codesOf('word/charts/chart1.xml', 'Sheet1!$B$2:$B$5')).toEqual([]);
    expect(codesOf('word/charts/chart1.xml', "'销售 数据'!$B$2:$B$5")).toEqual([]);
  });

  it('takes a chart’s type in Word’s folder only for a part under word/charts/, where formulas are read', () => {
    const judged = (part: string) => {
      const report = new Report();
      judgeContentTypes(types(CHART_TYPE, part), report);
      return report.findings.map((f) => f.code);
    };
    expect(judged('/word/charts/chart1.xml')).toEqual([]);
    expect(judged('/xl/charts/chart1.xml')).toEqual([]);
    expect(judged('/xl/drawings/chart9.xml')).toEqual([]);
    expect(judged('/word/media/chart1.xml')).toEqual(['OOXML_UNREADABLE']);
    // A chart's user shapes are a drawing, not a chart, and hold no series.
    const report = new Report();
    judgeContentTypes(
      types('application/vnd.openxmlformats-officedocument.drawingml.chartshapes+xml', '/word/drawings/drawing1.xml'),
      report,
    );
    expect(report.findings).toEqual([]);
  });
});

/** The findings of the part `name` fed `text` in one piece. */
function findingsOf(name: string, text: string) {
  const report = new Report();
  const check = partCheckFor(name, new PackageInspection(report));
  check.write(Buffer.from(text));
  check.end();
  return report.findings;
}

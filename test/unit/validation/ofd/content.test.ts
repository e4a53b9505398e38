import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OfdContentCheck } from '../../../../shared/validation/ofd/content.ts';
import { isOutside, isUncheckedPart } from '../../../../shared/validation/ofd/locations.ts';
import { Report } from '../../../../shared/validation/report.ts';

/** OFD parts (shared/validation/ofd/): actions, locations, encodings. */

const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';

function check(part: string | Buffer, pieces = 1) {
  const report = new Report();
  const c = new OfdContentCheck(report);
  const bytes = typeof part === 'string' ? Buffer.from(part) : part;
  const size = Math.ceil(bytes.length / pieces);
  for (let i = 0; i < bytes.length; i += size) c.write(bytes.subarray(i, i + size));
  c.end();
  return { findings: report.findings.map((f) => [f.code, f.detail]), warnings: report.warnings.map((w) => w.code) };
}

describe('OFD locations', () => {
  it.each([
    'http://attacker.example/x.png',
    'file://attacker.example/share/x',
    'FILE:///C:/x',
    'C:\\Windows\\Fonts\\x.ttf',
    '\\\\attacker.example\\share\\x',
    '//attacker.example/share/x',
    '  \\\\attacker.example\\x',
    '../../../../../x',
    'Res/../../../../../../x',
    '%5C%5Cattacker.example%5Cshare%5Cx',
    '%2e%2e/%2E%2E/../../../x',
    'file%3A//attacker.example/x',
    '/\\attacker.example\\share\\x',
    '\\/attacker.example/share/x',
    '%2F%5Cattacker.example%5Cshare%5Cx',
    // Read as a URL parser reads it: a tab inside a scheme, a control before a share.
    'ht\ttp://attacker.example/x.png',
    '\x01\\\\attacker.example\\share\\x',
    '%09\\\\attacker.example\\share\\x',
  ])('%j is outside the package', (loc) => expect(isOutside(loc)).toBe(true));

  it.each([
    'Doc_0/Res/image_1.png',
    '/Doc_0/Res/x.png',
    '../Res/x.png',
    '../../../../Res/x',
    'Res\\x.png',
    './x',
    'Res/%E5%9B%BE.png',
    '',
  ])('%s is inside', (loc) => expect(isOutside(loc)).toBe(false));
});

describe('OFD parts the checks would not read', () => {
  it.each([
    ['Doc_0/Document.xml', false],
    ['/Doc_0/Pages/Page_0/Content.XML', false],
    ['Doc_0/Document.dat', true],
    ['Doc_0/Document', true],
    ['/word/Content.xml', true],
    ['../XL/x.xml', true],
    ['[Content_Types].xml', true],
    ['word%2FDocument.xml', true],
    ['Doc_0%2FDocument%2Exml', false],
  ])('%s: %s', (loc, unchecked) => expect(isUncheckedPart(loc)).toBe(unchecked));

  it('judges the parts a document, page or annotation list names, not an attachment’s file', () => {
    const doc = (inside: string) => `<ofd:Document ${NS}>${inside}</ofd:Document>`;
    expect(check(doc('<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.bin"/></ofd:Pages>')).findings).toEqual(
      [['OOXML_UNREADABLE', { part: 'Pages/Page_0/Content.bin (Page BaseLoc)' }]],
    );
    expect(check(doc('<ofd:Annotations>Annots/Annotations.txt</ofd:Annotations>')).findings).toHaveLength(1);
    const attachment = `<ofd:Attachments ${NS}><ofd:Attachment ID="1" Name="a.pdf"><ofd:FileLoc>a.pdf</ofd:FileLoc></ofd:Attachment></ofd:Attachments>`;
    expect(check(attachment).findings.map((f) => f[0])).toEqual(['OFD_ATTACHMENT']);
    expect(check(doc('<ofd:Res BaseLoc="Res"/><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>')).findings).toEqual([]);
  });
});

describe('OFD parts', () => {
  it('refuses a location outside the package in an element, an attribute, CDATA or entities', () => {
    const res = (inside: string, base = 'Res') =>
      `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${NS} BaseLoc="${base}">${inside}</ofd:Res>`;
    expect(
      check(
        res('<ofd:Fonts><ofd:Font ID="2"><ofd:FontFile>http://a.example/f.ttf</ofd:FontFile></ofd:Font></ofd:Fonts>'),
      ).findings,
    ).toEqual([['OFD_ACTION', { feature: 'FontFile: http://a.example/f.ttf' }]]);
    expect(check(res('', '\\\\a.example\\s')).findings).toEqual([
      ['OFD_ACTION', { feature: 'BaseLoc: \\\\a.example\\s' }],
    ]);
    expect(check(res('<ofd:MediaFile> <![CDATA[//a.example/s/v.mp4]]></ofd:MediaFile>')).findings).toEqual([
      ['OFD_ACTION', { feature: 'MediaFile: //a.example/s/v.mp4' }],
    ]);
    expect(check(res('<ofd:MediaFile>&#92;&#92;a.example&#92;s</ofd:MediaFile>')).findings).toHaveLength(1);
    expect(check(res('<ofd:MediaFile>Res/v.mp4</ofd:MediaFile><ofd:Font FontName="http://x"/>')).findings).toEqual([]);
  });

  it('finds a location split across the pieces of a part', () => {
    const part = `<?xml version="1.0"?><ofd:Document ${NS}>${' '.repeat(5000)}<ofd:CustomTags>\\\\a.example\\s\\t.xml</ofd:CustomTags></ofd:Document>`;
    for (const pieces of [1, 3, 50, part.length]) expect(check(part, pieces).findings).toHaveLength(1);
  });

  it('takes a URI on CLICK for a link, and on any other event or none for an action', () => {
    const action = (attrs: string) =>
      `<ofd:Actions><ofd:Action${attrs}><ofd:URI URI="https://www.miit.gov.cn/"/></ofd:Action></ofd:Actions>`;
    expect(check(action(' Event="CLICK"'))).toEqual({ findings: [], warnings: ['EXTERNAL_LINK'] });
    expect(check(action('')).findings).toEqual([['OFD_ACTION', { feature: 'URI (no event)' }]]);
    expect(check(action(' Event="PO"')).findings).toEqual([['OFD_ACTION', { feature: 'URI (PO)' }]]);
  });

  it('refuses parts whose encoding hides their tags from the byte search', () => {
    const doc = `<ofd:Document ${NS}/>`;
    expect(check(`<?xml version="1.0" encoding="UTF-7"?>${doc}`).findings[0]?.[0]).toBe('OOXML_UNREADABLE');
    expect(check(Buffer.from(`\0\0\0<\0\0\0?`, 'latin1')).findings[0]?.[0]).toBe('OOXML_UNREADABLE');
    expect(check(Buffer.from([0x4c, 0x6f, 0xa7, 0x94])).findings[0]?.[0]).toBe('OOXML_UNREADABLE'); // EBCDIC `<?xm`
    for (const encoding of ['UTF-8', 'gb18030', 'GBK', 'GB2312'])
      expect(check(`<?xml version="1.0" encoding="${encoding}"?>${doc}`).findings).toEqual([]);
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(check(Buffer.concat([bom, Buffer.from(`<?xml version="1.0"?>${doc}`)])).findings).toEqual([]);
  });
});

describe('OFD parts, round 6', () => {
  const doc = (inside: string, prefix = 'ofd') =>
    `<?xml version="1.0" encoding="UTF-8"?><${prefix}:Document xmlns:${prefix}="http://www.ofdspec.org/2016">${inside.replaceAll('<ofd:', `<${prefix}:`).replaceAll('</ofd:', `</${prefix}:`)}</${prefix}:Document>`;
  const action = (event: string, inside: string) =>
    `<ofd:Actions><ofd:Action ${event}>${inside}</ofd:Action></ofd:Actions>`;
  const codes = (part: string | Buffer, pieces = 1) => check(part, pieces).findings.map((f) => f[0]);

  it('finds names under any prefix, Chinese or accented, or none', () => {
    const opening = action('Event="DO"', '<ofd:URI URI="http://a.example/"/>');
    for (const prefix of ['文', 'é', 'x.y-z']) expect(codes(doc(opening, prefix)), prefix).toEqual(['OFD_ACTION']);
    expect(codes(`<Document xmlns="http://www.ofdspec.org/2016">${opening.replaceAll('ofd:', '')}</Document>`)).toEqual(
      ['OFD_ACTION'],
    );
    expect(codes(`<文:Res xmlns:文="http://www.ofdspec.org/2016" 文:BaseLoc="\\\\a.example\\s"/>`)).toEqual([
      'OFD_ACTION',
    ]);
    expect(check(`<é:Attachment Name="附件.pdf"/>`).findings).toEqual([['OFD_ATTACHMENT', { name: '附件.pdf' }]]);
  });

  it('refuses a link into a file share or a local path even on a click, by its URI or its Base', () => {
    const click = (uri: string) => check(doc(action('Event="CLICK"', uri)));
    for (const uri of [
      '<ofd:URI URI="\\\\a.example\\s\\x.exe"/>',
      '<ofd:URI URI=" file:///C:/x.exe"/>',
      '<ofd:URI URI="C:\\x.exe"/>',
      '<ofd:URI URI="//a.example/s/x"/>',
      '<ofd:URI URI="x.exe" Base="\\\\a.example\\s\\"/>',
      '<ofd:URI URI="&#92;&#92;a.example&#92;s"/>',
      '<ofd:URI URI="smb://a.example/s/x.exe"/>',
      // Handed to a program by its scheme, which acts on the link itself.
      '<ofd:URI URI="ms-msdt:/id PCWDiagnostic /skip force"/>',
      '<ofd:URI URI="search-ms:query=x&amp;crumb=location:\\\\a.example\\s"/>',
      // As a URL parser reads them: a tab or a line break inside a scheme, a control before a share.
      '<ofd:URI URI="ms-ms&#9;dt:/id PCWDiagnostic"/>',
      '<ofd:URI URI="&#x1f;\\\\a.example\\s\\x.exe"/>',
      '<ofd:URI URI="x.exe" Base="fi&#10;le://a.example/s/"/>',
    ]) {
      expect(
        click(uri).findings.map((f) => f[0]),
        uri,
      ).toEqual(['OFD_ACTION']);
    }
    expect(click('<ofd:URI URI="https://www.miit.gov.cn/" Base="https://www.miit.gov.cn/"/>')).toEqual({
      findings: [],
      warnings: ['EXTERNAL_LINK'],
    });
    expect(click('<ofd:URI URI="https://exa&#9;mple.cn/x"/>')).toEqual({ findings: [], warnings: ['EXTERNAL_LINK'] });
  });

  it('takes an Action for a click only if every Event it has says CLICK', () => {
    const uri = '<ofd:URI URI="https://www.miit.gov.cn/"/>';
    expect(check(doc(action('Event=" CLICK "', uri))).warnings).toEqual(['EXTERNAL_LINK']);
    for (const events of ['Event="CLICK" ofd:Event="DO"', 'x:Event="PO" Event="CLICK"', 'Event="click"']) {
      expect(codes(doc(action(events, uri))), events).toEqual(['OFD_ACTION']);
    }
  });

  it('refuses a tag that reaches the checks in pieces, not a long text', () => {
    const pad = 'x'.repeat(100 * 1024);
    const longUri = doc(action('Event="DO"', `<ofd:URI Note="${pad}" URI="http://a.example/"/>`));
    expect(codes(longUri, 4)).toContain('OOXML_UNREADABLE');
    const longText = doc(`<ofd:CustomTags>${' '.repeat(100 * 1024)}\\\\a.example\\t.xml</ofd:CustomTags>`);
    expect(codes(longText, 4)).toContain('OOXML_UNREADABLE');
    const path = `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1"><ofd:PathObject ID="2" Boundary="0 0 1 1"><ofd:AbbreviatedData>${'M 1 1 L 2 2 '.repeat(20000)}</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>`;
    for (const pieces of [1, 4, 40]) expect(check(path, pieces).findings).toEqual([]);
  });

  it('judges a location as a reader joins it, around comments, CDATA and processing instructions', () => {
    const font = (location: string) =>
      `<ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="Res"><ofd:Font ID="2"><ofd:FontFile>${location}</ofd:FontFile></ofd:Font></ofd:Res>`;
    for (const location of [
      'ht<![CDATA[tp://a.example/f.ttf]]>',
      '../../<!-- -->../../../x',
      '/<?x?>/a.example/s/f.ttf',
      '<![CDATA[..]]>/../../../../../x',
      '<!-- a -->\\\\a.example\\s',
    ]) {
      expect(check(font(location)).findings, location).toHaveLength(1);
    }
    // Markup that does not end before the next `<` would hide the rest of the location.
    for (const location of ['../..<!-- < -->/../../../x', '..<![CDATA[ <a> ]]>/../../../../x', '..<?x <y?>/../..']) {
      expect(check(font(location)).findings, location).toEqual([
        ['OOXML_UNREADABLE', { part: 'OFD FontFile split by markup' }],
      ]);
    }
    for (const location of ['Res/f.ttf', '<![CDATA[f.ttf]]>', ' <!-- 宋体 --> f.ttf ']) {
      expect(check(font(location)).findings, location).toEqual([]);
    }
    // Roots named as location elements are containers: their children's text is not theirs.
    const signatures = `<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><!-- 1 --><ofd:MaxSignId>1</ofd:MaxSignId><ofd:Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>`;
    expect(check(signatures).findings).toEqual([]);
  });

  it('refuses a location split by a child element, wherever the pieces of the part are cut', () => {
    const res = (inside: string) => `<ofd:Res xmlns:ofd="http://www.ofdspec.org/2016">${inside}</ofd:Res>`;
    const clean = '<ofd:MediaFile>Image_8.png</ofd:MediaFile><ofd:FontFile>../..</ofd:FontFile>'.repeat(2);
    const split = Buffer.from(res(`${clean}<ofd:FontFile>../..<x/>/../../../x</ofd:FontFile>${clean}`));
    const genuine = Buffer.from(res(`${clean}<ofd:FontFile> <!-- c --> f.ttf</ofd:FontFile>${clean}`));
    const findings = (part: Buffer, cut: number) => {
      const report = new Report();
      const c = new OfdContentCheck(report);
      c.write(part.subarray(0, cut));
      c.write(part.subarray(cut));
      c.end();
      return report.findings.map((f) => [f.code, f.detail]);
    };
    for (let cut = 1; cut < split.length; cut++) {
      expect(findings(split, cut), `cut at ${cut}`).toEqual([
        ['OOXML_UNREADABLE', { part: 'OFD FontFile split by an element' }],
      ]);
    }
    for (let cut = 1; cut < genuine.length; cut++) expect(findings(genuine, cut), `cut at ${cut}`).toEqual([]);
    // A part's root named as a location element holds elements: a container.
    expect(
      check(`<ofd:Annotations xmlns:ofd="http://www.ofdspec.org/2016">\n <ofd:Page PageID="1"/></ofd:Annotations>`)
        .findings,
    ).toEqual([]);
    expect(check(res('<ofd:DocRoot>Doc_0/<b/>Document.xml</ofd:DocRoot>')).findings).toHaveLength(1);
    // Only as the part's root: in Document.xml, an Attachments location with an element first is split.
    const annotations = Buffer.from(
      `\ufeff<?xml version="1.0"?><!-- 注释 --><ofd:Annotations xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Page PageID="1"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>`,
    );
    for (let cut = 1; cut < annotations.length; cut++) expect(findings(annotations, cut), `cut at ${cut}`).toEqual([]);
    const document = Buffer.from(
      `<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Attachments><b/>\\\\a.example\\s\\Attachments.xml</ofd:Attachments></ofd:Document>`,
    );
    for (let cut = 1; cut < document.length; cut++) {
      expect(findings(document, cut), `cut at ${cut}`).toEqual([
        ['OOXML_UNREADABLE', { part: 'OFD Attachments split by an element' }],
      ]);
    }
  });

  it('finds what follows a location by the place the text stream gives, in any pieces and after long items', () => {
    const res = (inside: string) => `<ofd:Res xmlns:ofd="http://www.ofdspec.org/2016">${inside}</ofd:Res>`;
    const clean = '<ofd:MediaFile>Image_8.png</ofd:MediaFile><ofd:FontFile>../..</ofd:FontFile>';
    const split = Buffer.from(res(`${clean}<ofd:FontFile>../..<x/>/../../../x</ofd:FontFile>${clean}`));
    const genuine = Buffer.from(res(`${clean}<ofd:FontFile> <!-- c --> f.ttf</ofd:FontFile>${clean}`));
    const root = Buffer.from(
      `<?xml version="1.0"?><!-- 注释 --><ofd:Annotations xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Page PageID="1"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>`,
    );
    const inPieces = (part: Buffer, cuts: readonly number[]) => {
      const report = new Report();
      const c = new OfdContentCheck(report);
      const points = [...new Set(cuts)].filter((p) => p > 0 && p < part.length).sort((a, b) => a - b);
      [0, ...points].forEach((from, i) => c.write(part.subarray(from, points[i] ?? part.length)));
      c.end();
      return report.findings.map((f) => f.code);
    };
    const oneByte = (part: Buffer) => Array.from({ length: part.length }, (_, i) => i);
    expect(inPieces(split, oneByte(split))).toEqual(['OOXML_UNREADABLE']);
    expect(inPieces(genuine, oneByte(genuine))).toEqual([]);
    expect(inPieces(root, oneByte(root))).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 400 }), { maxLength: 8 }), (cuts) => {
        expect(inPieces(split, cuts)).toEqual(['OOXML_UNREADABLE']);
        expect(inPieces(genuine, cuts)).toEqual([]);
        expect(inPieces(root, cuts)).toEqual([]);
      }),
      { numRuns: 300 },
    );
    // After path data longer than the stream carries (handed on in pieces), places still hold.
    const path = `<ofd:PathObject ID="2"><ofd:AbbreviatedData>${'M 1 1 L 2 2 '.repeat(20000)}</ofd:AbbreviatedData></ofd:PathObject>`;
    const after = (part: string) => Buffer.from(res(`${path}${part}`));
    for (const size of [1000, 4096, 65536, 100_000]) {
      const cuts = (part: Buffer) => Array.from({ length: Math.ceil(part.length / size) }, (_, i) => i * size);
      const longSplit = after('<ofd:FontFile>../..<x/>/../../../x</ofd:FontFile>');
      expect(inPieces(longSplit, cuts(longSplit)), `${size}`).toEqual(['OOXML_UNREADABLE']);
      const longGenuine = after('<ofd:FontFile> <!-- c --> f.ttf</ofd:FontFile>');
      expect(inPieces(longGenuine, cuts(longGenuine)), `${size}`).toEqual([]);
    }
  });

  it('refuses a schema location hint in a file share or a local path, not one on the web', () => {
    const hint = (attribute: string) =>
      `<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ${attribute}/>`;
    expect(check(hint('xsi:schemaLocation="http://www.ofdspec.org/2016 \\\\a.example\\s\\ofd.xsd"')).findings).toEqual([
      ['OFD_ACTION', { feature: 'schema location: \\\\a.example\\s\\ofd.xsd' }],
    ]);
    expect(codes(hint("x:noNamespaceSchemaLocation='file:///C:/ofd.xsd'"))).toEqual(['OFD_ACTION']);
    expect(codes(hint('xsi:schemaLocation="http://www.ofdspec.org/2016 http://www.ofdspec.org/2016/OFD.xsd"'))).toEqual(
      [],
    );
  });

  it('reads extension data, version files and their FileList as locations', () => {
    expect(
      check(doc('<ofd:Extension><ofd:ExtendData>http://a.example/d.xml</ofd:ExtendData></ofd:Extension>')).findings,
    ).toEqual([['OFD_ACTION', { feature: 'ExtendData: http://a.example/d.xml' }]]);
    const version = (file: string) =>
      `<ofd:DocVersion xmlns:ofd="http://www.ofdspec.org/2016"><ofd:FileList><ofd:File ID="1">${file}</ofd:File></ofd:FileList></ofd:DocVersion>`;
    expect(codes(version('\\\\a.example\\Document.xml'))).toEqual(['OFD_ACTION']);
    expect(codes(version('Pages/Page_0/Content.xml'))).toEqual([]);
    expect(
      check('<ofd:Versions><ofd:Version ID="1" BaseLoc="Doc_0/Versions/Version_0.dat"/></ofd:Versions>').findings,
    ).toEqual([['OOXML_UNREADABLE', { part: 'Doc_0/Versions/Version_0.dat (Version BaseLoc)' }]]);
  });
});

describe('OFD parts, round 8', () => {
  const NS_ATTR = 'xmlns:ofd="http://www.ofdspec.org/2016"';
  const codes = (part: string) => check(part).findings.map((f) => f[0]);

  it('reads a document’s cover and a colour space’s ICC profile as locations', () => {
    const cover = (loc: string) =>
      `<ofd:OFD ${NS_ATTR}><ofd:DocBody><ofd:DocInfo><ofd:Cover>${loc}</ofd:Cover></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`;
    expect(check(cover('\\\\a.example\\s\\c.png')).findings).toEqual([
      ['OFD_ACTION', { feature: 'Cover: \\\\a.example\\s\\c.png' }],
    ]);
    expect(codes(cover('Doc_0/Res/cover.png'))).toEqual([]);
    const profile = (loc: string) =>
      `<ofd:Res ${NS_ATTR} BaseLoc="Res"><ofd:ColorSpaces><ofd:ColorSpace ID="5" Type="RGB" Profile="${loc}"/></ofd:ColorSpaces></ofd:Res>`;
    expect(check(profile('http://a.example/p.icc')).findings).toEqual([
      ['OFD_ACTION', { feature: 'Profile: http://a.example/p.icc' }],
    ]);
    expect(codes(profile('/Doc_0/Res/sRGB.icc'))).toEqual([]);
  });

  it('judges every URI and Base of a link, prefixed ones too', () => {
    const click = (uri: string) =>
      check(
        `<ofd:Document ${NS_ATTR}><ofd:Actions><ofd:Action Event="CLICK">${uri}</ofd:Action></ofd:Actions></ofd:Document>`,
      );
    expect(click('<ofd:URI URI="https://www.miit.gov.cn/" ofd:URI="\\\\a.example\\s\\x.exe"/>').findings).toEqual([
      ['OFD_ACTION', { feature: 'URI to a file share, a local path or a program: \\\\a.example\\s\\x.exe' }],
    ]);
    expect(
      click('<ofd:URI URI="x.exe" Base="https://www.miit.gov.cn/" x:Base="file:///C:/"/>').findings.map((f) => f[0]),
    ).toEqual(['OFD_ACTION']);
    expect(click('<ofd:URI URI="https://www.miit.gov.cn/" ofd:URI="https://www.miit.gov.cn/a"/>')).toEqual({
      findings: [],
      warnings: ['EXTERNAL_LINK'],
    });
  });

  it('reads a resource’s location through its list’s BaseLoc', () => {
    const res = (base: string, inside: string) => `<ofd:Res ${NS_ATTR} BaseLoc="${base}">${inside}</ofd:Res>`;
    const font = (loc: string) =>
      `<ofd:Fonts><ofd:Font ID="2"><ofd:FontFile>${loc}</ofd:FontFile></ofd:Font></ofd:Fonts>`;
    expect(check(res('../../../..', font('../../../../W/f.ttf'))).findings).toEqual([
      ['OFD_ACTION', { feature: 'FontFile: ../../../../../../../../W/f.ttf' }],
    ]);
    expect(
      codes(res('../../../..', '<ofd:ColorSpaces><ofd:ColorSpace ID="5" Profile="../../x.icc"/></ofd:ColorSpaces>')),
    ).toEqual(['OFD_ACTION']);
    // Within the package: a page's resources climbing back to the document's, or from the root.
    expect(codes(res('.', font('../../../Res/f.ttf')))).toEqual([]);
    expect(codes(res('../../../..', font('/Doc_0/Res/f.ttf')))).toEqual([]);
    expect(codes(res('/', font('Doc_0/Res/f.ttf')))).toEqual([]);
    expect(codes(res('%2E%2E/%2E%2E/%2E%2E/%2E%2E', font('../../../../W/f.ttf')))).toEqual(['OFD_ACTION']);
    // The list's BaseLoc is its root's: a Res element further in is not read for one.
    expect(codes(res('Res', `<ofd:Res BaseLoc="../../../..">${font('../../../../W/f.ttf')}</ofd:Res>`))).toEqual([]);
    // A location outside by itself is still found, and shown as written.
    expect(check(res('Res', font('http://a.example/f.ttf'))).findings).toEqual([
      ['OFD_ACTION', { feature: 'FontFile: http://a.example/f.ttf' }],
    ]);
  });
});

describe('OFD parts, round 10', () => {
  const NS_ATTR = 'xmlns:ofd="http://www.ofdspec.org/2016"';
  const codes = (part: string | Buffer, pieces = 1) => check(part, pieces).findings.map((f) => f[0]);
  const media = (loc: string, encoding = 'UTF-8') =>
    `<?xml version="1.0" encoding="${encoding}"?><ofd:Res ${NS_ATTR} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="9"><ofd:MediaFile>${loc}</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>`;
  const click = (uri: string) =>
    `<ofd:Document ${NS_ATTR}><ofd:Actions><ofd:Action Event="CLICK"><ofd:URI URI="${uri}"/></ofd:Action></ofd:Actions></ofd:Document>`;

  it('reads a value’s bytes in the part’s encoding: a reader’s trim drops a no-break or ideographic space', () => {
    // Shown as a reader trims it (../../../../shared/validation/link-target.ts's shownTarget).
    expect(check(media('\u3000\\\\a.example\\s\\x.png')).findings).toEqual([
      ['OFD_ACTION', { feature: 'MediaFile: \\\\a.example\\s\\x.png' }],
    ]);
    expect(codes(media('\u00a0//a.example/s/x.png'))).toEqual(['OFD_ACTION']);
    expect(codes(click('\u3000\\\\a.example\\s\\x.exe'))).toEqual(['OFD_ACTION']);
    // GBK writes the ideographic space as A1 A1: the same bytes in UTF-8 are no space.
    const gbk = (encoding: string) => Buffer.from(media('\xa1\xa1\\\\a.example\\s\\x.png', encoding), 'latin1');
    expect(codes(gbk('GBK'))).toEqual(['OFD_ACTION']);
    expect(codes(gbk('GB18030'), 7)).toEqual(['OFD_ACTION']);
    expect(codes(gbk('UTF-8'))).toEqual([]);
    // U+0085 (NEL) is a space to Qt's and .NET's trim: in UTF-8, as an entity, or a latin1 byte.
    expect(codes(media('\u0085\\\\a.example\\s\\x.png'))).toEqual(['OFD_ACTION']);
    expect(codes(click('&#x85;\\\\a.example\\s\\x.exe'))).toEqual(['OFD_ACTION']);
    expect(codes(Buffer.from(media('\x85\\\\a.example\\s\\x.png', 'ISO-8859-1'), 'latin1'))).toEqual(['OFD_ACTION']);
    // Spaces elsewhere, and Chinese names, stay inside.
    expect(codes(media('Res/图片\u3000１.png'))).toEqual([]);
    expect(codes(media('字体/宋体.ttf'))).toEqual([]);
  });

  it('folds full-width forms as a best-fit conversion to a code page does', () => {
    expect(check(media('＼＼a.example＼s＼x.png')).findings).toEqual([
      ['OFD_ACTION', { feature: 'MediaFile: ＼＼a.example＼s＼x.png' }],
    ]);
    expect(codes(media('Ｃ：＼Windows＼x.png'))).toEqual(['OFD_ACTION']);
    expect(codes(media('．．／．．／．．／．．／．．／x.png'))).toEqual(['OFD_ACTION']);
    expect(codes(click('ｆｉｌｅ：／／a.example／s／x.exe'))).toEqual(['OFD_ACTION']);
    expect(codes(media('&#xff3c;&#xff3c;a.example&#xff3c;s'))).toEqual(['OFD_ACTION']);
    // A full-width colon or digit inside a name is no drive or scheme.
    expect(codes(media('图片：封面１.png'))).toEqual([]);
    expect(codes(media('Res/说明：附件.png'))).toEqual([]);
  });

  it('reads percent-escapes as UTF-8, then as the reader trims and folds', () => {
    expect(check(media('%E3%80%80%5C%5Ca.example%5Cs%5Cx.png')).findings).toEqual([
      ['OFD_ACTION', { feature: 'MediaFile: %E3%80%80%5C%5Ca.example%5Cs%5Cx.png' }],
    ]);
    expect(codes(media('%C2%A0\\\\a.example\\s\\x.png'))).toEqual(['OFD_ACTION']);
    expect(codes(media('%EF%BC%BC%EF%BC%BCa.example%EF%BC%BCs'))).toEqual(['OFD_ACTION']);
    expect(codes(click('%C2%85%5C%5Ca.example%5Cs%5Cx.exe'))).toEqual(['OFD_ACTION']);
    // Escaped Chinese names, a relative name with an escaped colon, a web link: as before.
    expect(codes(media('Res/%E5%9B%BE%20%EF%BC%91.png'))).toEqual([]);
    expect(check(click('report%3A2024.html'))).toEqual({ findings: [], warnings: ['EXTERNAL_LINK'] });
    expect(check(click('https://www.miit.gov.cn/%E9%80%9A%E7%9F%A5%EF%BC%9A1.html')).warnings).toEqual([
      'EXTERNAL_LINK',
    ]);
  });

  it('percent-decodes a relative URI into a share or a drive, not a web one or a relative name', () => {
    expect(codes(click('%5C%5Ca.example%5Cs%5Cx.exe'))).toEqual(['OFD_ACTION']);
    expect(codes(click('C%3A%5CWindows%5Cx.exe'))).toEqual(['OFD_ACTION']);
    expect(check(click('附件%20说明.html'))).toEqual({ findings: [], warnings: ['EXTERNAL_LINK'] });
    expect(check(click('https://www.miit.gov.cn/a%5C%5Cb'))).toEqual({ findings: [], warnings: ['EXTERNAL_LINK'] });
  });

  it('judges a URI written after its Base, as a reader that concatenates them follows it', () => {
    const link = (attrs: string) =>
      check(
        `<ofd:Document ${NS_ATTR}><ofd:Actions><ofd:Action Event="CLICK"><ofd:URI ${attrs}/></ofd:Action></ofd:Actions></ofd:Document>`,
      );
    expect(link('Base="/" URI="/a.example/s/x.exe"').findings).toEqual([
      ['OFD_ACTION', { feature: 'URI to a file share, a local path or a program: //a.example/s/x.exe' }],
    ]);
    expect(link('Base="\\" URI="\\a.example\\s\\x.exe"').findings.map((f) => f[0])).toEqual(['OFD_ACTION']);
    expect(link('ofd:Base="C" URI=":\\Windows\\x.exe"').findings.map((f) => f[0])).toEqual(['OFD_ACTION']);
    // Joined, a web base and a relative base stay a link.
    expect(link('Base="https://www.miit.gov.cn/" URI="/通知/a.html"')).toEqual({
      findings: [],
      warnings: ['EXTERNAL_LINK'],
    });
    expect(link('Base="资料/" URI="a.html"')).toEqual({ findings: [], warnings: ['EXTERNAL_LINK'] });
  });

  it('reads the package’s root part’s locations from the package’s root', () => {
    const root = (inside: string, prefix = 'ofd:') => {
      const ns = prefix ? `xmlns:${prefix.slice(0, -1)}` : 'xmlns';
      return `<?xml version="1.0" encoding="UTF-8"?>\n<${prefix}OFD ${ns}="http://www.ofdspec.org/2016" Version="1.1"><${prefix}DocBody>${inside.replaceAll('§', prefix)}</${prefix}DocBody></${prefix}OFD>`;
    };
    // Its root element's name is read across pieces, cut anywhere in it.
    const climbing = Buffer.from(root('<§DocRoot>../Doc_0/Document.xml</§DocRoot>'));
    const at = climbing.indexOf('<ofd:OFD');
    for (let cut = at - 1; cut <= at + 10; cut++) {
      const report = new Report();
      const c = new OfdContentCheck(report);
      c.write(climbing.subarray(0, cut));
      c.write(climbing.subarray(cut));
      c.end();
      expect(report.findings.map((f) => [f.code, f.detail])).toEqual([
        ['OFD_ACTION', { feature: 'DocRoot: ../Doc_0/Document.xml' }],
      ]);
    }
    expect(codes(root('<§DocRoot>Doc_0/../../Doc_0/Document.xml</§DocRoot>', ''))).toEqual(['OFD_ACTION']);
    expect(
      codes(root('<§DocInfo><§Cover>../c.png</§Cover></§DocInfo><§DocRoot>Doc_0/Document.xml</§DocRoot>')),
    ).toEqual(['OFD_ACTION']);
    expect(
      codes(
        root('<§DocRoot>Doc_0/Document.xml</§DocRoot><§Versions><§Version ID="1" BaseLoc="../v.xml"/></§Versions>'),
      ),
    ).toEqual(['OFD_ACTION']);
    // Inside: from the root, absolute, or climbing back within it.
    expect(codes(root('<§DocRoot>/Doc_0/Document.xml</§DocRoot>'))).toEqual([]);
    expect(codes(root('<§DocRoot>Doc_0/../Doc_0/Document.xml</§DocRoot>'))).toEqual([]);
    // Another part (a version's, below Doc_0) may climb back to the document's folder.
    const version = `<ofd:DocVersion ${NS_ATTR} ID="1"><ofd:FileList><ofd:File ID="1">../Document.xml</ofd:File></ofd:FileList><ofd:DocRoot>../Document.xml</ofd:DocRoot></ofd:DocVersion>`;
    expect(codes(version)).toEqual([]);
  });

  it('climbs by segments Windows reads as `..` (trailing dots and spaces dropped)', () => {
    expect(isOutside('.../.../.../.../.../x')).toBe(true);
    expect(isOutside('.. /.. /../... /.... /x')).toBe(true);
    expect(isOutside('Res/.../x.png')).toBe(false);
    expect(isOutside('Res/...png')).toBe(false);
    expect(isOutside('Res/a..b/x.png')).toBe(false);
  });
});

describe('OFD parts, round 12', () => {
  const NS_ATTR = 'xmlns:ofd="http://www.ofdspec.org/2016"';
  const codes = (part: string | Buffer) => check(part).findings.map((f) => f[0]);
  const media = (loc: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${NS_ATTR} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="9"><ofd:MediaFile>${loc}</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>`;
  const click = (uri: string) =>
    `<ofd:Document ${NS_ATTR}><ofd:Actions><ofd:Action Event="CLICK"><ofd:URI URI="${uri}"/></ofd:Action></ofd:Actions></ofd:Document>`;
  /** A resource list in GBK, its BaseLoc's bytes as written. */
  const gbkResources = (base: Buffer, font: string) =>
    Buffer.concat([
      Buffer.from(`<?xml version="1.0" encoding="GBK"?><ofd:Res ${NS_ATTR} BaseLoc="`),
      base,
      Buffer.from(
        `"><ofd:Fonts><ofd:Font ID="2"><ofd:FontFile>${font}</ofd:FontFile></ofd:Font></ofd:Fonts></ofd:Res>`,
      ),
    ]);

  it('folds a value as every format’s targets are folded: look-alike slashes, combining marks', () => {
    expect(codes(media('\u2044\u2044a.example\u2044s\u2044x.png'))).toEqual(['OFD_ACTION']);
    expect(codes(media('..\u2044..\u2044..\u2044..\u2044..\u2044x.png'))).toEqual(['OFD_ACTION']);
    expect(codes(click('\u2044\u2044a.example\u2044s\u2044x.exe'))).toEqual(['OFD_ACTION']);
    expect(codes(click('ms-m\u0300sdt:/id PCWDiagnostic'))).toEqual(['OFD_ACTION']);
    expect(codes(click('\ufb01le://a.example/s/x.exe'))).toEqual(['OFD_ACTION']);
    // A fraction slash inside a name stays a name.
    expect(codes(media('图片/1\u20442.png'))).toEqual([]);
  });

  it('drops zero-width and direction marks, as written or as entities', () => {
    expect(codes(media('\u200b\\\\a.example\\s\\x.png'))).toEqual(['OFD_ACTION']);
    expect(codes(click('\u200b\\\\a.example\\s\\x.exe'))).toEqual(['OFD_ACTION']);
    expect(codes(click('ms-ms\u200bdt:/id PCWDiagnostic'))).toEqual(['OFD_ACTION']);
    // Shown without the marks: a right-to-left override would reorder the message around it.
    expect(check(click('&#x202E;ms-msdt:/id PCWDiagnostic')).findings).toEqual([
      ['OFD_ACTION', { feature: 'URI to a file share, a local path or a program: ms-msdt:/id PCWDiagnostic' }],
    ]);
    expect(check(media('\u200b\\\\a.example\\s\\x.png')).findings).toEqual([
      ['OFD_ACTION', { feature: 'MediaFile: \\\\a.example\\s\\x.png' }],
    ]);
    expect(codes(click('ms-ms&#xFEFF;dt:x'))).toEqual(['OFD_ACTION']);
    // Chinese links and a mail address with a Chinese name stay links.
    expect(check(click('附件/说明.pdf'))).toEqual({ findings: [], warnings: ['EXTERNAL_LINK'] });
    expect(check(click('mailto:张三@miit.gov.cn'))).toEqual({ findings: [], warnings: ['EXTERNAL_LINK'] });
    expect(check(click('https://www.miit.gov.cn/附件/通知.pdf'))).toEqual({
      findings: [],
      warnings: ['EXTERNAL_LINK'],
    });
  });

  it('joins a resource list’s BaseLoc as decoded in the part’s encoding and folded', () => {
    // GBK's full-width `．．／` (A3 AE A3 AE A3 AF) four times: `../../../..` once decoded and folded.
    const climb = Buffer.from(`${'a3aea3aea3af'.repeat(3)}a3aea3ae`, 'hex');
    expect(check(gbkResources(climb, '../../../../W/f.ttf')).findings).toEqual([
      ['OFD_ACTION', { feature: 'FontFile: ../../../../../../../../W/f.ttf' }],
    ]);
    // A Chinese base (资料, D7 CA C1 CF) climbed back from stays inside.
    expect(codes(gbkResources(Buffer.from('d7cac1cf', 'hex'), '../字体/宋体.ttf'))).toEqual([]);
    expect(codes(gbkResources(climb, '字体/宋体.ttf'))).toEqual([]);
  });

  it('leaves a click link escaped twice a link: no reader we know decodes a URI twice', () => {
    expect(check(click('%255C%255Ca.example%255Cs%255Cx.exe'))).toEqual({ findings: [], warnings: ['EXTERNAL_LINK'] });
  });
});

describe('OFD parts, round 14', () => {
  const media = (loc: string) =>
    `<ofd:Res ${NS} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="9"><ofd:MediaFile>${loc}</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>`;
  const page = (loc: string) =>
    `<ofd:Document ${NS}><ofd:Pages><ofd:Page ID="1" BaseLoc="${loc}"/></ofd:Pages></ofd:Document>`;

  it('refuses a location escaped twice, though no reader decodes one even once', () => {
    expect(check(media('%255C%255Ca.example%255Cs%255Cx.png')).findings).toEqual([
      ['OFD_ACTION', { feature: 'MediaFile: %5C%5Ca.example%5Cs%5Cx.png' }],
    ]);
    expect(
      check(page('%252E%252E/%252E%252E/%252E%252E/%252E%252E/%252E%252E/x.xml')).findings.map((f) => f[0]),
    ).toEqual(['OFD_ACTION']);
    // A Chinese name escaped once, as a URI writer escapes it, stays a name.
    expect(check(media('%E5%9B%BE%E7%89%87/1.png')).findings).toEqual([]);
  });
});

describe('XInclude and xml:base (round 17)', () => {
  const page = (attrs: string, inside: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${NS}${attrs}><ofd:Content><ofd:Layer ID="3">${inside}</ofd:Layer></ofd:Content></ofd:Page>`;
  const text = (words: string) =>
    `<ofd:TextObject ID="4" Boundary="0 0 100 10" Font="2" Size="5"><ofd:TextCode X="0" Y="5">${words}</ofd:TextCode></ofd:TextObject>`;

  it.each([
    [
      'an XInclude namespace on the root',
      page(' xmlns:xi="http://www.w3.org/2001/XInclude"', '<xi:include href="//attacker.example/share/page.xml"/>'),
      'OFD XInclude',
    ],
    [
      'XInclude as a default namespace inside',
      page('', '<include xmlns="http://www.w3.org/2001/XInclude" href="../../../../x.xml"/>'),
      'OFD XInclude',
    ],
    [
      'the 2003 draft’s namespace, under a Chinese prefix',
      page(' xmlns:含="http://www.w3.org/2003/XInclude"', '<含:include href="a.xml"/>'),
      'OFD XInclude',
    ],
    [
      'the namespace with a character reference',
      page(' xmlns:x="http://www.w3.org/2001/&#x58;Include"', '<x:include href="a.xml"/>'),
      'OFD XInclude',
    ],
    ['xml:base on the root', page(' xml:base="file:///C:/Windows/Fonts/"', ''), 'OFD xml:base'],
    [
      'xml:base on an element inside',
      page('', '<ofd:PathObject ID="5" xml:base="//attacker.example/share/"/>'),
      'OFD xml:base',
    ],
  ])('refuses %s as unreadable, however split', (_, part, what) => {
    for (const pieces of [1, 7]) {
      expect(check(part, pieces).findings, `${pieces} pieces`).toEqual([['OOXML_UNREADABLE', { part: what }]]);
    }
  });

  it('leaves the words in text, in another attribute’s value, and other attributes named base', () => {
    const words = 'xml:base="x" &lt;xi:include href="a.xml"/&gt; http://www.w3.org/2001/XInclude xmlns:xi';
    for (const pieces of [1, 7]) {
      expect(check(page('', text(words)), pieces).findings).toEqual([]);
      expect(
        check(page(' Note=\' xml:base="file:///C:/" xmlns:xi="http://www.w3.org/2001/XInclude"\'', ''), pieces)
          .findings,
      ).toEqual([]);
      expect(check(page(' ofd:base="Res/" xmlns:base="http://www.ofdspec.org/2016"', ''), pieces).findings).toEqual([]);
    }
  });
});

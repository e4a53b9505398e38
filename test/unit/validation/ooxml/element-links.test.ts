import { describe, expect, it } from 'vitest';
import { judgeContentTypes } from '../../../../shared/validation/ooxml/content-types.ts';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { Report } from '../../../../shared/validation/report.ts';

/**
 * What elements link to or load (shared/validation/ooxml/element-links.ts): VML sources, linked
 * pictures, relationships loaded as the file opens, online videos; and where they are read.
 */

function read(part: string, text: string, piece = 64 * 1024): Report {
  const report = new Report();
  const check = partCheckFor(part, new PackageInspection(report));
  for (let at = 0; at < text.length; at += piece) check.write(Buffer.from(text.slice(at, at + piece)));
  check.end();
  return report;
}

const shape = (inside: string) => `<xml><v:shape id="s1"><${inside}/><x:ClientData ObjectType="Note"/></v:shape></xml>`;

describe('VML sources', () => {
  it.each([
    ['v:imagedata src="\\\\host\\share\\x.png"', '\\\\host\\share\\x.png'],
    ['v:fill o:href=" file:///C:/x.png"', 'file:///C:/x.png'],
    ['v:imagedata o:althref="C:\\x.png"', 'C:\\x.png'],
    ['v:imagedata src="mhtml:http://a.example/x.mht!x.png"', 'mhtml:http://a.example/x.mht!x.png'],
    ['v:fill src="&#92;&#92;host\\x.png"', '\\\\host\\x.png'],
  ])('refuses <%s> in a Word story and an Excel drawing, in any piece size', (inside, target) => {
    for (const part of ['word/header1.xml', 'xl/drawings/vmlDrawing1.vml', 'drawings/d.vml']) {
      for (const piece of [4, 64 * 1024]) {
        const report = read(part, shape(inside), piece);
        expect(
          report.findings.map((f) => f.code),
          `${part} ${piece}`,
        ).toEqual(['OOXML_EXTERNAL']);
        expect(report.findings[0]?.detail?.target).toBe(target);
      }
    }
  });

  it('warns of a web address, and passes relationships and text that only mention `src`', () => {
    const report = read('word/document.xml', shape('v:imagedata src="https://a.example/x.png"'));
    expect(report.findings).toEqual([]);
    expect(report.warnings.map((w) => [w.code, w.detail])).toEqual([
      ['EXTERNAL_LINK', { target: 'https://a.example/x.png' }],
    ]);
    const plain = read(
      'word/document.xml',
      `${shape('v:imagedata o:relid="rId1" r:id="rId2"')}<w:t>src=\\\\host\\x</w:t>`,
    );
    expect([...plain.findings, ...plain.warnings]).toEqual([]);
  });

  it('refuses a VML tag too long to be read whole, and leaves Excel’s sheets unsearched for it', () => {
    // Its source arrives after the text stream has handed on the tag's first 64 KiB alone.
    const text = shape(`v:imagedata o:title="${' '.repeat(70 * 1024)}" src="\\\\h\\x"`);
    const long = read('xl/drawings/vmlDrawing1.vml', text, text.indexOf('" src'));
    expect(long.findings.map((f) => f.code)).toEqual(['OOXML_UNREADABLE']);
    expect(read('xl/worksheets/sheet1.xml', shape('v:imagedata src="\\\\h\\x"')).findings).toEqual([]);
  });

  it('takes the VML drawing type only for a part read for VML, and Excel’s binary types for none', () => {
    const judge = typesFindings;
    const vml = 'application/vnd.openxmlformats-officedocument.vmlDrawing';
    expect(judge(`<Default Extension="vml" ContentType="${vml}"/>`)).toEqual([]);
    expect(judge(`<Override PartName="/xl/drawings/a.vml" ContentType="${vml}"/>`)).toEqual([]);
    expect(judge(`<Default Extension="xml" ContentType="${vml}"/>`)).toEqual(['OOXML_UNREADABLE']);
    expect(judge(`<Override PartName="/xl/drawings/a.xml" ContentType="${vml}"/>`)).toEqual(['OOXML_UNREADABLE']);
    expect(
      judge('<Override PartName="/xl/worksheets/sheet2.bin" ContentType="application/vnd.ms-excel.worksheet"/>'),
    ).toEqual(['OOXML_UNREADABLE']);
    expect(judge('<Default Extension="bin" ContentType="application/vnd.ms-excel.sharedStrings"/>')).toEqual([
      'OOXML_UNREADABLE',
    ]);
    // Excel's XML parts of its own namespace, and printer settings (binary, harmless), stay accepted.
    expect(
      judge(
        '<Override PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/>' +
          '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/>',
      ),
    ).toEqual([]);
  });
});

describe('linked pictures', () => {
  const blip = (attributes: string) =>
    `<xdr:wsDr><xdr:pic><xdr:blipFill><a:blip ${attributes}><a:extLst/></a:blip></xdr:blipFill></xdr:pic></xdr:wsDr>`;

  it('refuses a picture linked by r:link, under any prefix, in Word’s stories and Excel’s drawings and charts, in any piece size', () => {
    for (const part of [
      'word/document.xml',
      'word/charts/chart1.xml',
      'xl/drawings/drawing1.xml',
      'xl/charts/chart2.xml',
      'xl/diagrams/data1.xml',
    ]) {
      for (const attributes of ['r:link="rId9"', 'r:embed="rId1" r:link="rId9"', 'xmlns:q="urn:q" q:link = \'rId9\'']) {
        for (const piece of [3, 64 * 1024]) {
          const report = read(part, blip(attributes), piece);
          expect(
            report.findings.map((f) => f.code),
            `${part} ${attributes} ${piece}`,
          ).toEqual(['OOXML_EXTERNAL']);
          expect(report.findings[0]?.detail?.kind).toBe(`linked picture in ${part}`);
        }
      }
    }
  });

  it('passes embedded pictures, hyperlinks on pictures and text that mentions r:link, and spares Excel’s sheets', () => {
    for (const part of ['word/document.xml', 'xl/drawings/drawing1.xml']) {
      expect(read(part, blip('r:embed="rId1" cstate="print"')).findings, part).toEqual([]);
      expect(read(part, `<a:hlinkClick r:id="rId3"/>${blip('r:embed="rId1"')}`).findings, part).toEqual([]);
      expect(read(part, '<w:t>见附件 r:link="rId9" 说明</w:t>').findings, part).toEqual([]);
    }
    // A sheet holds no pictures: it is not searched for them (its speed is the slowest shape's).
    expect(read('xl/worksheets/sheet1.xml', blip('r:link="rId9"')).findings).toEqual([]);
  });

  it('refuses a VML picture or fill linked through a relationship (r:href), under any prefix', () => {
    for (const part of ['word/document.xml', 'xl/drawings/vmlDrawing1.vml']) {
      for (const inside of ['v:imagedata r:id="rId1" r:href="rId9"', 'v:fill x:href = \'rId9\' type="frame"']) {
        const report = read(part, shape(inside));
        expect(
          report.findings.map((f) => f.code),
          `${part} ${inside}`,
        ).toEqual(['OOXML_EXTERNAL']);
        expect(report.findings[0]?.detail?.target).toBe('r:href rId9');
      }
      // Embedded (r:id only), an empty href, and a shape's own link into the document stay accepted.
      expect(read(part, shape('v:imagedata r:id="rId1" o:title=""')).findings).toEqual([]);
      expect(read(part, shape('v:imagedata r:id="rId1" o:href=""')).findings).toEqual([]);
      expect(
        read(part, '<xml><v:shape id="s1" href="#封面"><v:imagedata r:id="rId1"/></v:shape></xml>').findings,
      ).toEqual([]);
    }
  });

  it('refuses a blip tag longer than the stream’s window, its link after the window, in any piece size', () => {
    for (const piece of [1000, 64 * 1024, 256 * 1024]) {
      const report = read('xl/drawings/drawing1.xml', blip(`${' '.repeat(70 * 1024)}r:link="rId9"`), piece);
      expect(report.findings.length, `${piece}`).toBe(1);
      expect(['OOXML_EXTERNAL', 'OOXML_UNREADABLE']).toContain(report.findings[0]?.code);
    }
  });

  it('takes a drawing’s or a chart’s type only for a part read for linked pictures', () => {
    const judge = typesFindings;
    const drawing = 'application/vnd.openxmlformats-officedocument.drawing+xml';
    const chart = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';
    expect(judge(`<Override PartName="/xl/drawings/drawing1.xml" ContentType="${drawing}"/>`)).toEqual([]);
    expect(judge(`<Override PartName="/xl/charts/chart1.xml" ContentType="${chart}"/>`)).toEqual([]);
    expect(judge(`<Override PartName="/word/charts/chart1.xml" ContentType="${chart}"/>`)).toEqual([]);
    expect(judge(`<Override PartName="/xl/media/d.xml" ContentType="${drawing}"/>`)).toEqual(['OOXML_UNREADABLE']);
    expect(judge(`<Default Extension="xml" ContentType="${chart}"/>`)).toEqual(['OOXML_UNREADABLE']);
    const diagram = 'application/vnd.ms-office.drawingml.diagramDrawing+xml';
    expect(judge(`<Override PartName="/xl/diagrams/drawing1.xml" ContentType="${diagram}"/>`)).toEqual([]);
    expect(
      judge(
        '<Override PartName="/xl/worksheets/d.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml"/>',
      ),
    ).toEqual(['OOXML_UNREADABLE']);
  });
});

/** The findings' codes of a [Content_Types].xml holding `declaration`. */
function typesFindings(declaration: string) {
  const report = new Report();
  judgeContentTypes(`<Types>${declaration}</Types>`, report);
  return report.findings.map((f) => f.code);
}

/** Each part (name, text) read in order into one report, in pieces of `piece` bytes. */
function package_(parts: [string, string][], piece = 64 * 1024): Report {
  const report = new Report();
  const inspection = new PackageInspection(report);
  for (const [part, text] of parts) {
    const check = partCheckFor(part, inspection);
    for (let at = 0; at < text.length; at += piece) check.write(Buffer.from(text.slice(at, at + piece)));
    check.end();
  }
  return report;
}

const relationships = (...items: string[]) =>
  `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items.join('')}</Relationships>`;
const hyperlink = (id: string, target = 'http://a.example/t') =>
  `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="${target}" TargetMode="External"/>`;
const image = (id: string) =>
  `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>`;

describe('documents imported by altChunk (round 14)', () => {
  it.each([
    ['an RTF chunk typed as a picture', 'image', 'media/a.rtf'],
    ['an RTF chunk under a picture’s name', 'image', 'media/image5.png'],
    ['an HTML chunk typed as a hyperlink', 'hyperlink', 'a.mht'],
    ['a chunk typed as aFChunk', 'aFChunk', 'afchunk.rtf'],
  ])('refuses %s, whatever its relationship’s type, in any piece size', (_what, type, target) => {
    const rels = relationships(
      `<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`,
    );
    for (const tag of ['<w:altChunk r:id="rId9"/>', '<文:altChunk 关:id="rId9"></文:altChunk>']) {
      for (const piece of [5, 64 * 1024]) {
        const report = package_(
          [
            ['word/document.xml', `<w:document><w:body>${tag}<w:p/></w:body></w:document>`],
            ['word/_rels/document.xml.rels', rels],
          ],
          piece,
        );
        expect(report.findings.map((f) => f.code)).toContain('OOXML_EMBEDDED_OBJECT');
      }
    }
  });

  it('accepts the word in text and in other elements’ names', () => {
    const report = package_(
      [
        [
          'word/document.xml',
          '<w:document><w:body><w:p><w:r><w:t>altChunk</w:t></w:r></w:p><w:altChunkPr/></w:body></w:document>',
        ],
      ],
      5,
    );
    expect(report.findings).toEqual([]);
  });
});

describe('relationships loaded as the file opens, whatever their type', () => {
  it.each([
    ['word/document.xml', '<a:blip r:embed="rId9" cstate="print"/>'],
    ['word/header1.xml', '<a:blip xmlns:q="urn:r" q:embed="rId9"/>'],
    ['word/document.xml', '<v:imagedata r:id="rId9" o:title=""/>'],
    ['xl/drawings/vmlDrawing1.vml', '<v:imagedata o:relid="rId9" o:title=""/>'],
    ['word/document.xml', '<o:OLEObject Type="Link" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" r:id="rId9"/>'],
    ['word/document.xml', '<w:subDoc r:id="rId9"/>'],
    ['xl/drawings/drawing1.xml', '<c:chart xmlns:c="urn:c" r:id="rId9"/>'],
    ['word/charts/chart1.xml', '<c:externalData r:id=" rId9 "><c:autoUpdate val="0"/></c:externalData>'],
    // Round 10: a VML fill's picture (Word's page background), a sheet's own loading elements.
    ['word/document.xml', '<v:fill r:id="rId9" o:title="纸纹" recolor="t" type="frame"/>'],
    ['xl/drawings/vmlDrawing1.vml', '<v:fill o:relid="rId9" type="frame"/>'],
    ['xl/worksheets/sheet1.xml', '<picture r:id="rId9"/>'],
    ['xl/worksheets/sheet1.xml', '<oleObject progId="Excel.Sheet.12" shapeId="1025" r:id="rId9"/>'],
    ['xl/worksheets/sheet1.xml', '<drawing r:id="rId9"/>'],
    ['xl/worksheets/sheet1.xml', '<legacyDrawing r:id="rId9"/>'],
    ['xl/worksheets/sheet1.xml', '<x:legacyDrawingHF r:id="rId9"/>'],
    // A sheet at a name read for pictures too (its type says sheet, its name says drawing).
    ['xl/drawings/sheet2.xml', '<picture r:id="rId9"/>'],
    ['word/document.xml', '<asvg:svgBlip xmlns:asvg="urn:s" r:embed="rId9"/>'],
    ['xl/drawings/drawing1.xml', '<asvg:svgBlip r:embed="rId9"/>'],
    // Round 11: a chart's drawn shapes, SmartArt's four parts, an artistic effect's image layer, a VML stroke.
    ['word/charts/chart1.xml', '<c:userShapes r:id="rId9"/>'],
    ['xl/charts/chart1.xml', '<c:userShapes r:id="rId9"/>'],
    ['word/document.xml', '<dgm:relIds r:dm="rId9" r:lo="rId8" r:qs="rId8" r:cs="rId8"/>'],
    ['xl/drawings/drawing1.xml', '<dgm:relIds r:dm="rId8" r:lo="rId8" r:qs="rId8" r:cs="rId9"/>'],
    ['word/header1.xml', '<a14:imgLayer r:embed="rId9"><a14:imgEffect/></a14:imgLayer>'],
    ['xl/drawings/drawing1.xml', '<a14:imgLayer r:embed="rId9"/>'],
    ['word/document.xml', '<v:stroke r:id="rId9" o:title="" filltype="pattern"/>'],
    ['xl/drawings/vmlDrawing1.vml', '<v:stroke o:relid="rId9" filltype="pattern"/>'],
    // Round 12: media a picture stands for, linked or embedded, and Word's movie.
    ['word/document.xml', '<a:videoFile r:link="rId9"/>'],
    ['word/footer1.xml', '<a:audioFile r:link="rId9"><a:extLst/></a:audioFile>'],
    ['word/document.xml', '<a:quickTimeFile r:link="rId9"/>'],
    ['word/document.xml', '<a:wavAudioFile r:embed="rId9" name="提示音"/>'],
    ['word/document.xml', '<p14:media xmlns:p14="urn:p" r:embed="rId9"/>'],
    ['word/document.xml', '<p14:media r:embed="rId8" r:link="rId9"/>'],
    ['word/document.xml', '<w:movie r:id="rId9"/>'],
    ['xl/drawings/drawing1.xml', '<a:videoFile r:link="rId9"/>'],
    // Round 12: Word 2010's linked OLE object, a VML picture's alternate image, the pictures
    // Excel draws for an OLE object and a control.
    [
      'word/document.xml',
      '<w:objectLink w:drawAspect="content" r:id="rId9" w:progId="Excel.Sheet.12" w:shapeId="1" w:fieldCodes="" w:updateMode="always"/>',
    ],
    ['word/document.xml', '<v:imagedata r:id="rId8" r:pict="rId9" o:title=""/>'],
    ['xl/worksheets/sheet1.xml', '<objectPr defaultSize="0" r:id="rId9"><anchor moveWithCells="1"/></objectPr>'],
    ['xl/worksheets/sheet1.xml', '<controlPr defaultSize="0" r:id="rId9"/>'],
  ])('refuses a hyperlink relationship %s loads by <%s>, read before or after it, in any piece size', (part, tag) => {
    const text = `<root><x:p>${tag}</x:p></root>`;
    const rels = part.replace(/([^/]+)$/, '_rels/$1.rels');
    for (const piece of [5, 64 * 1024]) {
      for (const order of [
        [
          [part, text],
          [rels, relationships(hyperlink('rId9'))],
        ],
        [
          [rels, relationships(hyperlink('rId9'))],
          [part, text],
        ],
      ] as [string, string][][]) {
        const report = package_(order, piece);
        expect(
          report.findings.map((f) => [f.code, f.detail?.target]),
          `${piece} ${order[0]?.[0]}`,
        ).toEqual([['OOXML_EXTERNAL', 'http://a.example/t']]);
      }
    }
  });

  it('keeps a clicked hyperlink a warning, and an element loading another id or another part’s', () => {
    const document =
      '<w:p><a:blip r:embed="rId8"/><a:hlinkClick r:id="rId9"/><w:hyperlink r:id="rId9"><w:t>工信部</w:t></w:hyperlink>' +
      '<v:imagedata r:id="rId8" o:relid="rId8"/>' +
      // Round 11's loaders naming the picture, not the hyperlink; a stroke with no picture.
      '<dgm:relIds r:dm="rId8" r:lo="rId8" r:qs="rId8" r:cs="rId8"/><a14:imgLayer r:embed="rId8"/>' +
      '<v:stroke r:id="rId8"/><v:stroke dashstyle="dash" color="#1F4E79"/>' +
      // Round 12's media naming the picture; a run in a font named File, text on media and a movie.
      '<a:videoFile r:link="rId8"/><w:rFonts w:ascii="File"/><w:t>media: movie File</w:t></w:p>';
    const report = package_([
      ['word/document.xml', document],
      ['word/_rels/document.xml.rels', relationships(image('rId8'), hyperlink('rId9'))],
      // The header's picture names rId9 of its own relationships, which is no hyperlink.
      ['word/header1.xml', '<a:blip r:embed="rId9"/>'],
      ['word/_rels/header1.xml.rels', relationships(image('rId9'))],
    ]);
    expect(report.findings).toEqual([]);
    expect(report.warnings.map((w) => w.code)).toEqual(['EXTERNAL_LINK']);
  });

  it('keeps a sheet’s clicked hyperlink a warning beside its background, drawings and fills of pictures', () => {
    const sheet =
      '<sheetData><row r="1" spans="1:2" customHeight="1"><c r="A1"><v>1</v></c></row></sheetData>' +
      '<hyperlinks><hyperlink ref="A1" r:id="rId9"/></hyperlinks><drawing r:id="rId8"/><legacyDrawing r:id="rId8"/><picture r:id="rId8"/>' +
      // Round 12: an OLE object's and a control's pictures, naming the package's picture.
      '<oleObjects><oleObject progId="Package" shapeId="1025" r:id="rId7"><objectPr r:id="rId8"/></oleObject></oleObjects><controls><control shapeId="1026" r:id="rId7"><controlPr r:id="rId8"/></control></controls>';
    const report = package_([
      ['xl/worksheets/sheet1.xml', sheet],
      ['xl/worksheets/_rels/sheet1.xml.rels', relationships(image('rId8'), hyperlink('rId9'))],
      [
        'word/document.xml',
        '<w:p><w:shd w:val="clear" w:fill="FFFFFF"/><v:fill r:id="rId8" type="frame"/><a:fillRect/></w:p>',
      ],
      ['word/_rels/document.xml.rels', relationships(image('rId8'), hyperlink('rId9'))],
    ]);
    expect(report.findings).toEqual([]);
    // One warning for the one target both parts link to.
    expect(report.warnings.map((w) => w.code)).toEqual(['EXTERNAL_LINK']);
  });
});

describe('online videos (round 10)', () => {
  const escape = (html: string) =>
    html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const video = (html: string) =>
    `<w:document><w:body><w:p><wp:docPr id="1" name="视频"><a:extLst><a:ext uri="{C809E66F}"><wp15:webVideoPr embeddedHtml="${escape(html)}" h="315" w="560"/></a:ext></a:extLst></wp:docPr></w:p></w:body></w:document>`;
  const youtube =
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/x?feature=oembed" frameborder="0" allowfullscreen=""></iframe>';

  it.each([
    '<script>new ActiveXObject("WScript.Shell").Run("calc")</script>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="\\\\host\\share\\v.html"></iframe>',
    '<iframe src="//host/share/v.html"></iframe>',
    '<iframe src="https://www.youtube.com/embed/x" onload="x()"></iframe>',
    '<iframe src="https://a.example/"><script>x()</script></iframe>',
    `${youtube}<img src="https://a.example/t.png">`,
    '<iframe width="560"></iframe>',
  ])('refuses HTML that is not one iframe to a web address: %s, in any piece size', (html) => {
    for (const piece of [7, 64 * 1024]) {
      expect(
        read('word/document.xml', video(html), piece).findings.map((f) => f.code),
        String(piece),
      ).toEqual(['OOXML_EXTERNAL']);
    }
  });

  it('warns of a video site’s iframe, its address as the warning', () => {
    const report = read('word/document.xml', video(youtube));
    expect(report.findings).toEqual([]);
    expect(report.warnings.map((w) => w.detail?.target)).toEqual(['https://www.youtube.com/embed/x?feature=oembed']);
  });

  it('refuses an online video’s tag longer than the stream’s window, in any piece size', () => {
    // Read in pieces (its head unreadable) or whole (its HTML past any embed code's length).
    const html = `<iframe src="https://a.example/" title="${'x'.repeat(70 * 1024)}"></iframe>`;
    for (const piece of [1000, 64 * 1024, 256 * 1024]) {
      const codes = read('word/document.xml', video(html), piece).findings.map((f) => f.code);
      expect(codes.length, String(piece)).toBe(1);
      expect(['OOXML_UNREADABLE', 'OOXML_EXTERNAL'], String(piece)).toContain(codes[0]);
    }
    // Past an embed code's length (2,048 characters, 683 Chinese ones in UTF-8) but in the window.
    const titled = `<iframe title="${'视'.repeat(700)}" src="https://a.example/"></iframe>`;
    expect(read('word/document.xml', video(titled)).findings.map((f) => f.code)).toEqual(['OOXML_EXTERNAL']);
  });
});

describe('SVG pictures (round 10)', () => {
  it('refuses an SVG picture linked by r:link, under any prefix, in Word’s stories and Excel’s drawings', () => {
    for (const part of ['word/document.xml', 'xl/drawings/drawing1.xml']) {
      for (const tag of ['<asvg:svgBlip r:link="rId9"/>', '<svgBlip xmlns:q="urn:r" q:link="rId9"/>']) {
        expect(read(part, `<root><a:blip r:embed="rId8"/>${tag}</root>`, 5).findings.map((f) => f.code)).toEqual([
          'OOXML_EXTERNAL',
        ]);
      }
    }
  });
});

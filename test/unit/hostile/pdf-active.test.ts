import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { findActiveContent } from '../../../shared/validation/pdf-active.ts';
import { inspectStream } from '../../../shared/validation/inspect.ts';
import { chunked, handmadePdf, MiB, pdfLibPdf, pdfWithCatalog, type PdfObject } from '../../fixtures/files.ts';

/** The PDF script and attachment finder (shared/validation/pdf-active.ts) on its edges. */

const inspect = (file: Buffer) =>
  inspectStream(chunked(file, 64 * 1024), { type: 'pdf', declaredSize: file.length, maxBytes: 64 * MiB });
const codes = async (file: Buffer) => (await inspect(file)).findings.map((f) => f.code);

const objectStream = (text: string): PdfObject => ({
  dict: '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode',
  stream: deflateSync(Buffer.from(`6 0 ${text}`, 'latin1')),
});

describe('PDF scripts and attachments', () => {
  it.each([
    ['/JavaScript', '/OpenAction << /S /JavaScript /JS (x) >>', 'JavaScript'],
    ['#-escaped /JavaScript', '/OpenAction << /S /#4Aava#53cript /J#53 (x) >>', 'JavaScript'],
    ['/Launch', '/OpenAction << /S /Launch /F (calc.exe) >>', 'Launch'],
    ['/EmbeddedFiles', '/Names << /EmbeddedFiles << /Names [] >> >>', 'EmbeddedFiles'],
  ])('finds %s in the catalog', (_what, entries, name) => {
    expect(findActiveContent(pdfWithCatalog(entries), true)?.name).toBe(name);
  });

  it('finds a script inside a compressed object stream, and not in ordinary compressed streams', () => {
    expect(
      findActiveContent(handmadePdf({ objects: [...basic(), objectStream('<< /S /JavaScript /JS (x) >>')] }), true),
    ).toEqual({
      kind: 'script',
      name: 'JavaScript',
    });
    // Content streams full of bytes that spell `/JS ` are data, not dictionaries.
    const noisy = Buffer.concat(
      Array.from({ length: 2000 }, () => Buffer.concat([randomBytes(200), Buffer.from('/JS /EF ')])),
    );
    expect(
      findActiveContent(handmadePdf({ objects: [...basic(), { dict: '/Filter /FlateDecode', stream: noisy }] }), true),
    ).toBeUndefined();
  });

  it('does not take the names of other keys for scripts (/JSON, /EFx, /JavaScripts)', () => {
    expect(findActiveContent(pdfWithCatalog('/JSON 1 /EFx 2 /JavaScripts 3 /EmbeddedFile 4'), true)).toBeUndefined();
  });

  it('stops inflating object streams at its budget: a window full of deflate bombs costs little', async () => {
    const bomb = deflateSync(Buffer.alloc(8 * MiB));
    const objects = [
      ...basic(),
      ...Array.from({ length: 60 }, () => ({ dict: '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', stream: bomb })),
    ];
    const file = handmadePdf({ objects });
    expect(file.length).toBeLessThan(MiB);
    const started = performance.now();
    expect(findActiveContent(file, true)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('leaves genuine PDFs alone, pdf-lib ones included', async () => {
    expect(await codes(await pdfLibPdf())).toEqual([]);
    expect(await codes(handmadePdf({ xref: 'stream' }))).toEqual([]);
  });

  it('reads only what the inspector keeps: a script in the middle of a large file is not seen (documented)', async () => {
    const padding = (): PdfObject => ({
      dict: '/Type /XObject /Subtype /Image',
      stream: randomBytes(MiB + 128 * 1024),
    });
    const middle = handmadePdf({
      objects: [...basic(), padding(), { dict: '<< /S /JavaScript /JS (x) >>' }, padding()],
    });
    expect(await codes(middle)).toEqual([]);
    const near = handmadePdf({ objects: [...basic(), padding(), { dict: '<< /S /JavaScript /JS (x) >>' }] });
    expect(await codes(near)).toEqual(['PDF_SCRIPT']);
  });
});

/** The five objects of the hand-made PDF (catalog, pages, page, content, font). */
function basic(): PdfObject[] {
  return [
    { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
    { dict: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      dict: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    },
    { dict: '', stream: Buffer.from('BT /F1 18 Tf 72 760 Td (x) Tj ET') },
    { dict: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' },
  ];
}

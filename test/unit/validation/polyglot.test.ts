import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZIP_SEARCH_WINDOW } from '../../../shared/validation/polyglot.ts';
import { buildZip, docx, docxEntries, handmadePdf, pdfWithStream, windowsExecutable } from '../../fixtures/files.ts';
import { codes, inspect } from './helpers.ts';

const smallZip = () => buildZip([{ name: 'readme.txt', data: 'hidden archive' }]);

describe('polyglots (a second reader would accept the file)', () => {
  it('reports a PDF with an appended zip as POLYGLOT', async () => {
    const file = Buffer.concat([handmadePdf(), await smallZip()]);
    const result = await inspect(file, 'pdf');
    expect(codes(result)).toEqual(['POLYGLOT']); // the zip is small enough to leave %%EOF in reach
    expect(result.findings[0]?.detail).toEqual({ format: 'zip', fromEnd: 22 });
    expect(result.findings[0]?.message.zh).toContain('zip');
  });

  it('reports a PDF with an appended zip and a second %%EOF after it as POLYGLOT', async () => {
    const file = Buffer.concat([handmadePdf(), await docx(), Buffer.from('\n%%EOF\n')]);
    expect(codes(await inspect(file, 'pdf'))).toEqual(['POLYGLOT']);
  });

  it('reports a zip stored in a PDF stream near the end as POLYGLOT', async () => {
    const file = pdfWithStream(await docx());
    expect(codes(await inspect(file, 'pdf', { chunk: 7 }))).toEqual(['POLYGLOT']);
  });

  it('finds the end record however the chunks fall', async () => {
    const file = Buffer.concat([handmadePdf(), await smallZip()]);
    for (const chunk of [1, 3, 22, 4096]) {
      expect(codes(await inspect(file, 'pdf', { chunk, reuse: true })), `${chunk}-byte chunks`).toEqual(['POLYGLOT']);
    }
  });

  it('reports a DOCX whose first entry carries %PDF- as POLYGLOT', async () => {
    const first = [{ name: 'aaa.txt', data: '%PDF-1.4\n1 0 obj <<>> endobj', compress: false }];
    const result = await inspect(await buildZip(docxEntries({ first })), 'docx');
    expect(codes(result)).toEqual(['POLYGLOT']);
    expect(result.findings[0]?.detail).toMatchObject({ format: 'pdf' });
  });

  it('does not mistake a DOCX with a PDF attachment deeper in for a polyglot', async () => {
    const extra = [{ name: 'word/embeddings/a.pdf', data: handmadePdf(), compress: false }];
    expect(codes(await inspect(await buildZip(docxEntries({ extra })), 'docx'))).toEqual([]);
  });
});

describe('where the rule deliberately stops (documented in polyglot.ts)', () => {
  it('accepts a zip embedded in a PDF when its end record is beyond zip readers’ reach', async () => {
    const file = pdfWithStream(await docx(), randomBytes(ZIP_SEARCH_WINDOW));
    expect(codes(await inspect(file, 'pdf'))).toEqual([]);
  });

  it('accepts an executable stored inside a PDF body: no loader runs it from there', async () => {
    expect(codes(await inspect(pdfWithStream(windowsExecutable()), 'pdf'))).toEqual([]);
  });

  it('ignores end-record signatures that no archive could have (random bytes)', async () => {
    // Four signature bytes followed by a non-zero disk number: compressed data can contain this.
    const noise = Buffer.concat([randomBytes(100), Buffer.from('PK\x05\x06\x07\x00', 'latin1'), randomBytes(100)]);
    expect(codes(await inspect(pdfWithStream(noise), 'pdf'))).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { inspectStream } from '../../../shared/validation/inspect.ts';
import {
  chunkedAt,
  encryptedPdf,
  encryptedPdfXrefStream,
  handmadePdf,
  MiB,
  pdfLibPdf,
  truncatedPdf,
  windowsExecutable,
} from '../../fixtures/files.ts';
import { codes, inspect, sha256 } from './helpers.ts';

let real: Buffer;
beforeAll(async () => {
  real = await pdfLibPdf();
});

describe('valid PDFs', () => {
  it('accepts a pdf-lib document, with its true hash and size', async () => {
    const result = await inspect(real, 'pdf');
    expect(result).toMatchObject({ valid: true, findings: [], detectedType: 'pdf', size: real.length });
    expect(result.sha256).toBe(sha256(real));
  });

  it.each(['table', 'stream'] as const)('accepts a hand-made PDF with a cross-reference %s', async (xref) => {
    const result = await inspect(handmadePdf({ xref }), 'pdf');
    expect(codes(result)).toEqual([]);
  });

  it.each([1, 7, 1000])('gives the same answer with %i-byte chunks', async (chunk) => {
    const result = await inspect(real, 'pdf', { chunk, reuse: true });
    expect(result.valid).toBe(true);
    expect(result.sha256).toBe(sha256(real));
  });

  it('tolerates up to 1024 bytes after %%EOF (whitespace some writers append)', async () => {
    const padded = Buffer.concat([real, Buffer.alloc(1024 - 5 - 1, 0x0a)]);
    expect(codes(await inspect(padded, 'pdf'))).toEqual([]);
  });

  it('does not take /EncryptMetadata for an encryption dictionary', async () => {
    const objects = [
      { dict: '<< /Type /Catalog /Pages 2 0 R /Metadata 3 0 R >>' },
      { dict: '<< /Type /Pages /Kids [] /Count 0 >>' },
      { dict: '/Type /Metadata /Subtype /XML /EncryptMetadata false', stream: Buffer.from('<x:xmpmeta/>') },
    ];
    expect(codes(await inspect(handmadePdf({ objects }), 'pdf'))).toEqual([]);
  });
});

describe('truncation', () => {
  it('reports a PDF cut short as PDF_TRUNCATED', async () => {
    expect(codes(await inspect(truncatedPdf(real), 'pdf'))).toEqual(['PDF_TRUNCATED']);
  });

  it('reports %%EOF further than 1024 bytes from the end as PDF_TRUNCATED', async () => {
    const padded = Buffer.concat([real, Buffer.alloc(1100, 0x20)]);
    expect(codes(await inspect(padded, 'pdf'))).toEqual(['PDF_TRUNCATED']);
  });

  it('finds %%EOF split across the last chunks', async () => {
    const eof = real.lastIndexOf('%%EOF');
    for (let k = 1; k < 5; k++) {
      const result = await inspectStream(chunkedAt(real, [eof + k]), {
        type: 'pdf',
        declaredSize: real.length,
        maxBytes: MiB,
      });
      expect(codes(result)).toEqual([]);
    }
  });

  it('treats a file that is only a header as truncated', async () => {
    expect(codes(await inspect(Buffer.from('%PDF-1.7\n'), 'pdf'))).toEqual(['PDF_TRUNCATED']);
  });
});

describe('encryption', () => {
  it('reports an encrypted PDF as PDF_ENCRYPTED', async () => {
    const result = await inspect(encryptedPdf(), 'pdf');
    expect(codes(result)).toEqual(['PDF_ENCRYPTED']);
    expect(result.facts.encrypted).toBe(true);
    expect(result.findings[0]?.message.zh).toContain('加密');
  });

  it('finds /Encrypt in a cross-reference stream dictionary within the last MiB', async () => {
    const pdf = encryptedPdfXrefStream(2 * MiB, { xrefAtEnd: true });
    const at = pdf.indexOf('/Encrypt');
    expect(at).toBeGreaterThan(2 * MiB); // far from the start: only the trailer window can see it
    expect(codes(await inspect(pdf, 'pdf', { chunk: 256 * 1024 }))).toEqual(['PDF_ENCRYPTED']);
  });

  it('finds /Encrypt in the middle of the file too (the whole file is read)', async () => {
    const pdf = encryptedPdfXrefStream(2 * MiB);
    const at = pdf.indexOf('/Encrypt');
    expect(at).toBeGreaterThan(MiB);
    expect(pdf.length - at).toBeGreaterThan(MiB);
    expect(codes(await inspect(pdf, 'pdf', { chunk: 256 * 1024 }))).toEqual(['PDF_ENCRYPTED']);
  });

  it('finds /Encrypt wherever a chunk boundary cuts it', async () => {
    const pdf = encryptedPdf();
    const at = pdf.indexOf('/Encrypt');
    for (let k = 0; k <= '/Encrypt '.length; k++) {
      const result = await inspectStream(chunkedAt(pdf, [at + k]), {
        type: 'pdf',
        declaredSize: pdf.length,
        maxBytes: MiB,
      });
      expect(codes(result), `cut at +${k}`).toEqual(['PDF_ENCRYPTED']);
    }
  });

  it.each([1, 7])('finds /Encrypt with %i-byte chunks from a reusing producer', async (chunk) => {
    expect(codes(await inspect(encryptedPdf(), 'pdf', { chunk, reuse: true }))).toEqual(['PDF_ENCRYPTED']);
  });
});

describe('header and type', () => {
  it('reports junk before %PDF- as PDF_NO_HEADER', async () => {
    const prefixed = Buffer.concat([Buffer.from('\r\n\r\nHTTP/1.1 200 OK\r\n\r\n'), real]);
    const result = await inspect(prefixed, 'pdf');
    expect(codes(result)).toEqual(['PDF_NO_HEADER']);
    expect(result.detectedType).toBe('unknown');
  });

  it('reports a Windows executable renamed .pdf as TYPE_MISMATCH', async () => {
    const result = await inspect(windowsExecutable(), 'pdf');
    expect(codes(result)).toEqual(['TYPE_MISMATCH']);
    expect(result.detectedType).toBe('unknown');
    expect(result.findings[0]?.detail).toEqual({ expected: 'pdf', detected: 'exe' });
    expect(result.findings[0]?.message.en).toContain('(exe)');
  });

  it('reports a PDF uploaded as a DOCX as TYPE_MISMATCH, detected pdf', async () => {
    const result = await inspect(real, 'docx');
    expect(codes(result)).toEqual(['TYPE_MISMATCH']);
    expect(result.detectedType).toBe('pdf');
  });
});

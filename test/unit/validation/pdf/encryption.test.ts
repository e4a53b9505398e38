import { describe, expect, it } from 'vitest';
import { rc4 } from '../../../../shared/validation/pdf/crypt.ts';
import { PdfScan, SCAN_LIMITS } from '../../../../shared/validation/pdf/scan.ts';
import { incrementalUpdate, pageObjects } from '../../../fixtures/active-pdf.ts';
import {
  baseInCrossReferenceStreamPdf,
  baseInEncryptionDictionaryPdf,
  encryptedPdf,
  ownCryptFilterObjectStreamPdf,
} from '../../../fixtures/encrypted-pdf.ts';
import { codes, inspect } from '../helpers.ts';

/** Encrypted PDFs (pdf/crypt.ts, and the scan's keeping what needs the key until the trailer gives it: pdf/scan.ts). */

const scan = (file: Buffer, limits = SCAN_LIMITS) => {
  const s = new PdfScan(limits);
  s.push(file, 0);
  s.finish();
  return s;
};

const reason = async (file: Buffer) => (await inspect(file, 'pdf')).findings.map((f) => f.detail?.reason ?? f.code);

describe('PDF encryption', () => {
  it('writes RC4 as the cipher is defined (a published test vector), Node leaving it out', () => {
    expect(rc4(Buffer.from('Key'), Buffer.from('Plaintext')).toString('hex')).toBe('bbf316e8d940af0ad3');
    expect(rc4(Buffer.from('Wiki'), Buffer.from('pedia')).toString('hex')).toBe('1021bf0420');
  });

  it('opens a file locked by an owner password only, whatever its cipher, and reads it as any other', async () => {
    for (const cipher of ['rc4-40', 'rc4-128', 'aes-128', 'aes-256'] as const) {
      const file = encryptedPdf(pageObjects(), { cipher, packed: [1, 2, 3, 5] });
      for (const chunk of [7, 64 * 1024]) expect(codes(await inspect(file, 'pdf', { chunk })), cipher).toEqual([]);
      expect(scan(file).encryption.state).toBe('open');
    }
  });

  it('keeps PDF_ENCRYPTED for another security handler, and for /Encrypt outside the trailer', async () => {
    const pubsec = encryptedPdf(pageObjects(), { cipher: 'rc4-128' });
    const text = pubsec.toString('latin1').replace('/Filter /Standard', '/Filter /PubSecX ');
    expect(codes(await inspect(Buffer.from(text, 'latin1'), 'pdf'))).toEqual(['PDF_ENCRYPTED']);
    const inCatalog = encryptedPdf(pageObjects('/Encrypt 90 0 R'), { cipher: 'rc4-128' });
    const noTrailer = Buffer.from(
      inCatalog.toString('latin1').replace(/\/Encrypt 90 0 R \/ID/, () => '/Xncrypt 90 0 R /ID'),
      'latin1',
    );
    expect(codes(await inspect(noTrailer, 'pdf'))).toEqual(['PDF_ENCRYPTED']);
  });

  it('refuses an update whose trailer drops the /Encrypt the original names, as trailers that disagree', async () => {
    const base = encryptedPdf(pageObjects(), { cipher: 'rc4-128' });
    const updated = incrementalUpdate(base, [{ num: 2, body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' }]);
    expect(await reason(updated)).toEqual(['trailers that name different encryption dictionaries']);
  });

  it('refuses an encryption dictionary an update defines again, which readers may take either of', async () => {
    const base = encryptedPdf(pageObjects(), { cipher: 'rc4-128' });
    const text = base.toString('latin1');
    const dict = /90 0 obj\n(<<.*>>)\nendobj/.exec(text)?.[1] ?? '';
    const entries = /\/Encrypt 90 0 R \/ID \[[^\]]*\]/.exec(text)?.[0] ?? '';
    const updated = incrementalUpdate(base, [{ num: 90, body: dict.replace('/P -3904', '/P -4') }]);
    const named = Buffer.from(
      updated.toString('latin1').replace(/(trailer\n<< \/Size \d+ \/Root 1 0 R)/, `$1 ${entries}`),
      'latin1',
    );
    expect(await reason(named)).toEqual(['an encryption dictionary defined more than once']);
  });

  it('refuses an encrypted file whose object streams, kept until the key is known, pass the cap (naming it)', () => {
    const file = encryptedPdf(pageObjects(), { cipher: 'aes-128', packed: [1, 2, 3, 5] });
    expect(scan(file).unreadable).toBeUndefined();
    expect(scan(file, { ...SCAN_LIMITS, maxSealedBytes: 64 }).unreadable).toMatch(
      /^encrypted object streams over [\d.e-]+ MiB, kept until the key is known$/,
    );
  });

  it('reads strings of the encryption dictionary and of a cross-reference stream as written, as readers do', async () => {
    const share = 'file://attacker.example/share/';
    for (const cipher of ['rc4-128', 'aes-256'] as const) {
      expect(await reason(baseInEncryptionDictionaryPdf(share, cipher)), cipher).toEqual(['PDF_ACTION']);
      expect(await reason(baseInCrossReferenceStreamPdf(share, cipher)), cipher).toEqual(['PDF_ACTION']);
      // A base on the web in either place stays VALID (its relative link is a warning).
      const web = 'https://www.gov.cn/annex/';
      expect(codes(await inspect(baseInEncryptionDictionaryPdf(web, cipher), 'pdf')), cipher).toEqual([]);
      expect(codes(await inspect(baseInCrossReferenceStreamPdf(web, cipher), 'pdf')), cipher).toEqual([]);
    }
  });

  it('refuses an object stream under a crypt filter of its own in an encrypted file, which readers decrypt or not', async () => {
    const refusal = 'an object stream with a crypt filter of its own, which readers decrypt or not';
    expect(await reason(ownCryptFilterObjectStreamPdf({}))).toEqual([refusal]);
    expect(await reason(ownCryptFilterObjectStreamPdf({ parms: false }))).toEqual([refusal]);
    // Where nothing decrypts streams (no encryption, or /StmF /Identity), every reader reads it as it is.
    expect(codes(await inspect(ownCryptFilterObjectStreamPdf({ encrypted: false }), 'pdf'))).toEqual([]);
    expect(codes(await inspect(ownCryptFilterObjectStreamPdf({ stmF: 'Identity' }), 'pdf'))).toEqual([]);
  });

  it('takes a V 4 key’s length from the stream filter, as readers do: a 40-bit RC4 key only the string filter gives opens for none', async () => {
    // /StmF's filter gives 40 bits: pdf.js and MuPDF open the file so.
    const file = encryptedPdf(pageObjects(), { cipher: 'rc4-v4-40', packed: [1, 2, 3, 5] });
    expect(codes(await inspect(file, 'pdf'))).toEqual([]);
    expect(scan(file).encryption.state).toBe('open');
    // /StmF /Identity: pdf.js takes 128 bits, MuPDF the dictionary's /Length 128; the empty
    // password opens the file for neither, whatever /StrF's filter says.
    const stringsOnly = encryptedPdf(pageObjects(), { cipher: 'rc4-v4-40', stmF: 'Identity' });
    expect(codes(await inspect(stringsOnly, 'pdf'))).toEqual(['PDF_ENCRYPTED']);
  });

  it('refuses an unencrypted object stream that does not decode with its own reason, read at the end', () => {
    const file = encryptedPdf(pageObjects(), { cipher: 'aes-128', packed: [1, 2, 3, 5] });
    const clear = Buffer.from(file.toString('latin1').replace(/\/Encrypt 90 0 R /, '/Xncrypt 90 0 R '), 'latin1');
    expect(scan(clear).unreadable).toMatch(/^object stream: FlateDecode/);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectStream } from '../../../../shared/validation/inspect.ts';
import { codes, inspect } from '../helpers.ts';

/**
 * PDFs written by real producers (Ghostscript, qpdf, Chromium, poppler, cairo, pdf-lib,
 * LibreOffice, MuPDF, incremental updates), committed in test/fixtures/genuine-pdf with how each
 * was made: each one VALID, however it is chunked. A refusal here is a false refusal of evidence
 * officials upload.
 */

const FOLDER = join(import.meta.dirname, '../../../fixtures/genuine-pdf');
const FILES = readdirSync(FOLDER).filter((name) => name.endsWith('.pdf'));
/** The files with links out of the document (web or relative file links): warnings, not refusals. */
const LINKS: ReadonlyMap<string, number> = new Map([
  ['chromium-chinese-images.pdf', 1],
  ['ghostscript-ebook-chinese.pdf', 1],
  ['libreoffice-bookmarks-notes-tagged.pdf', 1],
  ['libreoffice-pdfa2b.pdf', 1],
  ['libreoffice-relative-links.pdf', 2],
  ['qpdf-owner-rc4-128-links.pdf', 2],
  ['qpdf-owner-aes-128.pdf', 1],
  ['qpdf-owner-aes-128-object-streams-cleartext-metadata.pdf', 1],
  ['qpdf-owner-aes-256-object-streams-links.pdf', 2],
]);

/** `bytes` in chunks that each end right after a CR: every CR LF (poppler ends `stream` so) split across two chunks. */
async function* cutAfterEveryCr(bytes: Buffer): AsyncGenerator<Buffer> {
  let from = 0;
  for (let cr = bytes.indexOf(0x0d); cr !== -1; cr = bytes.indexOf(0x0d, cr + 1)) {
    yield bytes.subarray(from, cr + 1);
    from = cr + 1;
  }
  if (from < bytes.length) yield bytes.subarray(from);
}

describe('genuine PDFs from real producers', () => {
  it('has every file described in the folder’s README', () => {
    const readme = readFileSync(join(FOLDER, 'README.md'), 'utf8');
    expect(FILES.length).toBeGreaterThanOrEqual(61);
    for (const name of FILES) expect(readme).toContain(`| ${name} |`);
  });

  it.each(FILES)('accepts %s, in 64 KiB and in 7-byte chunks', async (name) => {
    const bytes = readFileSync(join(FOLDER, name));
    const warnings = Array<string>(LINKS.get(name) ?? 0).fill('EXTERNAL_LINK');
    for (const chunk of [64 * 1024, 7]) {
      const result = await inspect(bytes, 'pdf', { chunk });
      expect(codes(result)).toEqual([]);
      expect(result.warnings.map((w) => w.code)).toEqual(warnings);
    }
  });

  it.each(['qpdf-user-password.pdf', 'mupdf-empty-owner-password.pdf'])(
    'refuses locked/%s, which asks for a password to open, as PDF_ENCRYPTED',
    async (name) => {
      const bytes = readFileSync(join(FOLDER, 'locked', name));
      for (const chunk of [64 * 1024, 7])
        expect(codes(await inspect(bytes, 'pdf', { chunk }))).toEqual(['PDF_ENCRYPTED']);
    },
  );

  it.each(FILES)('accepts %s cut after every CR', async (name) => {
    const bytes = readFileSync(join(FOLDER, name));
    const expected = { type: 'pdf' as const, declaredSize: bytes.length, maxBytes: 1024 * 1024 * 1024 };
    expect(codes(await inspectStream(cutAfterEveryCr(bytes), expected))).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codes, inspect } from '../helpers.ts';

/**
 * PDFs written by real producers (Ghostscript, qpdf, Chromium, poppler's cairo writer, pdf-lib,
 * incremental updates), committed in test/fixtures/genuine-pdf with how each was made: each one
 * VALID, however it is chunked. A refusal here is a false refusal of evidence officials upload.
 */

const FOLDER = join(import.meta.dirname, '../../../fixtures/genuine-pdf');
const FILES = readdirSync(FOLDER).filter((name) => name.endsWith('.pdf'));
/** The files with a web link, which is a warning, not a refusal. */
const LINKED = new Set(['chromium-chinese-images.pdf', 'ghostscript-ebook-chinese.pdf']);

describe('genuine PDFs from real producers', () => {
  it('has every file described in the folder’s README', () => {
    const readme = readFileSync(join(FOLDER, 'README.md'), 'utf8');
    expect(FILES.length).toBeGreaterThanOrEqual(17);
    for (const name of FILES) expect(readme).toContain(`| ${name} |`);
  });

  it.each(FILES)('accepts %s, in 64 KiB and in 7-byte chunks', async (name) => {
    const bytes = readFileSync(join(FOLDER, name));
    for (const chunk of [64 * 1024, 7]) {
      const result = await inspect(bytes, 'pdf', { chunk });
      expect(codes(result)).toEqual([]);
      expect(result.warnings.map((w) => w.code)).toEqual(LINKED.has(name) ? ['EXTERNAL_LINK'] : []);
    }
  });
});

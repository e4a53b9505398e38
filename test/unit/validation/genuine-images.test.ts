import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codes, inspect } from './helpers.ts';

/**
 * JPEGs and PNGs written by real writers (ImageMagick, libjpeg-turbo's cjpeg, Ghostscript's
 * devices, exiftool's metadata, apngasm, Chromium's screenshots), committed in
 * test/fixtures/genuine-images with how each was made: each one VALID, however it is chunked.
 * A refusal here is a false refusal of evidence officials upload.
 */

const FOLDER = join(import.meta.dirname, '../../fixtures/genuine-images');
const FILES = readdirSync(FOLDER).filter((name) => /\.(jpg|png)$/.test(name));

describe('genuine images from real writers', () => {
  it('has every file described in the folder’s README', () => {
    const readme = readFileSync(join(FOLDER, 'README.md'), 'utf8');
    expect(FILES.length).toBeGreaterThanOrEqual(27);
    for (const name of FILES) expect(readme).toContain(`| ${name} |`);
  });

  it.each(FILES)('accepts %s, in 64 KiB and in 7-byte chunks', async (name) => {
    const bytes = readFileSync(join(FOLDER, name));
    for (const chunk of [64 * 1024, 7]) {
      const result = await inspect(bytes, name.endsWith('.png') ? 'png' : 'jpeg', { chunk });
      expect(codes(result)).toEqual([]);
      expect(result.facts.width).toBeGreaterThan(0);
    }
  });
});

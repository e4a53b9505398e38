import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../../../shared/platform/content-disposition.ts';
import { ODD_PIECES } from './arbitraries.ts';

/**
 * Download names (review-page evidence downloads, summary exports) encoded per RFC 6266 /
 * RFC 8187: `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`.
 */

/** The header's three parts, or undefined when it does not have exactly that shape. */
function parse(header: string): { fallback: string; encoded: string } | undefined {
  const m = /^attachment; filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(header);
  return m?.[1] !== undefined && m[2] !== undefined ? { fallback: m[1], encoded: m[2] } : undefined;
}

/** File names: any Unicode, odd pieces, and the characters that break headers. */
const fileName = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...ODD_PIECES.filter((piece) => !/[\uD800-\uDFFF]/u.test(piece))),
        fc.constantFrom(
          '"',
          '\\',
          ';',
          '\r',
          '\n',
          '\r\n',
          '%',
          '%22',
          "'",
          '*',
          '(',
          ')',
          ',',
          '=',
          ' ',
          'filename*=x',
          '申报表',
          '.pdf',
        ),
        fc.string({ maxLength: 5 }),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

/** Names checked by each property, counted in its predicate; the last test checks they all ran. */
const RUNS = { any: 2000, loneSurrogates: 1000 };
const checked = { any: 0, loneSurrogates: 0 };

describe('contentDisposition', () => {
  it('is ASCII only, without CR or LF, and gives the exact name back from filename*', () => {
    fc.assert(
      fc.property(fileName, (name) => {
        const header = contentDisposition(name);
        expect(header).toMatch(/^[\x20-\x7e]*$/);
        expect(header).not.toMatch(/[\r\n]/);
        const parts = parse(header);
        expect(parts, header).toBeDefined();
        expect(decodeURIComponent(parts?.encoded ?? '')).toBe(name);
        // The fallback cannot end the quoted string, escape, start a parameter or look like an escape.
        expect(parts?.fallback).not.toMatch(/["\\;%]/);
        expect(parts?.fallback.length).toBeGreaterThan(0);
        checked.any++;
      }),
      { numRuns: RUNS.any, seed: 6266 },
    );
  });

  it('keeps the ASCII letters of the name in the fallback, accents dropped', () => {
    expect(contentDisposition('Résumé naïve.pdf')).toBe(
      `attachment; filename="Resume naive.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20na%C3%AFve.pdf`,
    );
    expect(contentDisposition('敦化市医药产业集群申报书.pdf')).toMatch(/^attachment; filename="_+\.pdf"; /);
    expect(contentDisposition('')).toBe(`attachment; filename="download"; filename*=UTF-8''`);
  });

  it('neutralises quote, backslash, CR, LF and semicolon in the fallback', () => {
    const header = contentDisposition('a"b\\c\r\nd;e%41.pdf');
    expect(parse(header)?.fallback).toBe('a_b_c__d_e_41.pdf');
    expect(decodeURIComponent(parse(header)?.encoded ?? '')).toBe('a"b\\c\r\nd;e%41.pdf');
  });

  it('never throws: a lone surrogate (no UTF-8 form) becomes U+FFFD', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 30 }),
        (name) => {
          const parts = parse(contentDisposition(name));
          expect(parts).toBeDefined();
          expect(decodeURIComponent(parts?.encoded ?? '')).toBe(name.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
          checked.loneSurrogates++;
        },
      ),
      { numRuns: RUNS.loneSurrogates, seed: 8187 },
    );
  });

  it('checked as many names as each property is configured to run', () => {
    expect(checked).toEqual(RUNS);
  });
});

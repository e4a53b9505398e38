import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CARRY, TextStream } from '../../../../shared/validation/ooxml/text-stream.ts';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { Report } from '../../../../shared/validation/report.ts';

/**
 * The byte-level search under the streamed part checks: whatever the pieces inflating happens to
 * cut a part into, the items (a `<` and its text up to the next `<`) holding a wanted word are
 * handed on whole, once, in order; a word split across two pieces is the classic miss.
 */

const WORDS = ['instr', 'fldChar', '|', '&#'];

/** What the stream must hand on, computed from the whole text at once. */
function expected(text: string, words: readonly string[]): string[] {
  const items: string[] = [];
  let start = 0;
  for (let lt = text.indexOf('<', 1); lt !== -1; lt = text.indexOf('<', lt + 1)) {
    items.push(text.slice(start, lt));
    start = lt;
  }
  items.push(text.slice(start));
  return items.filter((item) => words.some((w) => item.includes(w)));
}

/** The items handed on, each checked to stand at the offset the stream gives it. */
function streamed(pieces: readonly Buffer[], words: readonly string[]): string[] {
  const whole = Buffer.concat(pieces).toString('latin1');
  const seen: string[] = [];
  const stream = new TextStream(
    (text, at) => {
      expect(whole.slice(at, at + text.length), `offset ${at}`).toBe(text);
      seen.push(text);
    },
    words.map((w) => Buffer.from(w)),
  );
  for (const piece of pieces) stream.write(piece);
  stream.end();
  return seen;
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Buffer, at: readonly number[]): Buffer[] {
  const points = [...new Set(at)].filter((p) => p > 0 && p < bytes.length).sort((a, b) => a - b);
  return [0, ...points].map((from, i) => bytes.subarray(from, points[i] ?? bytes.length));
}

const FIELD =
  '<w:p><w:r><w:t>仅供 instr 说明</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>' +
  '<w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\\\windows </w:instrText></w:r>' +
  '<c r="C1"><f>cmd|\' /c calc\'!A0</f><v>0</v></c><c><f>x&#124;y!A1</f></c></w:p>';

describe('TextStream', () => {
  it('hands on the same items whatever two pieces the text is cut into, at every byte', () => {
    const bytes = Buffer.from(FIELD);
    const whole = expected(bytes.toString('latin1'), WORDS);
    expect(whole.length).toBeGreaterThan(4);
    for (let at = 1; at < bytes.length; at++) {
      expect(streamed(cut(bytes, [at]), WORDS), `cut at ${at}`).toEqual(whole);
    }
  });

  it('finds every word in one-byte pieces', () => {
    const bytes = Buffer.from(FIELD);
    const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(streamed(pieces, WORDS)).toEqual(expected(bytes.toString('latin1'), WORDS));
  });

  it('hands on the same items, each with its offset in the part, for any markup cut into any pieces', () => {
    const token = fc.constantFrom(
      '<',
      '>',
      'a',
      ' ',
      '/',
      '"',
      'in',
      'str',
      'instr',
      'fld',
      'Char',
      '|',
      '&',
      '#',
      '中',
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 120 }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 12 }),
        (tokens, cuts) => {
          const bytes = Buffer.from(tokens.join(''));
          expect(streamed(cut(bytes, cuts), WORDS)).toEqual(expected(bytes.toString('latin1'), WORDS));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives the pieces of an item over the carry their own offsets', () => {
    const bytes = Buffer.from(`<a>x</a><f ${'|'.repeat(3 * MAX_CARRY)}/><b>|</b>`);
    const pieces = Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, i) =>
      bytes.subarray(i * 1000, i * 1000 + 1000),
    );
    const seen = streamed(pieces, ['|']);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen[0]?.startsWith('<f ||')).toBe(true);
    expect(seen.at(-1)).toBe('<b>|');
  });

  it('never turns an item without a wanted word into text', () => {
    expect(streamed([Buffer.from('<a>instruction</a><b>plain</b>')], ['instr'])).toEqual(['<a>instruction']);
    expect(streamed([Buffer.from('<a>plain</a>')], ['instr'])).toEqual([]);
  });

  it('hands a word on once for an item that holds it twice, or holds two words', () => {
    expect(streamed([Buffer.from('<f>a|b|c</f>'), Buffer.from('<f>&#124;|</f>')], WORDS)).toEqual([
      '<f>a|b|c',
      '<f>&#124;|',
    ]);
  });
});

describe('streamed part checks across pieces', () => {
  const judge = (name: string, text: string, at: number) => {
    const report = new Report();
    const check = partCheckFor(name, new PackageInspection(report));
    for (const piece of cut(Buffer.from(text), [at])) check.write(piece);
    check.end();
    return report.findings.map((f) => f.code);
  };

  it('finds a DDE field and a DDE formula wherever the output is cut', () => {
    const field =
      '<w:document><w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DDE' +
      '</w:instrText></w:r><w:r><w:instrText>AUTO cmd</w:instrText></w:r></w:p></w:body></w:document>';
    const formula =
      "<worksheet><sheetData><row><c><f>SUM(A1)</f></c><c><f>cmd|'/c calc'!A0</f></c></row></sheetData></worksheet>";
    for (let at = 1; at < field.length; at++)
      expect(judge('word/document.xml', field, at), `field cut at ${at}`).toEqual(['OOXML_DDE']);
    for (let at = 1; at < formula.length; at++) {
      expect(judge('xl/worksheets/sheet1.xml', formula, at), `formula cut at ${at}`).toEqual(['OOXML_DDE']);
    }
  });

  it('finds an OFD action split between pieces', () => {
    const page =
      '<ofd:Page><ofd:Actions><ofd:Action Event="DO"><ofd:URI URI="http://x.example/"/></ofd:Action></ofd:Actions></ofd:Page>';
    for (let at = 1; at < page.length; at++) {
      expect(judge('Doc_0/Pages/Page_0/Content.xml', page, at), `cut at ${at}`).toEqual(['OFD_ACTION']);
    }
  });
});

describe('items a check asks for', () => {
  it('hands on the items after one until the check stops asking, whatever the pieces', () => {
    const text = '<c t="str"><f>A9</f><v>ms-msdt:-id x</v></c><c><v>1</v></c><c t="str"><v>y</v></c>';
    // Asked for from a `str` cell's tag to its `</c>`: what the formula check follows.
    const want = [
      '<c t="str">',
      '<f>A9',
      '</f>',
      '<v>ms-msdt:-id x',
      '</v>',
      '</c>',
      '<c t="str">',
      '<v>y',
      '</v>',
      '</c>',
    ];
    for (let size = 1; size <= text.length; size++) {
      const bytes = Buffer.from(text);
      const pieces = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
        bytes.subarray(i * size, (i + 1) * size),
      );
      const seen: string[] = [];
      const stream = new TextStream(
        (item) => {
          seen.push(item);
          return item !== '</c>';
        },
        [Buffer.from('str')],
      );
      for (const piece of pieces) stream.write(piece);
      stream.end();
      expect(seen, `pieces of ${size}`).toEqual(want);
    }
  });
});

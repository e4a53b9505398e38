import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarkupText } from '../../../../shared/validation/ooxml/markup-text.ts';
import { MAX_CARRY, TextStream } from '../../../../shared/validation/ooxml/text-stream.ts';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { Report } from '../../../../shared/validation/report.ts';

/**
 * CDATA sections, comments and processing instructions are resolved before the DDE checks read a
 * part, whatever pieces inflating cuts it into; and a formula or instruction too long to be read
 * whole is refused rather than read in pieces.
 */

/** The resolution computed from the whole text at once, the simple way. */
function resolved(text: string): string {
  return text.replace(
    /<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<\?[\s\S]*?(?:\?>|$)/g,
    (_whole, cdata: string | undefined) => (cdata ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;'),
  );
}

function streamed(pieces: readonly Buffer[]): string {
  const out: Buffer[] = [];
  const markup = new MarkupText((piece) => out.push(Buffer.from(piece)));
  for (const piece of pieces) markup.write(piece);
  markup.end();
  return Buffer.concat(out).toString('latin1');
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Buffer, at: readonly number[]): Buffer[] {
  const points = [...new Set(at)].filter((p) => p > 0 && p < bytes.length).sort((a, b) => a - b);
  return [0, ...points].map((from, i) => bytes.subarray(from, points[i] ?? bytes.length));
}

const MARKUP =
  '<?xml version="1.0"?><c><f>cmd<![CDATA[|<x>&]]>\' /c calc\'!A0</f><!-- a <note> -->' +
  '<w:instrText><![CDATA[ DDEAUTO 中 ]]></w:instrText><!DOCTYPE x><?pi ?></c>';

describe('MarkupText', () => {
  it('resolves the same text whatever two pieces the part is cut into, at every byte', () => {
    const bytes = Buffer.from(MARKUP);
    const whole = resolved(bytes.toString('latin1'));
    expect(whole).toContain("<f>cmd|&lt;x>&amp;' /c calc'!A0</f>");
    expect(whole).not.toContain('note');
    for (let at = 1; at < bytes.length; at++) expect(streamed(cut(bytes, [at])), `cut at ${at}`).toBe(whole);
  });

  it('resolves the same text in one-byte pieces', () => {
    const bytes = Buffer.from(MARKUP);
    const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(streamed(pieces)).toBe(resolved(bytes.toString('latin1')));
  });

  it('resolves any markup cut into any pieces as the whole text resolves', () => {
    const token = fc.constantFrom(
      '<',
      '>',
      '!',
      '?',
      '[',
      ']',
      '-',
      'CDATA',
      '<![CDATA[',
      ']]>',
      '<!--',
      '-->',
      '&',
      'a',
      '中',
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 80 }),
        fc.array(fc.nat({ max: 300 }), { maxLength: 12 }),
        (tokens, cuts) => {
          const bytes = Buffer.from(tokens.join(''));
          expect(streamed(cut(bytes, cuts))).toBe(resolved(bytes.toString('latin1')));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('passes a part without such constructs on as it came, piece by piece', () => {
    const pieces = [Buffer.from('<c><f>SUM(A1)</f>'), Buffer.from('</c>')];
    const seen: Buffer[] = [];
    const markup = new MarkupText((piece) => seen.push(piece));
    for (const piece of pieces) markup.write(piece);
    markup.end();
    expect(seen.map((piece) => piece.toString())).toEqual(['<c><f>SUM(A1)</f>', '</c>']);
  });
  it('hands on what one piece resolves to as one write, however many constructs it holds', () => {
    const seen: string[] = [];
    const markup = new MarkupText((piece) => seen.push(piece.toString('latin1')));
    markup.write(Buffer.from(`<f>${'<![CDATA[a]]><!---->'.repeat(1000)}</f>`));
    markup.end();
    expect(seen).toEqual([`<f>${'a'.repeat(1000)}</f>`]);
  });
});

describe('TextStream: items longer than its window', () => {
  it('tells the head of an item cut into pieces once, and nothing for items read whole', () => {
    const heads: string[] = [];
    const stream = new TextStream(
      () => {},
      [Buffer.from('|')],
      (head) => heads.push(head),
    );
    const body = ' '.repeat(MAX_CARRY);
    for (const piece of ['<a>short</a><f r="1">', body, body, body, '|</f><b>x</b>']) stream.write(Buffer.from(piece));
    stream.end();
    expect(heads).toHaveLength(1);
    expect(heads[0]?.startsWith('<f r="1">')).toBe(true);
  });
});

describe('DDE checks at chunk seams', () => {
  const judge = (name: string, text: string, cuts: readonly number[]) => {
    const report = new Report();
    const check = partCheckFor(name, new PackageInspection(report));
    for (const piece of cut(Buffer.from(text), cuts)) check.write(piece);
    check.end();
    return report.findings.map((f) => f.code);
  };
  const sheet = (formula: string) =>
    `<?xml version="1.0"?><worksheet><sheetData><row><c><f>SUM(A1)</f></c><c><f>${formula}</f></c></row></sheetData></worksheet>`;
  const doc = (instruction: string) =>
    '<w:document><w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>' +
    `${instruction}</w:instrText></w:r></w:p></w:body></w:document>`;
  const everyCut = (text: string) => Array.from({ length: text.length - 1 }, (_, i) => i + 1);

  it.each([
    ['a formula in CDATA', 'xl/worksheets/sheet1.xml', sheet("<![CDATA[cmd|' /c calc'!A0]]>")],
    ['a pipe alone in CDATA', 'xl/worksheets/sheet1.xml', sheet("cmd<![CDATA[|]]>' /c calc'!A0")],
    ['a formula split by a comment', 'xl/worksheets/sheet1.xml', sheet("cmd<!-- x -->|' /c calc'!A0")],
    ['a hex pipe with leading zeros', 'xl/worksheets/sheet1.xml', sheet("cmd&#x0007C;' /c calc'!A0")],
    ['a quote written as a reference', 'xl/worksheets/sheet1.xml', sheet("&#34;a&#x22;&amp;cmd|'/c calc'!A0")],
    ['a field in CDATA', 'word/document.xml', doc('<![CDATA[ DDEAUTO c:\\x.exe ]]>')],
    ['a field named by references', 'word/document.xml', doc(' &#x44;DE&#65;UTO c:\\x.exe ')],
    ['a field name split by a comment', 'word/document.xml', doc(' DD<!-- x -->EAUTO c:\\x.exe ')],
  ])('finds %s wherever the output is cut', (_what, name, text) => {
    for (const at of everyCut(text)) expect(judge(name, text, [at]), `cut at ${at}`).toEqual(['OOXML_DDE']);
  });

  it('keeps a pipe inside a quoted string VALID, in CDATA or as references, wherever cut', () => {
    for (const formula of ['<![CDATA[CONCATENATE("a|b",A2)]]>', 'CONCATENATE(&#34;a&#124;b&quot;,A2)']) {
      const text = sheet(formula);
      for (const at of everyCut(text))
        expect(judge('xl/worksheets/sheet1.xml', text, [at]), `cut at ${at}`).toEqual([]);
    }
  });

  it('refuses a formula or instruction whose text outruns the window, at any seam', () => {
    const spaces = ' '.repeat(3 * MAX_CARRY);
    const formula = sheet(`${spaces}cmd|' /c calc'!A0`);
    const field = doc(`${spaces}DDEAUTO c:\\x.exe`);
    for (const shift of [0, 1, 7, 1000]) {
      const seams = [1, 2, 3, 4].map((n) => n * MAX_CARRY + shift);
      expect(judge('xl/worksheets/sheet1.xml', formula, seams)).toEqual(['OOXML_UNREADABLE']);
      expect(judge('word/document.xml', field, seams)).toEqual(['OOXML_UNREADABLE']);
    }
  });

  it('keeps long ordinary text VALID: a long cell value or paragraph is not an instruction', () => {
    const long = 'x|'.repeat(2 * MAX_CARRY);
    const seams = [1, 2, 3, 4].map((n) => n * MAX_CARRY);
    const cell = `<worksheet><sheetData><row><c t="inlineStr"><is><t>${long}</t></is></c></row></sheetData></worksheet>`;
    const paragraph = `<w:document><w:body><w:p><w:r><w:t>instr ${long}</w:t></w:r></w:p></w:body></w:document>`;
    expect(judge('xl/worksheets/sheet1.xml', cell, seams)).toEqual([]);
    expect(judge('word/document.xml', paragraph, seams)).toEqual([]);
  });
});

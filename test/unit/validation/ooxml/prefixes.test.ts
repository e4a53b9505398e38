import { describe, expect, it } from 'vitest';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { Report } from '../../../../shared/validation/report.ts';

/**
 * A namespace prefix is any XML name (round 13): Word and Excel resolve `文:` to their namespace
 * as they resolve `w:`, so the checks find elements under a prefix beyond ASCII too. The part's
 * UTF-8 bytes reach the check in pieces, read a byte a character.
 */
function codes(part: string, text: string, piece: number): string[] {
  const report = new Report();
  const check = partCheckFor(part, new PackageInspection(report));
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += piece) check.write(bytes.subarray(at, at + piece));
  check.end();
  return report.findings.map((f) => f.code);
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const document = (p: string, instruction: string) =>
  `<${p}:document xmlns:${p}="${W}"><${p}:body><${p}:p><${p}:r><${p}:fldChar ${p}:fldCharType="begin"/></${p}:r><${p}:r><${p}:instrText>${instruction}</${p}:instrText></${p}:r><${p}:r><${p}:fldChar ${p}:fldCharType="end"/></${p}:r></${p}:p></${p}:body></${p}:document>`;
const sheet = (p: string, formula: string) =>
  `<${p}:worksheet xmlns:${p}="${S}"><${p}:sheetData><${p}:row r="1"><${p}:c r="A1"><${p}:f>${formula}</${p}:f></${p}:c></${p}:row></${p}:sheetData></${p}:worksheet>`;

describe('elements under a prefix beyond ASCII', () => {
  it.each(['文', 'wé', 'ns·1'])('reads a field under `%s:`, in any piece size', (prefix) => {
    for (const piece of [1, 5, 64 * 1024]) {
      expect(codes('word/document.xml', document(prefix, ' DDEAUTO c:\\x.exe "a" '), piece)).toEqual(['OOXML_DDE']);
      expect(codes('word/document.xml', document(prefix, ' PAGE '), piece)).toEqual([]);
    }
  });

  it('reads a simple field’s instructions under a Chinese prefix', () => {
    const text = `<文:document xmlns:文="${W}"><文:body><文:p><文:fldSimple 文:instr=" DDEAUTO c:\\x.exe &quot;a&quot; "/></文:p></文:body></文:document>`;
    expect(codes('word/document.xml', text, 64 * 1024)).toEqual(['OOXML_DDE']);
  });

  it.each([1, 7, 64 * 1024])('reads a formula under a Chinese prefix in pieces of %i', (piece) => {
    expect(codes('xl/worksheets/sheet1.xml', sheet('表', "cmd|' /c calc'!A0"), piece)).toEqual(['OOXML_DDE']);
    expect(codes('xl/worksheets/sheet1.xml', sheet('表', '_xlfn.WEBSERVICE("http://a.example/")'), piece)).toEqual([
      'OOXML_EXTERNAL',
    ]);
    expect(codes('xl/worksheets/sheet1.xml', sheet('表', 'SUM(B1:B9)&amp;"|"'), piece)).toEqual([]);
  });

  // A prefix past the 256 bytes a long item's head shows, and an instruction or formula padded past
  // the 64 KiB window: the head held no local name, and the check read the rest without its tag.
  it.each(['a'.repeat(300), '文'.repeat(100), 'a'.repeat(70_000)])(
    'refuses a long instruction or formula under a prefix of %#',
    (prefix) => {
      const pad = ' '.repeat(70_000);
      for (const piece of [7, 64 * 1024 - 1]) {
        expect(codes('word/document.xml', document(prefix, `${pad} DDEAUTO c:\\x.exe "a" `), piece)).not.toEqual([]);
        expect(codes('xl/worksheets/sheet1.xml', sheet(prefix, `${pad}cmd|' /c calc'!A0`), piece)).not.toEqual([]);
      }
    },
  );

  it('leaves long text whose tag is short', () => {
    const text = `<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>${'a'.repeat(70_000)}</w:t></w:r></w:p></w:body></w:document>`;
    for (const piece of [7, 64 * 1024]) expect(codes('word/document.xml', text, piece)).toEqual([]);
  });
});

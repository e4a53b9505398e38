import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codes, inspect } from '../helpers.ts';

/**
 * DOCX and XLSX written by LibreOffice from Chinese documents and workbooks (fields, notes,
 * pictures, charts, comments, tracked changes, form fields, formulas, pivot tables…), committed in
 * test/fixtures/genuine-office with how each was made: each one VALID, however it is chunked,
 * with exactly its web links as warnings. A refusal here is a false refusal of evidence officials
 * upload.
 */

const FOLDER = join(import.meta.dirname, '../../../fixtures/genuine-office');
const FILES = readdirSync(FOLDER).filter((name) => /\.(docx|xlsx)$/.test(name));
/** How many web links (a web address, a mailto, a HYPERLINK formula) each file has: warnings. */
const LINKS: Record<string, number> = {
  'writer-text.docx': 2,
  'writer-text-ooxml-filter.docx': 2,
  'writer-text-roundtrip.docx': 2,
  'writer-fields-captions.docx': 3,
  'writer-header-picture-links.docx': 2,
  'calc-formulas.xlsx': 2,
  'calc-formulas-ooxml-filter.xlsx': 2,
  'calc-formulas-roundtrip.xlsx': 2,
  'calc-internal-links-hidden-sheet.xlsx': 1,
  'calc-shapes-picture-link-mailto.xlsx': 2,
};
/**
 * Refused, and rightly by the rules' choice: LibreOffice's own form controls, which it writes as
 * ActiveX (Word instantiates a control as the document opens), and an embedded spreadsheet
 * (an OLE object holding an `.xlsx`: every embedded package but a chart's data is refused).
 */
const REFUSED = new Map([
  ['writer-form-controls-activex.docx', ['OOXML_EMBEDDED_OBJECT']],
  ['writer-embedded-sheet-ole.docx', ['OOXML_EMBEDDED_OBJECT']],
]);

describe('genuine Office files from LibreOffice', () => {
  it('has every file described in the folder’s README', () => {
    const readme = readFileSync(join(FOLDER, 'README.md'), 'utf8');
    expect(FILES.length).toBeGreaterThanOrEqual(20);
    for (const name of FILES) expect(readme).toContain(`| ${name} |`);
  });

  it.each(FILES.filter((name) => !REFUSED.has(name)))('accepts %s, in 64 KiB and in 7-byte chunks', async (name) => {
    const bytes = readFileSync(join(FOLDER, name));
    const type = name.endsWith('.xlsx') ? 'xlsx' : 'docx';
    for (const chunk of [64 * 1024, 7]) {
      const result = await inspect(bytes, type, { chunk });
      expect(codes(result)).toEqual([]);
      expect(result.warnings.map((w) => w.code)).toEqual(Array(LINKS[name] ?? 0).fill('EXTERNAL_LINK'));
    }
  });

  it.each([...REFUSED])('refuses %s, an active object', async (name, expected) => {
    const result = await inspect(readFileSync(join(FOLDER, name)), 'docx');
    expect(codes(result)).toEqual(expected);
  });
});

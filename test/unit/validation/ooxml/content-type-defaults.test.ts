import { describe, expect, it } from 'vitest';
import { complexField, story, typedByXmlDefault as typedByDefault } from '../../../fixtures/active-office.ts';
import { codes, inspect } from '../helpers.ts';

/**
 * `<Default Extension="xml">` giving the main document's type, as a writer following the Open
 * Packaging Conventions' steps for adding a part writes it when the main part comes first (.NET's
 * System.IO.Packaging; POI's 55733.docx, Bug60341.docx, 59021.xlsx, 65016.xlsx, bug66675.xlsx):
 * every other XML part then has an Override. Accepted while every part the Default types is read as
 * that type asks (shared/validation/ooxml/content-types.ts `PartExtensions`); a part typed so
 * that no check reads as such (outside `word/`, Excel's styles, the core properties) is refused.
 */

const unreadable = async (file: Promise<Buffer>, kind: 'docx' | 'xlsx') => {
  for (const chunk of [64 * 1024, 7]) {
    const result = await inspect(await file, kind, { chunk });
    expect(codes(result)).toEqual(['OOXML_UNREADABLE']);
    expect(String(result.findings[0]?.detail?.part)).toMatch(/^\[Content_Types\]\.xml: \*\.xml \(/);
  }
};

describe('a Default typing .xml as the main document', () => {
  it.each(['docx', 'xlsx'] as const)('accepts a %s whose other XML parts have Overrides', async (kind) => {
    for (const typesLast of [false, true]) {
      for (const chunk of [64 * 1024, 7]) {
        expect(codes(await inspect(await typedByDefault(kind, { typesLast }), kind, { chunk }))).toEqual([]);
      }
    }
  });

  it('accepts a document whose styles are typed by it too (read for fields as every Word part is)', async () => {
    expect(codes(await inspect(await typedByDefault('docx', { untyped: ['word/styles.xml'] }), 'docx'))).toEqual([]);
  });

  it('still reads the main document so typed for fields', async () => {
    const document = story('document', complexField(' DDEAUTO c:\\\\x.exe "a" '));
    expect(codes(await inspect(await typedByDefault('docx', { document }), 'docx'))).toEqual(['OOXML_DDE']);
  });

  it.each([false, true])(
    'refuses a part outside word/ it types as the main document (content types last: %s)',
    async (typesLast) => {
      const hidden = { name: 'other/body.xml', data: story('document', '') };
      await unreadable(typedByDefault('docx', { add: [hidden], typesLast }), 'docx');
    },
  );

  it('refuses a custom XML part it types as the main document', async () => {
    await unreadable(typedByDefault('docx', { add: [{ name: 'customXml/item1.xml', data: '<a/>' }] }), 'docx');
  });

  it.each(['xl/styles.xml', 'docProps/core.xml'])(
    'refuses a workbook whose %s it types as the workbook (a part not read for formulas)',
    async (part) => {
      await unreadable(typedByDefault('xlsx', { untyped: [part] }), 'xlsx');
      await unreadable(typedByDefault('xlsx', { untyped: [part], typesLast: true }), 'xlsx');
    },
  );
});

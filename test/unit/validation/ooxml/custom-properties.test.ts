import { describe, expect, it } from 'vitest';
import {
  CUSTOM_PROPERTY_PART as PART,
  CUSTOM_PROPERTY_TYPE as PROPERTY_TYPE,
  type CustomPropertyShape as Shape,
  SMART_VIEW_SETTINGS as SMART_VIEW,
  rel,
  rels,
  workbookWithProperty,
} from '../../../fixtures/active-office.ts';
import { buildZip, xlsxEntries } from '../../../fixtures/files.ts';
import { codes, inspect } from '../helpers.ts';

/**
 * A worksheet's custom property whose value is a binary part (`xl/customProperty1.bin`), as Excel
 * writes one for an add-in; Hyperion Smart View's is XML in UTF-16 without a byte-order mark.
 * Accepted when its content type and the relationship that reaches it both say custom property
 * (shared/validation/ooxml/custom-properties.ts); UTF-16 markup anything else says it is, refused.
 */

describe('a worksheet custom property’s binary part', () => {
  it.each([
    ['typed by a Default, after the content types', {}],
    ['typed by a Default, before the content types and relationships', { partFirst: true }],
    [
      'typed by an Override',
      { types: `<Override PartName="/xl/customProperty1.bin" ContentType="${PROPERTY_TYPE}"/>` },
    ],
    ['with a UTF-16 byte-order mark', { data: Buffer.concat([Buffer.from([0xff, 0xfe]), SMART_VIEW]) }],
    ['holding bytes that are not markup', { data: Buffer.from([1, 0, 0, 0, 0x41, 0, 0x42, 0]) }],
    // Round 18: a fragment is dropped as a reader drops it, not read as the part it names.
    [
      'beside a sheet reached through a fragment naming it',
      { workbookRels: rel('rId9', 'worksheet', 'worksheets/sheet1.xml#customProperty1.bin') },
    ],
  ] as Array<[string, Shape]>)('accepts UTF-16 settings %s', async (_, shape) => {
    for (const chunk of [64 * 1024, 7]) {
      expect(codes(await inspect(await workbookWithProperty(shape), 'xlsx', { chunk }))).toEqual([]);
    }
  });

  it.each([
    ['reached by no relationship', { sheetRels: rels() }],
    ['reached by a relationship of another type', { sheetRels: rels(rel('rId1', 'image', '../customProperty1.bin')) }],
    [
      'reached also as a worksheet from the workbook',
      { workbookRels: rel('rId9', 'worksheet', 'customProperty1.bin'), partFirst: true },
    ],
    // Round 18: reached as a worksheet through a target a lenient reader resolves to the part.
    ...['customProperty1.bin#x', 'customProperty1.bin?x', '%2Fxl%2FcustomProperty1.bin'].map(
      (target): [string, Shape] => [
        `reached as a worksheet by ${target}`,
        { workbookRels: rel('rId9', 'worksheet', target) },
      ],
    ),
    [
      'typed as printer settings',
      {
        types: `<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/>`,
      },
    ],
    ['not typed at all', { types: '' }],
    [
      'typed as a custom property by its extension but otherwise by its Override',
      {
        types: `<Default Extension="bin" ContentType="${PROPERTY_TYPE}"/><Override PartName="/xl/customProperty1.bin" ContentType="application/octet-stream"/>`,
      },
    ],
  ] as Array<[string, Shape]>)('refuses UTF-16 markup %s (OOXML_UNREADABLE)', async (_, shape) => {
    for (const chunk of [64 * 1024, 7]) {
      const result = await inspect(await workbookWithProperty(shape), 'xlsx', { chunk });
      expect(result.findings.map((f) => [f.code, f.detail])).toContainEqual(['OOXML_UNREADABLE', { part: PART }]);
    }
  });

  it('still reads UTF-8 markup in a part typed and reached as a custom property for formulas', async () => {
    const sheet = `<worksheet><sheetData><row r="1"><c r="A1"><f>cmd|' /c calc'!A0</f></c></row></sheetData></worksheet>`;
    expect(codes(await inspect(await workbookWithProperty({ data: sheet }), 'xlsx'))).toEqual(['OOXML_DDE']);
  });

  it('still refuses UTF-16 markup in Word’s folder, where no custom property is', async () => {
    const entries = [...xlsxEntries(), { name: 'word/settings.bin', data: SMART_VIEW }];
    expect(codes(await inspect(await buildZip(entries), 'xlsx'))).toEqual(['OOXML_UNREADABLE']);
  });
});

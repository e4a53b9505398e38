import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FileType } from '../../../shared/schemas/common.ts';
import { buildZip, docxEntries, ofdEntries } from '../../fixtures/files.ts';
import { extraField, type RawEntry, rawEntries, rawZip, zip64Extra } from '../../fixtures/raw-zip.ts';
import { codes, inspect } from './helpers.ts';

/**
 * Zip64 records (round 17): accepted where every value they give is the real one and every
 * reader reads the same archive; refused where a zip64 value and a 32-bit one could be read apart.
 */

const FOLDER = join(import.meta.dirname, '../../fixtures/genuine-zip64');
const GENUINE = readdirSync(FOLDER).filter((name) => /\.(ofd|docx|xlsx)$/.test(name));

describe('genuine zip64 files (test/fixtures/genuine-zip64)', () => {
  it('has each writer’s files for OFD, DOCX and XLSX', () => expect(GENUINE).toHaveLength(12));

  it.each(GENUINE)('%s is VALID however chunked', async (name) => {
    const bytes = readFileSync(join(FOLDER, name));
    const type = name.slice(name.lastIndexOf('.') + 1) as FileType;
    for (const chunk of [7, 64 * 1024]) {
      const result = await inspect(bytes, type, { chunk });
      expect(result.findings, `chunks of ${chunk}`).toEqual([]);
      expect(result.detectedType).toBe(type);
    }
  });

  it('accepts the zip64 records our zip writer forces', async () => {
    const file = await buildZip(docxEntries({ extra: [{ name: 'a.txt', data: 'x', zip64: true }] }));
    expect(codes(await inspect(file, 'docx'))).toEqual([]);
  });
});

const DATA = '<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="http://www.ofdspec.org/2016"/>';
/** The genuine OFD's entries, and one more written as `entry` says. */
const withEntry = (entry: Partial<RawEntry>, opts: Parameters<typeof rawZip>[1] = {}) =>
  rawZip([...rawEntries(ofdEntries()), { name: 'Doc_0/Res.xml', data: DATA, method: 0, ...entry }], opts);
const SIZE = Buffer.byteLength(DATA);
const ALL = 0xffffffff;

describe('zip64 records that readers could read apart', () => {
  it('accepts the records written truly, as the refusals’ twin', async () => {
    const entries = rawEntries(ofdEntries());
    const file = withEntry(
      {
        local: { size: ALL, compressedSize: ALL },
        localExtra: zip64Extra(SIZE, SIZE),
        centralFields: { size: ALL, compressedSize: ALL },
        centralExtra: zip64Extra(SIZE, SIZE),
      },
      { zip64End: { marks: true } },
    );
    expect(entries.length).toBeGreaterThan(0);
    for (const chunk of [1, 64 * 1024]) expect(codes(await inspect(file, 'ofd', { chunk }))).toEqual([]);
  });

  it.each([
    ['a local zip64 size that disagrees with a 32-bit size not all ones', { localExtra: zip64Extra(SIZE + 100, SIZE) }],
    [
      'a local zip64 field holding one size',
      { local: { size: ALL, compressedSize: SIZE }, localExtra: extraField(1, Buffer.alloc(8, 0)) },
    ],
    [
      'two local zip64 fields',
      {
        local: { size: ALL, compressedSize: ALL },
        localExtra: Buffer.concat([zip64Extra(SIZE, SIZE), zip64Extra(SIZE + 1, SIZE + 1)]),
      },
    ],
    ['a local size of all ones without a zip64 field', { local: { size: ALL, compressedSize: ALL } }],
    ['a central size of all ones without a zip64 field', { centralFields: { size: ALL } }],
    ['a central zip64 field beside no value of all ones', { centralExtra: zip64Extra(SIZE + 100) }],
    [
      'a central zip64 size that is not the real one',
      { centralFields: { size: ALL }, centralExtra: zip64Extra(SIZE + 1) },
    ],
    [
      'a central zip64 offset pointing at another header',
      { centralFields: { offset: ALL }, centralExtra: zip64Extra(0) },
    ],
    [
      'a central disk number of all ones',
      { centralFields: { disk: 0xffff }, centralExtra: extraField(1, Buffer.alloc(4)) },
    ],
    [
      'a central zip64 field with a disk number that is not 0',
      {
        centralFields: { size: ALL },
        centralExtra: extraField(1, Buffer.concat([zip64Extra(SIZE).subarray(4), Buffer.from([1, 0, 0, 0])])),
      },
    ],
  ] as [string, Partial<RawEntry>][])('refuses %s as ZIP_MALFORMED', async (_, entry) => {
    const result = await inspect(withEntry(entry), 'ofd');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
  });

  it.each([
    ['counting another number of entries', { entries: 3 }],
    ['giving another directory size', { size: 1 }],
    ['giving another directory offset', { offset: 0 }],
    ['whose locator points elsewhere', { locator: (at: number) => at - 1 }],
    ['without its locator', { locatorMissing: true }],
  ])('refuses a zip64 end record %s as ZIP_MALFORMED', async (_, zip64End) => {
    const result = await inspect(withEntry({}, { zip64End }), 'ofd');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
  });

  it('refuses an end record marking zip64 values without a zip64 end record', async () => {
    const file = Buffer.from(withEntry({}));
    file.writeUInt32LE(ALL, file.length - 22 + 16); // the directory's offset
    expect(codes(await inspect(file, 'ofd'))).toEqual(['ZIP_MALFORMED']);
  });

  it('refuses a zip64 end record before the central directory ends, and a stray locator', async () => {
    const plain = withEntry({});
    const end = plain.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    const stray = Buffer.concat([
      plain.subarray(0, end),
      Buffer.from('PK\x06\x07', 'latin1'),
      Buffer.alloc(16),
      plain.subarray(end),
    ]);
    expect(codes(await inspect(stray, 'ofd'))).toEqual(['ZIP_MALFORMED']);
  });

  it('reads a local zip64 field of zeros beside real sizes as those sizes, in a deflated entry', async () => {
    // Writers that reserve the field before the sizes are known leave it so; readers take the 32-bit sizes.
    const reserved = { localExtra: zip64Extra(0, 0) };
    for (const chunk of [1, 64 * 1024]) {
      expect(codes(await inspect(withEntry({ ...reserved, method: 8 }), 'ofd', { chunk }))).toEqual([]);
    }
    // Stored, a reader taking the zeros would look for the next header in the entry's own data.
    expect(codes(await inspect(withEntry(reserved), 'ofd'))).toEqual(['ZIP_MALFORMED']);
    // Zeros beside an all-ones size are no reserve: that size is 0, not the data's.
    const marked = { ...reserved, method: 8, local: { size: ALL } };
    expect(codes(await inspect(withEntry(marked), 'ofd'))).toEqual(['ZIP_MALFORMED']);
  });

  it('refuses a local header marking one size all ones and not the other (round 18)', async () => {
    // Info-ZIP and Java read a local zip64 field by position, libarchive and 7-Zip by the marks:
    // with the compressed size marked alone, libarchive takes the first value (the uncompressed
    // size) for it and its streaming reader looks for the next header that far on.
    const compressed = deflateRawSync(DATA).length;
    const deflated = { method: 8, localExtra: zip64Extra(SIZE, compressed) };
    expect(compressed).not.toBe(SIZE);
    for (const local of [{ compressedSize: ALL }, { size: ALL }]) {
      expect(codes(await inspect(withEntry({ ...deflated, local }), 'ofd'))).toEqual(['ZIP_MALFORMED']);
    }
    // Both marked, as every writer marks them, every reader reads the field alike.
    const both = { ...deflated, local: { size: ALL, compressedSize: ALL } };
    for (const chunk of [1, 64 * 1024]) expect(codes(await inspect(withEntry(both), 'ofd', { chunk }))).toEqual([]);
  });

  it('leaves a zip64 entry with a data descriptor unsupported', async () => {
    const file = withEntry({ descriptor: true, localExtra: zip64Extra(0, 0) });
    expect(codes(await inspect(file, 'ofd'))).toEqual(['ZIP_UNSUPPORTED']);
  });
});

describe('zip64 in DOCX as in OFD', () => {
  it('refuses a DOCX whose zip64 end record counts another number of entries', async () => {
    const file = rawZip(rawEntries(docxEntries()), { zip64End: { entries: 1 } });
    expect(codes(await inspect(file, 'docx'))).toEqual(['ZIP_MALFORMED']);
    expect(codes(await inspect(rawZip(rawEntries(docxEntries()), { zip64End: {} }), 'docx'))).toEqual([]);
  });
});

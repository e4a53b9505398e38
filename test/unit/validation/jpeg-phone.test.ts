import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildZip, handmadePdf, jpeg } from '../../fixtures/files.ts';
import {
  googleMotionPhoto,
  isoBmff,
  type MpEntry,
  MP_PREVIEW_VGA,
  MP_PRIMARY,
  SAMSUNG_STILL_BLOCKS,
  samsungTrailer,
  ultraHdr,
  withMpf,
} from '../../fixtures/phone-photos.ts';
import { codes, inspect } from './helpers.ts';

/**
 * What phones write after a JPEG's EOI (built by test/fixtures/phone-photos.ts from JPEGs that
 * ImageMagick and libjpeg-turbo wrote, test/fixtures/genuine-images), accepted strictly, and the
 * look-alikes that hide bytes the same way, refused.
 */

const FOLDER = join(import.meta.dirname, '../../fixtures/genuine-images');
const real = (name: string) => readFileSync(join(FOLDER, name));
const primary = () => real('im-baseline.jpg');
const gainMap = () => real('im-gray.jpg');
const ascii = (text: string) => Buffer.from(text, 'latin1');
const CHUNKS = [64 * 1024, 7, 1];

/** Moves MP Entry `index`'s offset and size by the amounts given: the index then lies. */
function change(index: number, by: { offset?: number; size?: number }) {
  return (entries: MpEntry[]) => {
    const entry = entries[index];
    if (!entry) throw new Error(`no MP Entry ${index}`);
    entry.offset += by.offset ?? 0;
    entry.size += by.size ?? 0;
  };
}

async function findings(file: Buffer): Promise<string[][]> {
  const all: string[][] = [];
  for (const chunk of CHUNKS) all.push(codes(await inspect(file, 'jpeg', { chunk, reuse: true })));
  return all;
}

describe('JPEG from phones: Multi-Picture Format', () => {
  it.each([
    ['Ultra HDR (primary and gain map)', () => ultraHdr(primary(), gainMap())],
    ['a big-endian index of three images', () => withMpf(real('cjpeg-baseline.jpg'), [real('im-444.jpg'), gainMap()])],
    [
      'a little-endian index with a large preview',
      () =>
        withMpf(real('cjpeg-progressive.jpg'), [real('cjpeg-baseline.jpg')], {
          littleEndian: true,
          attributes: [MP_PRIMARY, MP_PREVIEW_VGA],
        }),
    ],
    [
      'Ultra HDR with a Samsung trailer',
      () => Buffer.concat([ultraHdr(primary(), gainMap()), samsungTrailer(SAMSUNG_STILL_BLOCKS)]),
    ],
  ])('accepts %s in 64 KiB, 7- and 1-byte chunks, with the primary’s dimensions', async (_, build) => {
    const file = build();
    expect(await findings(file)).toEqual([[], [], []]);
    expect((await inspect(file, 'jpeg')).facts).toEqual({ width: 70, height: 46 });
  });

  it('refuses the same gain map appended without an index (TRAILING_DATA, as before round 16)', async () => {
    const result = await inspect(Buffer.concat([primary(), gainMap()]), 'jpeg');
    expect(codes(result)).toEqual(['TRAILING_DATA']);
    expect(result.findings[0]?.detail).toEqual({ bytes: gainMap().length });
  });

  it('refuses an index whose image runs past the end of the file', async () => {
    const file = withMpf(primary(), [gainMap()], { adjust: change(1, { size: +100 }) });
    for (const chunk of CHUNKS) {
      const result = await inspect(file, 'jpeg', { chunk });
      expect(result.findings.map((f) => f.detail)).toEqual([
        { format: 'jpeg', reason: 'MPF image 2: runs past the end of the file' },
      ]);
    }
  });

  it('refuses an index whose image ends before its EOI', async () => {
    const file = withMpf(primary(), [gainMap()], { adjust: change(1, { size: -10 }) });
    const result = await inspect(file, 'jpeg');
    expect(codes(result)).toEqual(['IMAGE_MALFORMED']);
  });

  it('refuses overlapping images and a gap before one: the index is set aside, the bytes after EOI trail', async () => {
    const overlap = withMpf(primary(), [gainMap(), gainMap()], { adjust: change(2, { offset: -2 }) });
    expect(await findings(overlap)).toEqual([['TRAILING_DATA'], ['TRAILING_DATA'], ['TRAILING_DATA']]);
    const gap = withMpf(primary(), [Buffer.concat([ascii('MZ payload'), gainMap()])], {
      adjust: change(1, { offset: +10, size: -10 }),
    });
    expect(codes(await inspect(gap, 'jpeg'))).toEqual(['TRAILING_DATA']);
  });

  it('refuses an index that lists a zip or a PDF', async () => {
    const zip = await buildZip([{ name: 'run.bat', data: 'calc.exe' }]);
    expect(codes(await inspect(withMpf(primary(), [zip]), 'jpeg'))).toEqual(['POLYGLOT', 'IMAGE_MALFORMED']);
    const pdf = await inspect(withMpf(primary(), [handmadePdf(), gainMap()]), 'jpeg');
    expect(pdf.findings.map((f) => f.detail)).toContainEqual({ format: 'jpeg', reason: 'MPF image 2: no SOI' });
  });

  it('refuses bytes after the last listed image, and bytes an entry counts after its image’s EOI', async () => {
    const over = Buffer.concat([ultraHdr(primary(), gainMap()), ascii('#!/bin/sh\necho pwned\n')]);
    expect(codes(await inspect(over, 'jpeg'))).toEqual(['TRAILING_DATA']);
    const own = withMpf(primary(), [Buffer.concat([gainMap(), ascii('#!/bin/sh\necho pwned\n')])]);
    for (const chunk of CHUNKS) {
      const result = await inspect(own, 'jpeg', { chunk });
      expect(result.findings.map((f) => [f.code, f.detail])).toEqual([['TRAILING_DATA', { bytes: 21 }]]);
    }
  });

  it('applies the pixel limit to the further images without taking their dimensions', async () => {
    const flood = ultraHdr(primary(), jpeg({ width: 65_535, height: 65_535, entropy: Buffer.from([0]) }));
    const result = await inspect(flood, 'jpeg');
    expect(codes(result)).toEqual(['IMAGE_TOO_MANY_PIXELS']);
    expect(result.facts).toEqual({ width: 70, height: 46 });
  });

  it('sets a malformed index aside (wrong version, absurd count, entries outside the segment): what follows EOI trails', async () => {
    const version = withMpf(primary(), [gainMap()]);
    version.write('0200', version.indexOf('0100', 0, 'latin1'), 'latin1');
    const count = withMpf(primary(), [gainMap()], { numberOfImages: 1_000_000 });
    const mismatch = withMpf(primary(), [gainMap()], { numberOfImages: 3 });
    const notFirst = withMpf(primary(), [gainMap()], { adjust: change(0, { offset: +8 }) });
    for (const file of [version, count, mismatch, notFirst]) {
      expect(codes(await inspect(file, 'jpeg'))).toEqual(['TRAILING_DATA']);
    }
  });

  it('accepts a primary whose listed images were stripped, its index kept, as editors and messengers leave it', async () => {
    const listed = withMpf(primary(), [gainMap()]);
    const stripped = listed.subarray(0, listed.length - gainMap().length);
    expect(await findings(stripped)).toEqual([[], [], []]);
    // A malformed index with nothing after EOI is no reason to refuse the picture either.
    const malformed = Buffer.from(stripped);
    malformed.write('0200', malformed.indexOf('0100', 0, 'latin1'), 'latin1');
    expect(codes(await inspect(malformed, 'jpeg'))).toEqual([]);
    // Part of a listed image is still a refusal: it runs past the end of the file.
    const cut = listed.subarray(0, listed.length - 10);
    expect(codes(await inspect(cut, 'jpeg'))).toEqual(['IMAGE_MALFORMED']);
  });
});

describe('JPEG from phones: Samsung’s trailer and motion photos', () => {
  it('accepts a Samsung trailer whose directory covers every byte, in any chunks', async () => {
    expect(await findings(Buffer.concat([primary(), samsungTrailer(SAMSUNG_STILL_BLOCKS)]))).toEqual([[], [], []]);
  });

  it('refuses a Samsung directory that leaves bytes over, overlaps or points before the trailer', async () => {
    const over = Buffer.concat([primary(), ascii('payload!'.repeat(4)), samsungTrailer(SAMSUNG_STILL_BLOCKS)]);
    expect(codes(await inspect(over, 'jpeg'))).toEqual(['TRAILING_DATA']);
    const overlap = samsungTrailer(SAMSUNG_STILL_BLOCKS, (d) => d.writeUInt32LE(d.readUInt32LE(24 + 8) + 4, 24 + 8));
    expect(codes(await inspect(Buffer.concat([primary(), overlap]), 'jpeg'))).toEqual(['TRAILING_DATA']);
    const before = samsungTrailer(SAMSUNG_STILL_BLOCKS, (d) => d.writeUInt32LE(0xffff, 12 + 4));
    expect(codes(await inspect(Buffer.concat([primary(), before]), 'jpeg'))).toEqual(['TRAILING_DATA']);
    const seftOnly = Buffer.concat([primary(), ascii('x'.repeat(40)), ascii('\x0c\0\0\0SEFHSEFT')]);
    expect(codes(await inspect(seftOnly, 'jpeg'))).toEqual(['TRAILING_DATA']);
  });

  it('refuses a zip in a Samsung block as POLYGLOT: zip readers look at the last 64 KiB whatever the trailer', async () => {
    const zip = await buildZip([{ name: 'run.bat', data: 'calc.exe' }]);
    const file = Buffer.concat([primary(), samsungTrailer([{ type: 0x0a01, name: 'Image_UTC_Data', data: zip }])]);
    expect(codes(await inspect(file, 'jpeg'))).toEqual(['POLYGLOT']);
  });

  it('refuses Google’s and Samsung’s motion photos with a message on taking the photo without the video', async () => {
    const google = await inspect(googleMotionPhoto(primary(), isoBmff()), 'jpeg', { chunk: 7 });
    expect(google.findings.map((f) => [f.code, f.detail])).toEqual([
      ['IMAGE_MOTION_PHOTO', { bytes: isoBmff().length }],
    ]);
    expect(google.findings[0]?.message.en).toContain('Turn off Motion Photo');
    expect(google.findings[0]?.message.zh).toContain('关闭“动态照片”');
    const samsung = Buffer.concat([
      primary(),
      samsungTrailer([...SAMSUNG_STILL_BLOCKS, { type: 0x0a30, name: 'MotionPhoto_Data', data: isoBmff() }]),
    ]);
    expect(await findings(samsung)).toEqual([['IMAGE_MOTION_PHOTO'], ['IMAGE_MOTION_PHOTO'], ['IMAGE_MOTION_PHOTO']]);
    const ultraHdrMotion = googleMotionPhoto(ultraHdr(primary(), gainMap()), isoBmff());
    expect(codes(await inspect(ultraHdrMotion, 'jpeg'))).toEqual(['IMAGE_MOTION_PHOTO']);
  });

  it('still tolerates 16 bytes of padding after EOI and refuses 17', async () => {
    expect(codes(await inspect(Buffer.concat([primary(), Buffer.alloc(16)]), 'jpeg'))).toEqual([]);
    expect(codes(await inspect(Buffer.concat([primary(), Buffer.alloc(17)]), 'jpeg'))).toEqual(['TRAILING_DATA']);
  });
});

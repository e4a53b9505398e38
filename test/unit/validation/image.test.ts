import { describe, expect, it } from 'vitest';
import { buildZip, jpeg, PNG_SIGNATURE, pixelFloodPng, png, pngChunk, stuffedEntropy } from '../../fixtures/files.ts';
import { codes, inspect, sha256 } from './helpers.ts';

describe('PNG', () => {
  it('accepts a PNG written by pngjs and reports its dimensions', async () => {
    const file = png(64, 48);
    const result = await inspect(file, 'png');
    expect(codes(result)).toEqual([]);
    expect(result).toMatchObject({ detectedType: 'png', facts: { width: 64, height: 48 } });
    expect(result.sha256).toBe(sha256(file));
  });

  it.each([1, 7])('accepts it in %i-byte chunks from a reusing producer', async (chunk) => {
    expect(codes(await inspect(png(300, 200), 'png', { chunk, reuse: true }))).toEqual([]);
  });

  it('reports a 100000 × 100000 IHDR as IMAGE_TOO_MANY_PIXELS without decoding anything', async () => {
    const flood = pixelFloodPng(100_000, 100_000);
    expect(flood.length).toBeLessThan(200);
    const result = await inspect(flood, 'png');
    expect(codes(result)).toEqual(['IMAGE_TOO_MANY_PIXELS']);
    expect(result.findings[0]?.detail).toEqual({ width: 100_000, height: 100_000, limitMegapixels: 100 });
    expect(result.findings[0]?.message.en).toContain('100000×100000');
  });

  it('applies a lower maxPixels', async () => {
    expect(codes(await inspect(png(64, 48), 'png', { limits: { maxPixels: 64 * 48 } }))).toEqual([]);
    expect(codes(await inspect(png(64, 48), 'png', { limits: { maxPixels: 64 * 48 - 1 } }))).toEqual([
      'IMAGE_TOO_MANY_PIXELS',
    ]);
  });

  it('reports a corrupted chunk (CRC mismatch) as IMAGE_MALFORMED', async () => {
    const file = Buffer.from(png(64, 48));
    const idat = file.indexOf('IDAT');
    file[idat + 10] = (file[idat + 10] as number) ^ 0xff;
    const result = await inspect(file, 'png');
    expect(codes(result)).toEqual(['IMAGE_MALFORMED']);
    expect(result.findings[0]?.detail).toEqual({ format: 'png', reason: 'CRC mismatch in IDAT' });
  });

  it('reports a truncated PNG as IMAGE_MALFORMED', async () => {
    const file = png(64, 48);
    expect(codes(await inspect(file.subarray(0, file.length - 20), 'png'))).toEqual(['IMAGE_MALFORMED']);
  });

  it('reports a PNG whose first chunk is not IHDR as IMAGE_MALFORMED', async () => {
    const file = Buffer.concat([PNG_SIGNATURE, pngChunk('tEXt', Buffer.from('a\0b')), png().subarray(8)]);
    expect(codes(await inspect(file, 'png'))).toEqual(['IMAGE_MALFORMED']);
  });

  it('tolerates 16 bytes after IEND and reports 17 as TRAILING_DATA', async () => {
    expect(codes(await inspect(Buffer.concat([png(), Buffer.alloc(16)]), 'png'))).toEqual([]);
    const result = await inspect(Buffer.concat([png(), Buffer.alloc(17)]), 'png');
    expect(codes(result)).toEqual(['TRAILING_DATA']);
    expect(result.findings[0]?.detail).toEqual({ bytes: 17 });
  });

  it('reports a zip hidden in an ancillary chunk just before IEND as POLYGLOT', async () => {
    // Structurally a valid PNG (IEND last, CRCs right), but zip readers find the archive's end
    // record 12 bytes from the end of the file.
    const zip = await buildZip([{ name: 'run.bat', data: 'calc.exe' }]);
    const image = png();
    const iend = image.subarray(image.length - 12);
    const file = Buffer.concat([image.subarray(0, image.length - 12), pngChunk('zIPp', zip), iend]);
    const result = await inspect(file, 'png');
    expect(codes(result)).toEqual(['POLYGLOT']);
    expect(result.findings[0]?.detail).toMatchObject({ format: 'zip' });
  });

  it('reports a JPEG uploaded as a PNG as TYPE_MISMATCH, detected jpeg', async () => {
    const result = await inspect(jpeg(), 'png');
    expect(codes(result)).toEqual(['TYPE_MISMATCH']);
    expect(result.detectedType).toBe('jpeg');
  });
});

describe('JPEG', () => {
  it('accepts a baseline JPEG and reports the dimensions of its SOF0', async () => {
    const result = await inspect(jpeg({ width: 640, height: 480 }), 'jpeg');
    expect(codes(result)).toEqual([]);
    expect(result).toMatchObject({ detectedType: 'jpeg', facts: { width: 640, height: 480 } });
  });

  it('walks past an EXIF thumbnail (with its own EOI), restart markers and a second scan', async () => {
    const file = jpeg({ exifThumbnail: true, restarts: true, twoScans: true, width: 40, height: 24 });
    expect(file.indexOf(Buffer.from([0xff, 0xd9]))).toBeLessThan(file.length - 2); // the thumbnail's EOI
    for (const chunk of [1, 2, 7, 4096]) {
      const result = await inspect(file, 'jpeg', { chunk, reuse: true });
      expect(codes(result), `${chunk}-byte chunks`).toEqual([]);
      expect(result.facts).toEqual({ width: 40, height: 24 });
    }
  });

  it('walks 300 kB of entropy-coded data full of stuffed 0xFF bytes', async () => {
    const file = jpeg({ entropy: stuffedEntropy(300_000) });
    for (const chunk of [7, 65536]) {
      expect(codes(await inspect(file, 'jpeg', { chunk, reuse: true }))).toEqual([]);
    }
  });

  it('reports a 65535 × 65535 frame header as IMAGE_TOO_MANY_PIXELS', async () => {
    const result = await inspect(jpeg({ width: 65535, height: 65535, entropy: Buffer.from([0x3f]) }), 'jpeg');
    expect(codes(result)).toEqual(['IMAGE_TOO_MANY_PIXELS']);
    expect(result.facts).toEqual({ width: 65535, height: 65535 });
  });

  it('reports a JPEG without EOI as IMAGE_MALFORMED', async () => {
    const file = jpeg({ entropy: stuffedEntropy(5000) });
    const result = await inspect(file.subarray(0, file.length - 2), 'jpeg');
    expect(codes(result)).toEqual(['IMAGE_MALFORMED']);
    expect(result.findings[0]?.detail).toEqual({ format: 'jpeg', reason: 'truncated before EOI' });
  });

  it('reports a segment length below 2 as IMAGE_MALFORMED', async () => {
    const file = Buffer.from(jpeg());
    file.writeUInt16BE(1, 4); // APP0's length
    expect(codes(await inspect(file, 'jpeg'))).toEqual(['IMAGE_MALFORMED']);
  });

  it('tolerates 16 bytes after EOI and reports 17 as TRAILING_DATA', async () => {
    expect(codes(await inspect(Buffer.concat([jpeg(), Buffer.alloc(16)]), 'jpeg'))).toEqual([]);
    expect(codes(await inspect(Buffer.concat([jpeg(), Buffer.alloc(17)]), 'jpeg'))).toEqual(['TRAILING_DATA']);
  });

  it('reports a JPEG with an appended zip as POLYGLOT (and TRAILING_DATA)', async () => {
    const zip = await buildZip([{ name: 'payload.js', data: 'alert(1)' }]);
    const result = await inspect(Buffer.concat([jpeg(), zip]), 'jpeg');
    expect(codes(result)).toEqual(['POLYGLOT', 'TRAILING_DATA']);
    expect(result.findings[0]?.detail).toEqual({ format: 'zip', fromEnd: 22 });
  });

  it('reports %PDF- in a comment segment near the start as POLYGLOT', async () => {
    const file = Buffer.from(jpeg());
    const comment = file.indexOf('县工信局');
    Buffer.from('%PDF-1.4').copy(file, comment);
    const result = await inspect(file, 'jpeg');
    expect(codes(result)).toEqual(['POLYGLOT']);
    expect(result.findings[0]?.detail).toEqual({ format: 'pdf', offset: comment });
  });
});

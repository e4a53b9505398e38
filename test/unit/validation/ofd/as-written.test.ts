import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { inspectStream } from '../../../../shared/validation/inspect.ts';
import { ofdAsWritten, type OfdWriting } from '../../../fixtures/active-ofd.ts';
import { chunked } from '../../../fixtures/files.ts';

/**
 * OFDs laid out as writers lay them out (templates, resources with fonts and images, annotations,
 * custom tags, extensions, a version file, a seal signature), with the `ofd:` prefix or a default
 * namespace, in UTF-8 or GBK, with or without a byte-order mark: each is VALID, warned only of its
 * link, however the upload is chunked.
 */

const WRITINGS: OfdWriting[] = [
  { prefix: true },
  { prefix: false },
  { prefix: true, bom: true },
  { prefix: true, gbk: true },
  { prefix: false, gbk: true },
];

/** One entry's bytes, inflated. */
function entry(zip: Buffer, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error ?? new Error('no zip'));
      file.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== name) return file.readEntry();
        file.openReadStream(e, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const pieces: Buffer[] = [];
          stream.on('data', (piece: Buffer) => pieces.push(piece));
          stream.on('end', () => resolve(Buffer.concat(pieces)));
        });
      });
      file.on('end', () => reject(new Error(`${name} not found`)));
      file.readEntry();
    });
  });
}

describe('genuine OFDs as writers write them', () => {
  it.each(WRITINGS.map((w) => [JSON.stringify(w), w] as const))('%s is VALID with its link’s warning', async (_, w) => {
    const bytes = await ofdAsWritten(w);
    for (const chunk of [7, 64 * 1024]) {
      const result = await inspectStream(chunked(bytes, chunk), {
        type: 'ofd',
        declaredSize: bytes.length,
        maxBytes: bytes.length,
      });
      expect(result.findings, `chunks of ${chunk}`).toEqual([]);
      expect(result.warnings.map((warning) => warning.code)).toEqual(['EXTERNAL_LINK']);
      expect(result.valid).toBe(true);
    }
  });

  it('writes GBK parts in GBK, not UTF-8 under a GBK declaration', async () => {
    const part = await entry(await ofdAsWritten({ prefix: true, gbk: true }), 'Doc_0/Pages/Page_0/Content.xml');
    expect(part.toString('latin1')).toContain('encoding="GBK"');
    expect(new TextDecoder('gbk').decode(part)).toContain('认定证书');
    expect(part.toString('utf8')).not.toContain('认定证书');
  });
});

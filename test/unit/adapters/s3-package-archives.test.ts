import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Entry } from 'yauzl';
import { beforeEach, describe, expect, it } from 'vitest';
import { entryName, S3PackageArchives } from '../../../shared/adapters/s3-package-archives.ts';
import { buildZip, patchZip } from '../../fixtures/files.ts';

const s3 = mockClient(S3Client);
const KEY = 'packages/c/140000/p.zip';
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const clearUtf8Flag = (flags: number) => flags & ~0x800;

/** The bucket holds `zip` at KEY: its size by HEAD, its bytes by ranged GET, as S3 answers. */
function holding(zip: Buffer) {
  s3.on(HeadObjectCommand, { Key: KEY }).resolves({ ContentLength: zip.length });
  s3.on(GetObjectCommand, { Key: KEY }).callsFake(async (input: { Range?: string }) => {
    const [, from, to] = /^bytes=(\d+)-(\d+)$/.exec(input.Range ?? '') ?? [];
    return { Body: Readable.from([zip.subarray(Number(from), Number(to) + 1)]) };
  });
}

const entries = () => new S3PackageArchives(new S3Client({}), 'bucket').entries(KEY);

beforeEach(() => s3.reset());

describe('reading back a package’s entries: names whatever tool wrote them', () => {
  const PDF = '03_申报材料/申报书.pdf';
  const JSON_NAME = 'manifest.json';

  it('a name flagged UTF-8 (yazl, our builder) reads as written', async () => {
    holding(await buildZip([{ name: PDF, data: 'pdf', compress: false }]));
    expect(await entries()).toEqual([{ path: PDF, size: 3, sha256: sha('pdf') }]);
  });

  it('UTF-8 without the flag (what Info-ZIP, Debian’s zip, writes) reads as UTF-8, not as CP437', async () => {
    const zip = await buildZip([
      { name: PDF, data: 'pdf', compress: false },
      { name: JSON_NAME, data: '{}', compress: false },
    ]);
    holding(patchZip(zip, PDF, { flags: clearUtf8Flag }));
    expect(await entries()).toEqual([
      { path: PDF, size: 3, sha256: sha('pdf') },
      { path: JSON_NAME, size: 2, sha256: sha('{}') },
    ]);
  });

  it('a package re-zipped by Debian’s zip (`zip -0 -r`) lists its files by their names, folders left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'package-'));
    try {
      mkdirSync(join(dir, '03_申报材料'));
      writeFileSync(join(dir, PDF), 'pdf');
      writeFileSync(join(dir, JSON_NAME), '{}');
      execFileSync('zip', ['-0', '-r', '-X', '-q', 'out.zip', '03_申报材料', JSON_NAME], { cwd: dir });
      holding(readFileSync(join(dir, 'out.zip')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const listed = await entries();
    expect(listed?.map((e) => e.path).sort()).toEqual([PDF, JSON_NAME].sort());
    expect(listed?.find((e) => e.path === PDF)?.sha256).toBe(sha('pdf'));
  });

  it('GBK without the flag (what Chinese Windows tools write) reads as GBK where UTF-8 fails', async () => {
    // 材料/申报书.pdf in GBK is 15 bytes: written over an ASCII placeholder of that length.
    const gbkName = Buffer.from('b2c4c1cf2fc9eab1a8cae92e706466', 'hex');
    const placeholder = 'xxxx/xxxxxx.pdf';
    const zip = await buildZip([{ name: placeholder, data: 'pdf', compress: false }]);
    holding(patchZip(zip, placeholder, { rename: gbkName, flags: clearUtf8Flag }));
    expect(await entries()).toEqual([{ path: '材料/申报书.pdf', size: 3, sha256: sha('pdf') }]);
  });

  it('takes Info-ZIP’s Unicode Path field when its CRC is the name’s, and ignores it when stale', () => {
    // What Info-ZIP on Windows writes: the name in the OEM code page, its UTF-8 in field 0x7075.
    const raw = Buffer.from('b2c4c1cf2e706466', 'hex'); // 材料.pdf in GBK (cp936)
    const field = (crc: number) => {
      const data = Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), Buffer.from('申报书.pdf')]);
      data.writeUInt32LE(crc, 1);
      return { id: 0x7075, data };
    };
    const entry = (crc: number) =>
      ({ fileNameRaw: raw, generalPurposeBitFlag: 0, extraFields: [field(crc)] }) as unknown as Entry;
    expect(entryName(entry(crc32(raw)))).toBe('申报书.pdf');
    expect(entryName(entry((crc32(raw) ^ 1) >>> 0))).toBe('材料.pdf');
  });

  it('still refuses a name climbing out of the package', async () => {
    const zip = await buildZip([{ name: 'aa/x.pdf', data: 'pdf', compress: false }]);
    holding(patchZip(zip, 'aa/x.pdf', { rename: '../x.pdf' }));
    await expect(entries()).rejects.toThrow(/invalid relative path/);
  });
});

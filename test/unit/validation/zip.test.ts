import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { RATIO_GRACE_BYTES } from '../../../shared/validation/zip-budget.ts';
import { MAX_NAME_BYTES } from '../../../shared/validation/zip-format.ts';
import {
  buildZip,
  docx,
  docxEntries,
  MiB,
  ofd,
  ofdEntries,
  patchZip,
  xlsx,
  xlsxEntries,
  type ZipEntrySpec,
  zipBombDocx,
} from '../../fixtures/files.ts';
import { inspectStream } from '../../../shared/validation/inspect.ts';
import { codes, inspect, prng, sha256 } from './helpers.ts';

const inflatedSize = (entries: ZipEntrySpec[]) =>
  entries.reduce((sum, e) => sum + (typeof e.data === 'string' ? Buffer.byteLength(e.data) : e.data.length), 0);

describe('valid documents', () => {
  it.each([
    ['docx', docxEntries()],
    ['xlsx', xlsxEntries()],
    ['ofd', ofdEntries()],
  ] as const)('accepts a %s and counts what its entries really inflate to', async (type, entries) => {
    const file = await buildZip(entries);
    const result = await inspect(file, type);
    expect(codes(result)).toEqual([]);
    expect(result.detectedType).toBe(type);
    expect(result.sha256).toBe(sha256(file));
    expect(result.facts).toEqual({ zipEntries: entries.length, uncompressedBytes: inflatedSize(entries) });
  });

  it.each([1, 7, 4096])('accepts a docx streamed in %i-byte chunks from a reusing producer', async (chunk) => {
    const file = await docx();
    const result = await inspect(file, 'docx', { chunk, reuse: true });
    expect(codes(result)).toEqual([]);
    expect(result.sha256).toBe(sha256(file));
  });

  it.each([1, 7, 65536])(
    'accepts entries with data descriptors (as Java writes them) in %i-byte chunks',
    async (chunk) => {
      const entries = ofdEntries({ stream: true });
      const file = await buildZip(entries);
      expect(file.includes(Buffer.from('PK\x07\x08', 'latin1'))).toBe(true);
      const result = await inspect(file, 'ofd', { chunk, reuse: true });
      expect(codes(result)).toEqual([]);
      expect(result.facts.uncompressedBytes).toBe(inflatedSize(entries));
    },
  );

  it('accepts a stored (uncompressed) media entry', async () => {
    const image = randomBytes(300_000);
    const file = await buildZip(
      docxEntries({ extra: [{ name: 'word/media/image1.jpeg', data: image, compress: false }] }),
    );
    expect(codes(await inspect(file, 'docx', { chunk: 1000 }))).toEqual([]);
  });

  it('accepts a GBK entry name whose second byte is 0x5C, which is not a backslash', async () => {
    // "乗" in GBK is 0x81 0x5C. Chinese Windows zip tools write such names without the UTF-8 flag.
    const placeholder = 'word/media/xx.png';
    const file = await buildZip(docxEntries({ extra: [{ name: placeholder, data: 'png' }] }));
    const gbkName = Buffer.concat([Buffer.from('word/media/'), Buffer.from([0x81, 0x5c]), Buffer.from('.png')]);
    const patched = patchZip(file, placeholder, { rename: gbkName, flags: (f) => f & ~0x800 });
    expect(codes(await inspect(patched, 'docx'))).toEqual([]);
  });
});

describe('type by entry names', () => {
  it('reports an XLSX uploaded as a DOCX as TYPE_MISMATCH, detected xlsx', async () => {
    const result = await inspect(await xlsx(), 'docx');
    expect(codes(result)).toEqual(['TYPE_MISMATCH']);
    expect(result.detectedType).toBe('xlsx');
    expect(result.findings[0]?.detail).toEqual({ expected: 'docx', detected: 'xlsx' });
  });

  it('reports a DOCX uploaded as a PDF as TYPE_MISMATCH, detected docx', async () => {
    const result = await inspect(await docx(), 'pdf');
    expect(codes(result)).toEqual(['TYPE_MISMATCH']);
    expect(result.detectedType).toBe('docx');
  });

  it('reports a zip without word/document.xml, uploaded as a DOCX, as OOXML_NOT_DOCUMENT', async () => {
    const entries = docxEntries().filter((e) => e.name !== 'word/document.xml');
    const result = await inspect(await buildZip(entries), 'docx');
    expect(codes(result)).toEqual(['OOXML_NOT_DOCUMENT']);
    expect(result.detectedType).toBe('unknown');
  });

  it('reports a DOCX without [Content_Types].xml as OOXML_NOT_DOCUMENT', async () => {
    const entries = docxEntries().filter((e) => e.name !== '[Content_Types].xml');
    expect(codes(await inspect(await buildZip(entries), 'docx'))).toEqual(['OOXML_NOT_DOCUMENT']);
  });

  it('reports a zip without OFD.xml, uploaded as an OFD, as OFD_NO_ROOT', async () => {
    const entries = ofdEntries().filter((e) => e.name !== 'OFD.xml');
    expect(codes(await inspect(await buildZip(entries), 'ofd'))).toEqual(['OFD_NO_ROOT']);
  });

  it('only accepts OFD.xml at the root', async () => {
    const entries = ofdEntries().map((e) => (e.name === 'OFD.xml' ? { ...e, name: 'sub/OFD.xml' } : e));
    expect(codes(await inspect(await buildZip(entries), 'ofd'))).toEqual(['OFD_NO_ROOT']);
  });

  it('reports a plain zip uploaded as a PNG as TYPE_MISMATCH, detected zip', async () => {
    const result = await inspect(await buildZip([{ name: 'a.txt', data: 'hello' }]), 'png');
    expect(result.findings[0]?.detail).toEqual({ expected: 'png', detected: 'zip' });
  });
});

describe('macros', () => {
  it('reports a DOCX carrying vbaProject.bin as MACROS', async () => {
    expect(codes(await inspect(await docx({ vbaProject: true }), 'docx'))).toEqual(['MACROS']);
  });

  it('reports an XLSX carrying vbaProject.bin as MACROS', async () => {
    expect(codes(await inspect(await xlsx({ vbaProject: true }), 'xlsx'))).toEqual(['MACROS']);
  });

  it('reports a macro-enabled main content type (a renamed .docm) as MACROS', async () => {
    const result = await inspect(await docx({ macroContentType: true }), 'docx');
    expect(codes(result)).toEqual(['MACROS']);
    expect(result.findings[0]?.detail).toEqual({ name: 'application/vnd.ms-word.document.macroEnabled.main+xml' });
  });

  it('reports a macro-enabled XLSX content type read with 1-byte chunks as MACROS', async () => {
    expect(codes(await inspect(await xlsx({ macroContentType: true }), 'xlsx', { chunk: 1 }))).toEqual(['MACROS']);
  });

  it('reports an Excel 4.0 macro sheet as MACROS', async () => {
    const file = await xlsx({ extra: [{ name: 'xl/macrosheets/sheet1.xml', data: '<xm:macrosheet/>' }] });
    expect(codes(await inspect(file, 'xlsx'))).toEqual(['MACROS']);
  });

  it('reports an international macro sheet by its folder alone as MACROS, as a macro sheet is (round 17)', async () => {
    for (const name of ['xl/intlMacrosheets/sheet1.xml', 'XL/IntlMacroSheets/s.xml']) {
      const file = await xlsx({ extra: [{ name, data: '<xm:macrosheet/>' }] });
      expect(codes(await inspect(file, 'xlsx')), name).toEqual(['MACROS']);
    }
    // A sheet whose name only contains the word stays a sheet.
    const sheet = await xlsx({ extra: [{ name: 'xl/worksheets/intlMacrosheets.xml', data: '<worksheet/>' }] });
    expect(codes(await inspect(sheet, 'xlsx'))).toEqual([]);
  });
});

describe('zip bombs', () => {
  let bomb: Buffer;
  beforeAll(async () => {
    bomb = await zipBombDocx(200 * MiB);
  });

  it('reports 200 MiB of zeros in a small DOCX as ZIP_BOMB and stops inflating early', async () => {
    expect(bomb.length).toBeLessThan(MiB);
    const result = await inspect(bomb, 'docx');
    expect(codes(result)).toEqual(['ZIP_BOMB']);
    expect(result.findings[0]?.detail).toMatchObject({
      reason: 'inflated ratio',
      name: 'word/media/image1.png',
    });
    // Stopped within a slice or so of passing the ratio, not after inflating all 200 MiB.
    expect(result.facts.uncompressedBytes).toBeLessThan(80 * MiB);
    expect(result.sha256).toBe(sha256(bomb)); // the hash still covers every byte
  });

  it('reports the inflated total passing maxUncompressedBytes as ZIP_BOMB', async () => {
    const result = await inspect(bomb, 'docx', {
      limits: { maxCompressionRatio: 10_000, maxUncompressedBytes: 32 * MiB },
    });
    expect(codes(result)).toEqual(['ZIP_BOMB']);
    expect(result.findings[0]?.detail).toMatchObject({ reason: 'inflated size' });
    expect(result.facts.uncompressedBytes).toBeGreaterThan(32 * MiB);
    expect(result.facts.uncompressedBytes).toBeLessThan(32 * MiB + 80 * MiB);
  });

  it('counts inflated bytes, so headers that understate the size do not help', async () => {
    const honest = await buildZip(
      docxEntries({ extra: [{ name: 'word/media/big.bin', data: Buffer.alloc(64 * MiB) }] }),
    );
    const compressed = honest.length;
    const lying = patchZip(honest, 'word/media/big.bin', { size: 100 * 1024 });
    const result = await inspect(lying, 'docx');
    expect(codes(result)).toEqual(['ZIP_BOMB']);
    expect(result.findings[0]?.detail).toMatchObject({ reason: 'inflated ratio' });
    expect(compressed).toBeLessThan(MiB);
  });

  it('refuses from the headers alone when they declare too much', async () => {
    const file = await buildZip(docxEntries({ extra: [{ name: 'word/media/big.bin', data: Buffer.alloc(8 * MiB) }] }));
    const byRatio = await inspect(file, 'docx');
    expect(byRatio.findings[0]?.detail).toMatchObject({ reason: 'declared ratio' });
    const bySize = await inspect(file, 'docx', {
      limits: { maxUncompressedBytes: 4 * MiB, maxCompressionRatio: 1e6 },
    });
    expect(bySize.findings[0]?.detail).toMatchObject({ reason: 'declared size' });
    // Refused before inflating the big entry.
    expect(bySize.facts.uncompressedBytes).toBeLessThan(MiB);
  });

  it('lets small, highly compressible entries through (no ratio check below 1 MiB)', async () => {
    const file = await buildZip(
      docxEntries({
        // A root element padded with spaces: the part is XML, its prolog ends at once.
        extra: [{ name: 'word/fontTable.xml', data: `<w:fonts>${' '.repeat(RATIO_GRACE_BYTES - 21)}</w:fonts>` }],
      }),
    );
    expect(codes(await inspect(file, 'docx'))).toEqual([]);
  });

  it('reports more entries than maxZipEntries as ZIP_TOO_MANY_ENTRIES', async () => {
    const extra = Array.from({ length: 20 }, (_, i) => ({ name: `word/media/image${i}.png`, data: 'x' }));
    const file = await buildZip(docxEntries({ extra }));
    const result = await inspect(file, 'docx', { limits: { maxZipEntries: 10 } });
    expect(codes(result)).toEqual(['ZIP_TOO_MANY_ENTRIES']);
    expect(result.findings[0]?.message.en).toContain('more than 10');
    expect(codes(await inspect(file, 'docx', { limits: { maxZipEntries: 26 } }))).toEqual([]);
  });
});

describe('hostile entries', () => {
  const withEntry = (name: string, data = 'payload') => buildZip(docxEntries({ extra: [{ name, data }] }));

  it.each([
    ['xx/xx/evil.sh', '../../evil.sh'],
    ['word/xx/xx/x.sh', 'word/../../x.sh'],
    ['xetc/cron.d/x', '/etc/cron.d/x'],
    ['xx/Windows/x.bat', 'C:/Windows/x.bat'],
    ['word/xx/evil', 'word\\..\\evil'],
    // Names Windows writes as another: a trailing dot or space, a stream, the folder itself.
    ['word/settings.xmlx', 'word/settings.xml.'],
    ['word/settings.xmlx', 'word/settings.xml '],
    ['word/x/styles.xml', 'word/./styles.xml'],
    ['word/ab/a.xml', 'word/a./a.xml'],
    ['word/styles.xmlxxxxxxx', 'word/styles.xml::$DATA'],
  ])('reports an entry renamed %s → %s as ZIP_UNSAFE_PATH', async (safe, unsafe) => {
    const file = patchZip(await withEntry(safe), safe, { rename: unsafe });
    const result = await inspect(file, 'docx');
    // A shell script or batch file is also an executable inside the document.
    expect(codes(result).filter((c) => c !== 'EMBEDDED_EXECUTABLE')).toEqual(['ZIP_UNSAFE_PATH']);
    expect(result.findings[0]?.detail).toEqual({ name: unsafe });
  });

  it('reports a symbolic link entry as ZIP_SYMLINK', async () => {
    const file = await buildZip(
      docxEntries({ extra: [{ name: 'word/media/link', data: '/etc/passwd', mode: 0o120777 }] }),
    );
    const result = await inspect(file, 'docx');
    expect(codes(result)).toEqual(['ZIP_SYMLINK']);
    expect(result.findings[0]?.detail).toEqual({ name: 'word/media/link' });
  });

  it('reports an encrypted entry as ZIP_ENCRYPTED', async () => {
    const file = patchZip(await docx(), 'word/document.xml', { flags: (f) => f | 1 });
    const result = await inspect(file, 'docx');
    expect(codes(result)).toEqual(['ZIP_ENCRYPTED']);
    expect(result.facts.encrypted).toBe(true);
  });

  it('reports a central directory that names an entry differently as ZIP_MALFORMED', async () => {
    const file = patchZip(await docx(), 'word/styles.xml', { rename: 'word/STYLES.xml', where: 'central' });
    expect(codes(await inspect(file, 'docx'))).toEqual(['ZIP_MALFORMED']);
  });

  it('reports sizes that disagree between local and central headers as ZIP_MALFORMED', async () => {
    const file = patchZip(await docx(), 'word/styles.xml', { size: 1, where: 'central' });
    expect(codes(await inspect(file, 'docx'))).toEqual(['ZIP_MALFORMED']);
  });

  it('reports an entry name longer than MAX_NAME_BYTES as ZIP_MALFORMED', async () => {
    const long = `word/media/${'a'.repeat(MAX_NAME_BYTES)}.png`;
    const result = await inspect(await buildZip(docxEntries({ extra: [{ name: long, data: 'x' }] })), 'docx');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
    const fits = `word/media/${'a'.repeat(MAX_NAME_BYTES - 'word/media/.png'.length)}.png`;
    expect(codes(await inspect(await buildZip(docxEntries({ extra: [{ name: fits, data: 'x' }] })), 'docx'))).toEqual(
      [],
    );
  });

  it('reports two entries with the same name as ZIP_MALFORMED', async () => {
    const file = await buildZip(docxEntries({ extra: [{ name: 'word/document.xml', data: '<evil/>' }] }));
    const result = await inspect(file, 'docx');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
    expect(result.findings[0]?.detail?.reason).toContain('duplicate');
  });

  it('reports corrupt deflate data as ZIP_MALFORMED', async () => {
    const file = Buffer.from(await docx());
    const at = file.indexOf('word/document.xml') + 'word/document.xml'.length + 40;
    for (let i = 0; i < 8; i++) file[at + i] = (file[at + i] as number) ^ 0x5a;
    expect(codes(await inspect(file, 'docx'))).toEqual(['ZIP_MALFORMED']);
  });

  it('reports a truncated archive as ZIP_MALFORMED', async () => {
    const file = await docx();
    const result = await inspect(file.subarray(0, file.length - 30), 'docx');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
    expect(result.detectedType).toBe('docx'); // the names seen say what it was meant to be
  });

  it('reports bytes after the end record as TRAILING_DATA', async () => {
    const file = Buffer.concat([await docx(), Buffer.from('#!/bin/sh\n')]);
    const result = await inspect(file, 'docx');
    expect(codes(result)).toEqual(['TRAILING_DATA']);
    expect(result.findings[0]?.detail).toEqual({ bytes: 10 });
  });

  // Round 17: a download or mail gateway appends a line break after the end record.
  it.each([
    ['a line feed', '\n'],
    ['CR LF', '\r\n'],
    ['sixteen bytes of NULs, spaces and line ends', '\0\0 \r\n\r\n \0\0\0\0\0\0\n'],
  ])('accepts %s after the end record, however chunked', async (_, padding) => {
    for (const [kind, file] of [
      ['docx', await docx()],
      ['ofd', await ofd()],
    ] as const) {
      for (const chunk of [1, 7, 64 * 1024]) {
        const result = await inspect(Buffer.concat([file, Buffer.from(padding, 'latin1')]), kind, { chunk });
        expect(codes(result), `${kind} in chunks of ${chunk}`).toEqual([]);
      }
    }
  });

  it.each([
    ['seventeen line feeds', '\n'.repeat(17)],
    ['a line feed and a letter', '\nx'],
    ['a tab', '\t'],
    ['a line feed and a zip signature', '\nPK\x05\x06'],
  ])('refuses %s after the end record as TRAILING_DATA', async (_, after) => {
    for (const chunk of [1, 64 * 1024]) {
      const result = await inspect(Buffer.concat([await docx(), Buffer.from(after, 'latin1')]), 'docx', { chunk });
      expect(codes(result), `chunks of ${chunk}`).toEqual(['TRAILING_DATA']);
    }
  });

  it('reports bytes hidden between entries as ZIP_MALFORMED', async () => {
    const file = Buffer.from(await docx());
    // Break the second local header's signature: whatever sits there is not part of the archive.
    const second = file.indexOf(Buffer.from('PK\x03\x04', 'latin1'), 1);
    file[second + 3] = 0x00;
    const result = await inspect(file, 'docx');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
    expect(result.findings[0]?.detail?.reason).toBe(`unexpected bytes at offset ${second}`);
  });
});

describe('ofd', () => {
  it('accepts an OFD in 3-byte chunks', async () => {
    const file = await ofd();
    expect(codes(await inspect(file, 'ofd', { chunk: 3 }))).toEqual([]);
  });
});

describe('entries inflating side by side', () => {
  /** Text that deflates to about a third of its size: several slices of compressed data each. */
  const prose = (seed: number, bytes: number) => {
    const random = prng(seed);
    const words = ['集群', '产业', '企业', '营业收入', 'cluster', 'industry', '2025', '亿元'];
    const out: string[] = [];
    for (let size = 0; size < bytes; size += 12) out.push(words[Math.floor(random() * words.length)] as string);
    return `<w:document><w:body><w:p><w:r><w:t>${out.join(' ')}</w:t></w:r></w:p></w:body></w:document>`;
  };
  const media = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ name: `word/media/text${i}.xml`, data: prose(i + 1, 3 * MiB) }));

  it('reads big deflated entries from a producer that reuses its chunk buffer (zlib reads copies, late)', async () => {
    const entries = docxEntries({ extra: media(3) });
    const file = await buildZip(entries);
    const result = await inspect(file, 'docx', { chunk: 256 * 1024, reuse: true });
    expect(codes(result)).toEqual([]);
    expect(result.facts.uncompressedBytes).toBe(inflatedSize(entries));
  });

  it('judges a corrupt entry whose inflating ends after the walk has moved on', async () => {
    const file = Buffer.from(await buildZip(docxEntries({ extra: media(4) })));
    const at = file.indexOf('word/media/text0.xml') + 'word/media/text0.xml'.length + 100_000;
    for (let i = 0; i < 64; i++) file[at + i] = (file[at + i] as number) ^ 0x5a;
    const result = await inspect(file, 'docx', { chunk: 256 * 1024 });
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
    expect(result.findings[0]?.detail?.reason).toContain('word/media/text0.xml');
  });

  it('stops every entry still inflating when one is a bomb', async () => {
    const honest = await buildZip(
      docxEntries({ extra: [{ name: 'word/media/big.bin', data: Buffer.alloc(64 * MiB) }, ...media(3)] }),
    );
    const lying = patchZip(honest, 'word/media/big.bin', { size: 100 * 1024 });
    const result = await inspect(lying, 'docx', { chunk: 256 * 1024 });
    expect(codes(result)).toEqual(['ZIP_BOMB']);
    expect(result.findings[0]?.detail).toMatchObject({ reason: 'inflated ratio', name: 'word/media/big.bin' });
    expect(result.facts.uncompressedBytes).toBeLessThan(32 * MiB);
  });
});

describe('stored entries’ CRC-32', () => {
  const photos = (count: number, bytes: number) =>
    Array.from({ length: count }, (_, i) => ({
      name: `word/media/image${i}.jpeg`,
      data: randomBytes(bytes),
      compress: false,
    }));
  /** Where an entry's data starts: after its local header's fixed part, name and extra field. */
  const dataAt = (file: Buffer, name: string) => {
    for (let at = file.indexOf('PK\x03\x04', 0, 'latin1'); at >= 0; at = file.indexOf('PK\x03\x04', at + 4, 'latin1')) {
      const nameLength = file.readUInt16LE(at + 26);
      if (file.toString('utf8', at + 30, at + 30 + nameLength) === name) {
        return at + 30 + nameLength + file.readUInt16LE(at + 28);
      }
    }
    throw new Error(`no local header for ${name}`);
  };

  it.each([true, false])('names a stored entry whose bytes were changed (hashed beside: %s)', async (hashBeside) => {
    const file = Buffer.from(await buildZip(docxEntries({ extra: photos(3, 512 * 1024) })));
    const at = dataAt(file, 'word/media/image1.jpeg') + 300_000;
    file[at] = (file[at] as number) ^ 0xff;
    const result = await inspect(file, 'docx', { chunk: 64 * 1024, hashBeside });
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
    expect(result.findings[0]?.detail?.reason).toBe('CRC mismatch in word/media/image1.jpeg');
    expect(result.sha256).toBe(sha256(file));
  });
});

describe('reading a source whose chunks are already there', () => {
  it('lets the event loop turn while zlib inflates, so zlib’s pieces come back during the walk', async () => {
    const random = prng(5);
    const words = ['集群', '产业', '企业', '营业收入', 'cluster', 'industry', '2025', '亿元'];
    const text = Array.from({ length: 400_000 }, () => words[Math.floor(random() * words.length)]).join(' ');
    // One deflated entry, so that the walk never waits on MAX_ENTRIES_IN_FLIGHT (which turns the loop too).
    const file = await buildZip([
      ...docxEntries().map((entry) => ({ ...entry, compress: false })),
      { name: 'word/media/notes.xml', data: `<notes>${text}</notes>` },
      { name: 'word/media/scan.jpeg', data: randomBytes(6 * MiB), compress: false },
    ]);
    let turned = false;
    let turnedWhileReading = false;
    async function* buffered() {
      setImmediate(() => {
        turned = true;
      });
      for (let at = 0; at < file.length; at += MiB) {
        if (at + MiB >= file.length) turnedWhileReading = turned;
        yield file.subarray(at, at + MiB);
      }
    }
    // Hashed here, so that no wait for the hashing thread turns the loop instead.
    const result = await inspectStream(
      buffered(),
      { type: 'docx', declaredSize: file.length, maxBytes: file.length },
      {},
      {
        hashBeside: false,
      },
    );
    expect(codes(result)).toEqual([]);
    expect(turnedWhileReading).toBe(true);
  });
});

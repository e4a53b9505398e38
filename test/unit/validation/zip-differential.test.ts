import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { docxEntries, ofdEntries } from '../../fixtures/files.ts';
import {
  docxHidingArchiveInComment,
  docxHidingArchiveBehindZip64Locator,
  extraField,
  type RawEntry,
  rawEntries,
  rawZip,
  unicodeCommentExtra,
  unicodePathExtra,
} from '../../fixtures/raw-zip.ts';
import { codes, inspect } from './helpers.ts';

/**
 * Round 12: zips that other readers (Word, Excel, WPS, OFD readers, 7-Zip, Explorer, .NET,
 * Python, Java) would read as a different set of parts, or under different names, than the
 * walk does. Each is refused; the genuine shape next to it stays VALID.
 */

const UTF8 = 0x800;

/** The entry names yauzl reads (it finds the end record searching backwards from the end). */
function namesYauzlReads(zip: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error ?? new Error('no zip'));
      const names: string[] = [];
      file.on('entry', (e: yauzl.Entry) => {
        names.push(e.fileName);
        file.readEntry();
      });
      file.on('end', () => resolve(names));
      file.on('error', reject);
      file.readEntry();
    });
  });
}
const docxWith = (...extra: RawEntry[]) => rawZip([...rawEntries(docxEntries()), ...extra]);
/** GBK bytes of a few Chinese characters used here (what a Chinese Windows tool writes). */
function gbkBytes(text: string): Buffer {
  const table: Record<string, number[]> = { 图: [0xcd, 0xbc], 片: [0xc6, 0xac] };
  return Buffer.concat([...text].map((c) => Buffer.from(table[c] ?? [c.charCodeAt(0)])));
}

describe('the Unicode Path extra field (0x7075)', () => {
  it.each(['local', 'central'] as const)(
    'refuses one in the %s header naming another part than the header does',
    async (where) => {
      const extra = unicodePathExtra('word/media/image1.png', 'word/vbaProject.bin');
      const file = docxWith({
        name: 'word/media/image1.png',
        data: 'not a picture',
        ...(where === 'local' ? { localExtra: extra } : { centralExtra: extra }),
      });
      const result = await inspect(file, 'docx');
      expect(codes(result)).toEqual(['ZIP_MALFORMED']);
      expect(result.findings[0]?.detail?.reason).toContain('word/vbaProject.bin');
    },
  );

  it('accepts one naming the same part as a GBK header name (what Info-ZIP writes)', async () => {
    const raw = gbkBytes('word/media/图片1.png');
    const extra = unicodePathExtra(raw, 'word/media/图片1.png');
    const file = docxWith({ name: raw, data: 'x', method: 0, localExtra: extra, centralExtra: extra });
    expect(codes(await inspect(file, 'docx'))).toEqual([]);
  });

  it('accepts a Unicode Comment field (0x6375), which names nothing', async () => {
    const extra = unicodeCommentExtra('申报材料');
    const file = docxWith({ name: 'word/media/image1.png', data: 'x', localExtra: extra, centralExtra: extra });
    expect(codes(await inspect(file, 'docx'))).toEqual([]);
  });
});

describe('names read differently by another decoder', () => {
  it('refuses a name flagged UTF-8 that is not UTF-8 (an overlong `/`)', async () => {
    const name = Buffer.concat([Buffer.from('word'), Buffer.from([0xc0, 0xaf]), Buffer.from('vbaProject.bin')]);
    const result = await inspect(docxWith({ name, data: 'x', flags: UTF8 }), 'docx');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
  });

  it('refuses a name not flagged UTF-8 that is neither GBK nor UTF-8', async () => {
    const name = Buffer.concat([Buffer.from('word/media/image1.png'), Buffer.from([0xff])]);
    expect(codes(await inspect(docxWith({ name, data: 'x' }), 'docx'))).toEqual(['ZIP_MALFORMED']);
  });

  it('accepts an ASCII name whose UTF-8 flag is set in one header only: it reads the same', async () => {
    const file = docxWith({ name: 'word/media/image1.png', data: 'x', flags: UTF8 });
    const central = file.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    file.writeUInt16LE(file.readUInt16LE(central + 8) & ~UTF8, central + 8);
    expect(codes(await inspect(file, 'docx'))).toEqual([]);
  });

  it.each(['Doc_0/Res/图.png', 'Doc_0/Res/说明书.png', 'Doc_0/Res/封面.png'])(
    'accepts %s in UTF-8 without the flag (as Java before 7 and macOS write it), GBK or not',
    async (name) => {
      const file = rawZip([...rawEntries(ofdEntries()), { name: Buffer.from(name), data: 'x' }]);
      expect(codes(await inspect(file, 'ofd'))).toEqual([]);
    },
  );

  it('judges a name not flagged UTF-8 that is both GBK and UTF-8 by both readings', async () => {
    // GBK: `word/media/` and two Chinese characters; UTF-8: a fraction slash, folded to `/`.
    const name = Buffer.concat([Buffer.from('word/media/'), Buffer.from([0xe2, 0x81, 0x84]), Buffer.from('a.png')]);
    const result = await inspect(docxWith({ name, data: 'x' }), 'docx');
    expect(codes(result)).toEqual(['ZIP_UNSAFE_PATH']);
    expect(result.findings[0]?.detail?.name).toBe('word/media/\u2044a.png');
  });

  it('refuses a name whose local header says UTF-8 and whose central header does not', async () => {
    const name = Buffer.from('word/media/图片1.png');
    const file = docxWith({ name, data: 'x', flags: UTF8 });
    // The central header of the last entry: clear its UTF-8 flag.
    const central = file.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    file.writeUInt16LE(file.readUInt16LE(central + 8) & ~UTF8, central + 8);
    expect(codes(await inspect(file, 'docx'))).toEqual(['ZIP_MALFORMED']);
  });

  it.each([
    ['a full-width solidus', 'word／vbaProject.bin'],
    ['a full-width reverse solidus', 'word＼vbaProject.bin'],
    ['a full-width full stop', 'word/vbaProject．bin'],
    ['a control character', 'word/media/image\u00011.png'],
    ['an empty folder (`//`)', 'word//document.xml'],
    ['a leading `./`', './word/media/image1.png'],
    ['a percent-escaped letter', 'word/%76baProject.bin'],
    ['a percent-escaped solidus', 'word%2Fmedia%2Fimage1.png'],
    ['a percent-escaped dot', 'word/media/image1%2Epng'],
  ])('refuses a name with %s as ZIP_UNSAFE_PATH', async (_what, name) => {
    const result = await inspect(docxWith({ name, data: 'x', flags: UTF8 }), 'docx');
    expect(codes(result)).toContain('ZIP_UNSAFE_PATH');
  });

  it.each([
    ['full-width brackets', 'word/media/图（一）.png'],
    ['a full-width colon', 'word/media/附件：说明.png'],
    ['a percent-escaped Chinese name (OPC maps non-ASCII so)', 'word/media/%E5%9B%BE.png'],
    ['a percent-escaped space', 'word/media/image%201.png'],
  ])('accepts a name with %s', async (_what, name) => {
    expect(codes(await inspect(docxWith({ name, data: 'x', flags: UTF8 }), 'docx'))).toEqual([]);
  });
});

describe('folders', () => {
  it('refuses a folder entry (trailing slash) that carries data', async () => {
    const result = await inspect(docxWith({ name: 'word/vbaProject.bin/', data: 'Attribute VB_Name' }), 'docx');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
  });

  it.each([0, 8])('accepts an empty folder entry (method %i), as Java writers add them', async (method) => {
    const file = rawZip([{ name: 'Doc_0/', data: '', method }, ...rawEntries(ofdEntries())]);
    expect(codes(await inspect(file, 'ofd'))).toEqual([]);
  });
});

describe('where the archive ends', () => {
  it('refuses a second end record in the comment (readers scanning from the end take it)', async () => {
    const file = docxHidingArchiveInComment();
    expect(await namesYauzlReads(file)).toEqual(['word/vbaProject.bin']);
    const result = await inspect(file, 'docx');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
  });

  it('refuses a zip64 end record and locator hidden just before the end record', async () => {
    // The last central header's comment ends where the end record begins: a zip64 reader looks
    // for the locator there.
    const file = docxHidingArchiveBehindZip64Locator();
    const end = file.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    expect(file.lastIndexOf(Buffer.from('PK\x06\x07', 'latin1'))).toBe(end - 20);
    expect(await namesYauzlReads(file)).toEqual(['word/vbaProject.bin']);
    const result = await inspect(file, 'docx');
    expect(codes(result)).toContain('ZIP_MALFORMED');
  });

  it('refuses an archive comment whose length runs past the end', async () => {
    const file = rawZip(rawEntries(docxEntries()), { comment: Buffer.from('x'), commentLength: 10 });
    expect(codes(await inspect(file, 'docx'))).toEqual(['ZIP_MALFORMED']);
  });

  it('accepts a plain archive comment', async () => {
    const file = rawZip(rawEntries(docxEntries()), { comment: Buffer.from('Created by WPS Office') });
    expect(codes(await inspect(file, 'docx'))).toEqual([]);
  });
});

describe('local and central headers that disagree', () => {
  it('refuses a data descriptor that disagrees with sizes the local header gives', async () => {
    const file = docxWith({
      name: 'word/media/image1.png',
      data: 'x'.repeat(200),
      descriptor: true,
      local: { crc: 1, compressedSize: 3, size: 3 },
    });
    expect(codes(await inspect(file, 'docx'))).toEqual(['ZIP_MALFORMED']);
  });

  it('accepts a data descriptor repeating what the local header already gives', async () => {
    const data = 'x'.repeat(200);
    const plain = rawZip([{ name: 'a', data }]);
    const local = { crc: plain.readUInt32LE(14), compressedSize: plain.readUInt32LE(18), size: plain.readUInt32LE(22) };
    const file = docxWith({ name: 'word/media/image1.png', data, descriptor: true, local });
    expect(codes(await inspect(file, 'docx'))).toEqual([]);
  });

  it('accepts a local header giving the CRC only, its sizes zero, beside a data descriptor', async () => {
    const data = 'x'.repeat(200);
    const crc = rawZip([{ name: 'a', data }]).readUInt32LE(14);
    const file = docxWith({
      name: 'word/media/image1.png',
      data,
      descriptor: true,
      local: { crc, compressedSize: 0, size: 0 },
    });
    expect(codes(await inspect(file, 'docx'))).toEqual([]);
  });

  it('refuses a central header naming an entry twice', async () => {
    const entries = rawEntries(docxEntries());
    const file = rawZip(entries, { central: [...entries.keys(), 2] });
    expect(codes(await inspect(file, 'docx'))).toEqual(['ZIP_MALFORMED']);
  });

  it('refuses two names differing only in case', async () => {
    const file = docxWith({ name: '[CONTENT_TYPES].XML', data: '<Types/>' });
    expect(codes(await inspect(file, 'docx'))).toEqual(['ZIP_MALFORMED']);
  });

  it('reads an unknown extra field past, and refuses one that runs past its space', async () => {
    const ok = extraField(0xcafe, Buffer.alloc(4));
    expect(
      codes(await inspect(docxWith({ name: 'word/media/image1.png', data: 'x', localExtra: ok }), 'docx')),
    ).toEqual([]);
    // A Unicode Path field declaring 255 bytes where 1 follows.
    const broken = Buffer.concat([ok, Buffer.from([0x75, 0x70, 0xff, 0x00, 0x01])]);
    const result = await inspect(docxWith({ name: 'word/media/image1.png', data: 'x', localExtra: broken }), 'docx');
    expect(codes(result)).toEqual(['ZIP_MALFORMED']);
  });
});

describe('round 14: the container as other readers cut and name it', () => {
  const ofdWith = (...extra: RawEntry[]) => rawZip([...rawEntries(ofdEntries()), ...extra]);
  /** A whole local entry, as a reader that cuts a stored entry early reads on into it. */
  const hidden = rawZip([{ name: 'Doc_0/Document.xml', data: '<ofd:Document/>' }]).subarray(0, 60);

  it.each([
    ['a local header', Buffer.concat([Buffer.from('image data '), hidden])],
    ['a central header', Buffer.from('image data PK\x01\x02 more', 'latin1')],
    [
      'a descriptor whose size is not its place',
      Buffer.from('image PK\x07\x08\0\0\0\0\x05\0\0\0\x05\0\0\0 more', 'latin1'),
    ],
  ])('refuses a stored entry with a descriptor whose data holds %s', async (_, data) => {
    const file = ofdWith({ name: 'Doc_0/Res/image_1.png', data, method: 0, descriptor: true });
    for (const chunk of [1, 3, 65536]) expect(codes(await inspect(file, 'ofd', { chunk }))).toEqual(['ZIP_MALFORMED']);
  });

  it('accepts a stored entry with a descriptor (as Go writes one), and a deflated one holding a signature', async () => {
    const stored = ofdWith({ name: 'Doc_0/Res/image_1.png', data: 'P'.repeat(300) + 'K', method: 0, descriptor: true });
    expect(codes(await inspect(stored, 'ofd', { chunk: 1 }))).toEqual([]);
    // A deflated entry ends where its deflate stream does: a signature in its data cuts it for no reader.
    const deflated = ofdWith({
      name: 'Doc_0/Res/image_1.png',
      data: Buffer.concat([hidden, hidden]),
      descriptor: true,
    });
    expect(codes(await inspect(deflated, 'ofd'))).toEqual([]);
  });
});

describe('round 14: names as other readers read them', () => {
  const ofdWith = (...extra: RawEntry[]) => rawZip([...rawEntries(ofdEntries()), ...extra]);
  /** An unflagged name holding GBK's 乗 (81 5C): a backslash to readers that do not read GBK. */
  const withJou = (before: string | Buffer, after: string) =>
    Buffer.concat([Buffer.from(before), Buffer.from([0x81, 0x5c]), Buffer.from(after)]);
  /** 图 in GBK. */
  const TU = Buffer.from([0xcd, 0xbc]);

  it('refuses a GBK name that readers splitting at its 0x5C read with an empty folder name, or as a folder', async () => {
    for (const name of [withJou('Doc_0/Res/', '/image_1.png'), withJou('Doc_0/Res/', '')]) {
      const result = await inspect(ofdWith({ name, data: 'x' }), 'ofd');
      expect(codes(result)).toEqual(['ZIP_UNSAFE_PATH']);
      // Shown as the name the walk read.
      expect(result.findings[0]?.detail).toEqual({ name: new TextDecoder('gbk').decode(name) });
    }
  });

  it('accepts GBK names with 0x5C inside, split or not, and Chinese, accented and full-width names', async () => {
    const file = ofdWith(
      { name: withJou('Doc_0/Res/', '.png'), data: 'x' },
      { name: withJou(Buffer.concat([Buffer.from('Doc_0/Res/'), TU]), '1.png'), data: 'x' },
      { name: 'Doc_0/Res/图片.png', data: 'x', flags: UTF8 },
      { name: 'Doc_0/Res/印章.png', data: 'x', flags: UTF8 },
      { name: 'Doc_0/Res/café.png', data: 'x', flags: UTF8 },
      // Full-width letters and digits fold into ASCII for no reader's lookup (see the security notes).
      { name: 'Doc_0/Res/１.png', data: 'x', flags: UTF8 },
      { name: 'Doc_0/Res/1.png', data: 'x', flags: UTF8 },
      { name: 'Doc_0/Ｄocument.xml', data: '<ofd:Document/>', flags: UTF8 },
    );
    expect(codes(await inspect(file, 'ofd'))).toEqual([]);
  });

  it('refuses two names one in composed and one in decomposed form, one file on macOS', async () => {
    const file = ofdWith(
      { name: 'Doc_0/Res/caf\u00e9.png', data: 'x', flags: UTF8 },
      { name: 'Doc_0/Res/cafe\u0301.png', data: 'y', flags: UTF8 },
    );
    expect(codes(await inspect(file, 'ofd'))).toEqual(['ZIP_MALFORMED']);
  });

  it('refuses two names one file on Windows: a dotless ı or a long ſ is I or S there', async () => {
    // Beside the document's Doc_0/PublicRes.xml, and beside Doc_0/Signs/x.xml.
    const dotless = ofdWith({ name: 'Doc_0/Publ\u0131cRes.xml', data: '<x/>', flags: UTF8 });
    const longS = ofdWith(
      { name: 'Doc_0/Signs/x.xml', data: '<x/>' },
      { name: 'Doc_0/Sign\u017f/x.xml', data: '<x/>', flags: UTF8 },
    );
    for (const file of [dotless, longS]) expect(codes(await inspect(file, 'ofd'))).toEqual(['ZIP_MALFORMED']);
    // A sharp s, whose upper case is two letters, is no `ss` to Windows; Turkish and German names stay.
    const file = ofdWith(
      { name: 'Doc_0/Res/straße.png', data: 'x', flags: UTF8 },
      { name: 'Doc_0/Res/strasse.png', data: 'x', flags: UTF8 },
      { name: 'Doc_0/Res/ılık.png', data: 'x', flags: UTF8 },
    );
    expect(codes(await inspect(file, 'ofd'))).toEqual([]);
  });

  it('refuses an unflagged name whose UTF-8 reading is another entry’s name', async () => {
    // JSZip (ofd.js) and Commons Compress (ofdrw) read an unflagged name as UTF-8 by default.
    const file = ofdWith(
      { name: 'Doc_0/Res/图片.png', data: 'x', flags: UTF8 },
      { name: Buffer.from('Doc_0/Res/图片.png'), data: 'y' },
    );
    expect(codes(await inspect(file, 'ofd'))).toEqual(['ZIP_MALFORMED']);
  });
});

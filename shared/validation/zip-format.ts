/**
 * The zip format as the inspector reads it: record signatures, header flags, compression
 * methods, zip64 fields read as every reader reads them, and how an entry's name is decoded and judged.
 */

export const LOCAL = 0x04034b50;
export const CENTRAL = 0x02014b50;
export const END = 0x06054b50;
export const ZIP64_END = 0x06064b50;
export const ZIP64_LOCATOR = 0x07064b50;

export const FLAG_ENCRYPTED = 0x1;
export const FLAG_DESCRIPTOR = 0x8;
export const FLAG_UTF8 = 0x800;
export const STORED = 0;
export const DEFLATED = 8;
export const ZIP64_EXTRA_ID = 0x0001;
export const U32_MAX = 0xffffffff;
export const S_IFMT = 0o170000;
export const S_IFLNK = 0o120000;

/**
 * Longest entry name accepted. Office, WPS and OFD part names are short paths (Windows caps
 * them at 260 characters, at most 780 UTF-8 bytes); the cap keeps the names we must remember
 * (for duplicates and the central directory) to a few MiB even at maxZipEntries.
 */
export const MAX_NAME_BYTES = 1024;

/** An entry as its local header (and, for a descriptor, its data descriptor) describes it. */
export interface Entry {
  offset: number;
  rawName: Buffer;
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  inCentral: boolean;
}

/** Strict decoders: bytes that are not a name in the header's encoding are refused, not replaced. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const gbk = new TextDecoder('gbk', { fatal: true });

/**
 * Names flagged UTF-8 are UTF-8; others are decoded as GBK, what Chinese Windows tools write
 * (ASCII reads the same in every legacy code page), or, when the bytes are no GBK, as UTF-8: Java
 * before 7, macOS' Archive Utility and many libraries write UTF-8 without the flag, and readers
 * that find no GBK try UTF-8 (WPS, 7-Zip). Decoding first matters: in GBK the byte 0x5C (`\`) can
 * be the second half of a character, and must not count as a separator.
 *
 * Undefined when the bytes are not a name in either encoding: a replacement character stands for
 * bytes each reader decodes its own way (an overlong `C0 AF` is `/` to a lax UTF-8 decoder), so
 * the name the checks judge would not be the name a reader opens. ICU's GBK reads the bytes no
 * GBK character has (0xFF) as private-use characters, which no writer puts in a name.
 */
export function decodeName(raw: Buffer, flags: number): string | undefined {
  if (raw.every((b) => b < 0x80)) return raw.toString('latin1');
  if (flags & FLAG_UTF8) return strictly(utf8, raw);
  const name = strictly(gbk, raw);
  return name !== undefined && !/[\uE000-\uF8FF]/.test(name) ? name : strictly(utf8, raw);
}

/**
 * A name not flagged UTF-8 whose bytes are both GBK and UTF-8 (an even run of UTF-8 Chinese is
 * often both), as a reader that tries UTF-8 first reads it, when that differs from decodeName's:
 * the entry is judged by both names.
 */
export function otherReading(raw: Buffer, flags: number, name: string): string | undefined {
  if (flags & FLAG_UTF8 || raw.every((b) => b < 0x80)) return undefined;
  const other = strictly(utf8, raw);
  return other !== name ? other : undefined;
}

/**
 * A name not flagged UTF-8 whose bytes hold 0x5C as GBK's second byte of a character, as readers
 * that do not decode it as GBK read it: a backslash, which they take for a separator. Python's
 * zipfile reads such a name in code page 437 and, on Windows, makes its backslashes slashes;
 * Info-ZIP's unzip does so for an archive made on Windows; Apache Commons Compress (ofdrw)
 * decodes it as UTF-8, the first byte replaced, and Windows' paths split it at the backslash;
 * Explorer and 7-Zip read it in the system's code page. Under each, the part before the backslash
 * ends in the first byte's character, never a dot or a space, so the name climbs nowhere; but a
 * backslash at the end or before a slash (`图\/x.xml`, `图\`) leaves an empty folder name, which
 * readers collapse into another part's name, or a folder holding data. So the name is judged as
 * these readers split it, each byte past ASCII standing for some character (a letter here, as
 * the code page's character is none of `/`, `\`, `.` or a space). Undefined for other names.
 */
export function backslashReading(raw: Buffer, flags: number): string | undefined {
  if (flags & FLAG_UTF8 || !raw.includes(BACKSLASH) || raw.every((b) => b < 0x80)) return undefined;
  return raw
    .toString('latin1')
    .replace(/[\x80-\xff]/g, 'x')
    .replaceAll('\\', '/');
}
const BACKSLASH = 0x5c;

/**
 * The key by which two names are the same part to some reader, from `key`, a name lowercased:
 * past ASCII, Unicode normalisation aside (macOS' file systems store or match names in one
 * normalisation, so `café` composed and decomposed are one file when a reader that unpacks the
 * package writes both; ofdrw unpacks to a folder), and case aside as Windows compares names:
 * NTFS upper-cases each character to one (its case table, as .NET's ToUpperInvariant does), so
 * a dotless `ı` is `I` and a long `ſ` is `S` there (`Sıgnature.xml` is `Signature.xml`), which
 * lowercasing alone leaves apart. A character whose upper case is two (`ß`) is kept.
 */
export function sameNameKey(key: string): string {
  if (/^[\0-\x7f]*$/.test(key)) return key;
  let upper = '';
  for (const c of key.normalize('NFC')) {
    const u = c.toUpperCase();
    upper += u.length === 1 ? u : c;
  }
  return upper.toLowerCase();
}

function strictly(decoder: { decode(input: Uint8Array): string }, raw: Buffer): string | undefined {
  try {
    return decoder.decode(raw);
  } catch {
    return undefined;
  }
}

/** The name for a message, whatever its bytes. */
export function nameForMessage(raw: Buffer, flags: number): string {
  return decodeName(raw, flags) ?? raw.toString('latin1');
}

/**
 * Characters a reader may take for a separator or a dot: NFKC folds the full-width forms
 * (`／`, `＼`, `．`, `﹨`) to ASCII, and Windows' best-fit conversion to a legacy code page
 * maps the division and fraction slashes and the set minus to `/` and `\`. The full-width colon
 * is left alone: Chinese names use it where Windows forbids `:`, and it names no folder.
 */
const LOOK_ALIKE_SEPARATOR = /[\u2044\u2215\u2216\u29f5]/;
const SEPARATORS_AND_DOTS = /[/\\.]/g;

/**
 * A percent escape of what needs none: OPC part names are IRIs, and a reader that unescapes
 * them reads `word/%76baProject.bin` as `word/vbaProject.bin` and `word%2Fx` as `word/x`. Kept:
 * escapes of what an IRI path must escape (`%20`, `%25`) and of UTF-8 bytes (`%E5%9B%BE`), as
 * OPC maps a non-ASCII part name to a zip item name.
 */
function hasNeedlessEscape(name: string): boolean {
  for (const escape of name.matchAll(/%([0-9a-f]{2})/gi)) {
    const byte = Number.parseInt(escape[1] ?? '', 16);
    if (byte < 0x20 || byte === 0x7f || /[A-Za-z0-9\-._~/\\]/.test(String.fromCharCode(byte))) return true;
  }
  return false;
}

/**
 * Would extracting this name write outside the target folder (zip slip), or where another name
 * writes? Windows drops a trailing dot or space from each component (`Document.xml.` is
 * `Document.xml`), reads `name:stream` as a stream of `name` (`Document.xml::$DATA`), and `.` as
 * the folder itself: a reader that unpacks to disk would open such an entry under a name the
 * checks judge by, while the checks judged it by the name it has here. Readers also collapse an
 * empty folder (`word//x`), drop or replace control characters, unescape percent escapes and
 * fold look-alike separators: each would open the entry as a part the checks did not judge.
 */
export function isUnsafePath(name: string): boolean {
  // A colon is also a drive (`C:x`).
  // eslint-disable-next-line no-control-regex
  if (/[\0-\x1f\x7f\\:]/.test(name) || name.startsWith('/') || name.includes('//')) return true;
  if (name.includes('%') && hasNeedlessEscape(name)) return true;
  // `..` and `.` end in a dot too.
  if (name.split('/').some((part) => /[. ]$/.test(part))) return true;
  return !isAscii(name) && foldsToSeparator(name);
}

function isAscii(name: string): boolean {
  return /^[\0-\x7f]*$/.test(name);
}

function foldsToSeparator(name: string): boolean {
  if (LOOK_ALIKE_SEPARATOR.test(name)) return true;
  const count = (text: string) => text.match(SEPARATORS_AND_DOTS)?.length ?? 0;
  return count(name.normalize('NFKC')) !== count(name);
}

/** What a header's extra fields say that the walk acts on. */
export interface Extra {
  /** The zip64 extended information field's data (0x0001), the first if there are more. */
  zip64?: Buffer;
  /** How many zip64 fields there are: readers take the first or the last of two. */
  zip64Fields: number;
  /** The Info-ZIP Unicode Path field's name (0x7075), as 7-Zip, WinRAR and .NET prefer it. */
  unicodePath?: string;
}

const UNICODE_PATH_ID = 0x7075;

/**
 * A header's extra fields, or undefined when they do not read as fields: one that runs past the
 * space (readers each cut it their own way), or a Unicode Path field too short for its name.
 * Up to three bytes after the last field are padding no reader takes for a field.
 */
export function readExtra(extra: Buffer): Extra | undefined {
  const found: Extra = { zip64Fields: 0 };
  let at = 0;
  for (; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (at + 4 + length > extra.length) return undefined;
    if (id === ZIP64_EXTRA_ID) {
      found.zip64Fields++;
      found.zip64 ??= extra.subarray(at + 4, at + 4 + length);
    }
    if (id === UNICODE_PATH_ID) {
      // Version (1), the CRC-32 of the header's name, then the name in UTF-8.
      if (length < 5) return undefined;
      try {
        found.unicodePath = utf8.decode(extra.subarray(at + 9, at + 4 + length));
      } catch {
        return undefined;
      }
    }
  }
  return found;
}

/**
 * The sizes and offsets a header gives, read with its zip64 field as every reader reads it, or
 * why some reader would read them otherwise (a string). `fields` are the header's 32-bit values
 * in the zip64 field's order (uncompressed size, compressed size, local header offset); a value of
 * all ones stands for the next 8 bytes of the zip64 field. The field must hold exactly those
 * (`local`: a local header's holds both sizes, whatever their 32-bit values, APPNOTE 4.5.3), and
 * a value it holds beside a 32-bit one that is not all ones must be that value: a reader that
 * takes the field's values over the header's reads the same. A zip64 field beside no all-ones
 * value of a central header gives none (Info-ZIP, Python and Go then ignore it; some others read
 * it): it must be empty. A central header's field may end with a disk number of 0, the header's
 * own. No value may pass 2^53 (a JavaScript number; far past every limit here).
 *
 * A local header marks both sizes all ones or neither (round 18). Readers read a local field two
 * ways: Info-ZIP and Java by position (the uncompressed size, then the compressed one), libarchive
 * and 7-Zip by the marks, as in a central header (the first value for the first size marked). With
 * one size marked they read different values for it: a header marking only the compressed size is
 * read by libarchive with the uncompressed size as the compressed one, so its streaming reader
 * looks for the next header elsewhere than the walk does, where another entry can hide. No writer
 * we know marks one alone (Commons Compress, Info-ZIP's `zip -fz`, Python, Java, .NET mark both).
 *
 * `reserved`: a local field of zeros beside two 32-bit sizes that are not all ones is read as
 * those sizes. Writers that reserve the field before an entry's sizes are known leave it so once
 * they wrote the sizes into the header (found in workbooks from the wild), and readers take a
 * zip64 value only for an all-ones 32-bit one. The caller allows it only for a deflated entry:
 * a reader that took the zeros would look for the next header at the data's first byte, where a
 * deflate stream cannot hold a header's signature (its first block would be a stored one whose
 * length and complement disagree), so no reader finds a second entry there.
 */
export function zip64Read(fields: number[], extra: Extra, local: boolean, reserved = false): number[] | string {
  if (extra.zip64Fields > 1) return 'two zip64 fields';
  const data = extra.zip64;
  const marked = fields.map((value) => value === U32_MAX);
  if (data === undefined) return marked.some(Boolean) ? 'a size or offset of all ones without a zip64 field' : fields;
  if (local && marked.some(Boolean) && !marked.every(Boolean)) return 'one size all ones beside one that is not';
  const slots = local ? fields.length : marked.filter(Boolean).length;
  // A central header's may end with the disk number, 0 as the header's (Commons Compress writes it always).
  const disk = !local && data.length === slots * 8 + 4 && data.readUInt32LE(slots * 8) === 0;
  if (data.length !== slots * 8 && !disk) return `a zip64 field of ${data.length} bytes where ${slots * 8} are due`;
  if (reserved && local && !marked.some(Boolean) && data.every((byte) => byte === 0)) return fields;
  const values: number[] = [];
  let slot = 0;
  for (const [i, value] of fields.entries()) {
    if (!local && !marked[i]) {
      values.push(value);
      continue;
    }
    const wide = data.readBigUInt64LE(8 * slot++);
    if (wide > BigInt(Number.MAX_SAFE_INTEGER)) return 'a zip64 value past 2^53';
    const read = Number(wide);
    if (!marked[i] && read !== value) return 'a zip64 value that disagrees with the header';
    values.push(read);
  }
  return values;
}

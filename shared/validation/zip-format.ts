/**
 * The zip format as the inspector reads it: record signatures, header flags, compression
 * methods, the fields it refuses (zip64), and how an entry's name is decoded and judged.
 */

export const LOCAL = 0x04034b50;
export const CENTRAL = 0x02014b50;
export const END = 0x06054b50;
export const ZIP64_END = 0x06064b50;
export const ZIP64_LOCATOR = 0x07064b50;

export const FLAG_ENCRYPTED = 0x1;
export const FLAG_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
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

const gbk = new TextDecoder('gbk');

/**
 * Names flagged UTF-8 are UTF-8; others are decoded as GBK, what Chinese Windows tools write
 * (ASCII reads the same in every legacy code page). Decoding first matters: in GBK the byte
 * 0x5C (`\`) can be the second half of a character, and must not count as a separator.
 */
export function decodeName(raw: Buffer, flags: number): string {
  if (flags & FLAG_UTF8) return raw.toString('utf8');
  return raw.every((b) => b < 0x80) ? raw.toString('latin1') : gbk.decode(raw);
}

/**
 * Would extracting this name write outside the target folder (zip slip), or where another name
 * writes? Windows drops a trailing dot or space from each component (`Document.xml.` is
 * `Document.xml`), reads `name:stream` as a stream of `name` (`Document.xml::$DATA`), and `.` as
 * the folder itself: a reader that unpacks to disk would open such an entry under a name the
 * checks judge by, while the checks judged it by the name it has here.
 */
export function isUnsafePath(name: string): boolean {
  // A colon is also a drive (`C:x`).
  if (name.includes('\0') || name.includes('\\') || name.includes(':')) return true;
  if (name.startsWith('/')) return true;
  // `..` and `.` end in a dot too.
  return name.split('/').some((part) => /[. ]$/.test(part));
}

export function hasExtra(extra: Buffer, id: number): boolean {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) === id) return true;
  }
  return false;
}

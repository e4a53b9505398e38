import {
  type Entry,
  FLAG_ENCRYPTED,
  FLAG_UTF8,
  nameForMessage,
  readExtra,
  S_IFLNK,
  S_IFMT,
  U32_MAX,
} from './zip-format.ts';

/**
 * The central directory and the end record, checked against what the local headers said as they
 * streamed by: readers that trust the central directory and readers that stream local headers
 * must see the same archive.
 */

/** Why a record is refused: a feature not accepted (ZIP_UNSUPPORTED), or a malformed archive. */
export type Refusal = { unsupported: string } | { malformed: string };

/** What the walk has seen when it reaches the end record. */
export interface Walked {
  entries: readonly Entry[];
  centralEntries: number;
  /** Stream positions of the first central header and of the end record. */
  centralStart: number;
  endAt: number;
}

/**
 * A central directory header (its fixed part and its name, extra and comment), which must match
 * the local header at its offset exactly (name and its encoding, method, encryption, sizes, CRC)
 * and only once, and whose extra fields may not name it otherwise.
 */
export function matchCentral(
  fixed: Buffer,
  variable: Buffer,
  byOffset: ReadonlyMap<number, Entry>,
): { refusal: Refusal } | { local: Entry; symlink: boolean } {
  const flags = fixed.readUInt16LE(4);
  const method = fixed.readUInt16LE(6);
  const crc = fixed.readUInt32LE(12);
  const compressedSize = fixed.readUInt32LE(16);
  const size = fixed.readUInt32LE(20);
  const nameLength = fixed.readUInt16LE(24);
  const extraLength = fixed.readUInt16LE(26);
  const disk = fixed.readUInt16LE(30);
  const attributes = fixed.readUInt32LE(34);
  const localOffset = fixed.readUInt32LE(38);
  const rawName = variable.subarray(0, nameLength);
  const extra = readExtra(variable.subarray(nameLength, nameLength + extraLength));

  if (compressedSize === U32_MAX || size === U32_MAX || localOffset === U32_MAX || extra?.zip64) {
    return { refusal: { unsupported: 'zip64' } };
  }
  if (disk !== 0) {
    return { refusal: { unsupported: 'multi-disk archive' } };
  }
  const local = byOffset.get(localOffset);
  if (
    !local ||
    local.inCentral ||
    !local.rawName.equals(rawName) ||
    local.method !== method ||
    (local.flags & FLAG_ENCRYPTED) !== (flags & FLAG_ENCRYPTED) ||
    // The same bytes read in another encoding are another name (an ASCII name reads the same in each).
    ((local.flags & FLAG_UTF8) !== (flags & FLAG_UTF8) && rawName.some((byte) => byte >= 0x80)) ||
    local.crc !== crc ||
    local.compressedSize !== compressedSize ||
    local.size !== size
  ) {
    return {
      refusal: { malformed: `central directory disagrees with local header of ${nameForMessage(rawName, flags)}` },
    };
  }
  // A reader of the central directory takes this field's name over the header's.
  if (!extra || (extra.unicodePath !== undefined && extra.unicodePath !== local.name)) {
    const named = extra
      ? `is named ${extra.unicodePath} by its Unicode Path field`
      : 'has extra fields that do not read';
    return { refusal: { malformed: `the central header of ${local.name} ${named}` } };
  }
  // Unix mode in the high 16 bits of the external attributes.
  return { local, symlink: ((attributes >>> 16) & S_IFMT) === S_IFLNK };
}

/** The end record, which must count and locate exactly the central headers seen. */
export function checkEnd(record: Buffer, walked: Walked): { refusal: Refusal } | { commentLength: number } {
  const disk = record.readUInt16LE(0);
  const centralDisk = record.readUInt16LE(2);
  const entriesHere = record.readUInt16LE(4);
  const entries = record.readUInt16LE(6);
  const centralSize = record.readUInt32LE(8);
  const centralOffset = record.readUInt32LE(12);
  if (entries === 0xffff || centralSize === U32_MAX || centralOffset === U32_MAX) {
    return { refusal: { unsupported: 'zip64' } };
  }
  if (disk !== 0 || centralDisk !== 0 || entriesHere !== entries) {
    return { refusal: { unsupported: 'multi-disk archive' } };
  }
  if (
    entries !== walked.centralEntries ||
    entries !== walked.entries.length ||
    walked.entries.some((e) => !e.inCentral) ||
    centralOffset !== walked.centralStart ||
    centralSize !== walked.endAt - walked.centralStart
  ) {
    return { refusal: { malformed: 'end record disagrees with the entries' } };
  }
  return { commentLength: record.readUInt16LE(16) };
}

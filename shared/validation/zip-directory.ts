import {
  type Entry,
  FLAG_ENCRYPTED,
  FLAG_UTF8,
  nameForMessage,
  readExtra,
  S_IFLNK,
  S_IFMT,
  U32_MAX,
  zip64Read,
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
  /** Stream positions of the first central header and of what ends the directory (the zip64 end record, or the end record). */
  centralStart: number;
  endAt: number;
  /** Whether a zip64 end record and its locator, checked (checkZip64End), came before the end record. */
  zip64: boolean;
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
  const nameLength = fixed.readUInt16LE(24);
  const extraLength = fixed.readUInt16LE(26);
  const disk = fixed.readUInt16LE(30);
  const attributes = fixed.readUInt32LE(34);
  const rawName = variable.subarray(0, nameLength);
  const extra = readExtra(variable.subarray(nameLength, nameLength + extraLength));
  const fields = [fixed.readUInt32LE(20), fixed.readUInt32LE(16), fixed.readUInt32LE(38)];
  // A disk number of all ones would send a reader to a fourth value of the zip64 field.
  const read = !extra
    ? 'extra fields that do not read'
    : disk === 0xffff
      ? 'a zip64 disk number'
      : zip64Read(fields, extra, false);
  if (typeof read === 'string') {
    return { refusal: { malformed: `the central header of ${nameForMessage(rawName, flags)}: ${read}` } };
  }
  const [size, compressedSize, localOffset = -1] = read;
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
  // Behind a zip64 end record, a value of all ones says "see there" (which was checked); any
  // other value must be the real one, as without one, so a reader of either record reads the same.
  const is = (value: number, real: number, allOnes: number) => value === real || (walked.zip64 && value === allOnes);
  if (!walked.zip64 && (entries === 0xffff || centralSize === U32_MAX || centralOffset === U32_MAX)) {
    return { refusal: { malformed: 'an end record marking zip64 values without a zip64 end record' } };
  }
  if (!is(disk, 0, 0xffff) || !is(centralDisk, 0, 0xffff) || entriesHere !== entries) {
    return { refusal: { unsupported: 'multi-disk archive' } };
  }
  if (
    walked.centralEntries !== walked.entries.length ||
    !is(entries, walked.centralEntries, 0xffff) ||
    walked.entries.some((e) => !e.inCentral) ||
    !is(centralOffset, walked.centralStart, U32_MAX) ||
    !is(centralSize, walked.endAt - walked.centralStart, U32_MAX)
  ) {
    return { refusal: { malformed: 'end record disagrees with the entries' } };
  }
  return { commentLength: record.readUInt16LE(16) };
}

/** A zip64 end record's length after its signature: its own size (8 bytes) and version 1's 44. */
export const ZIP64_END_LENGTH = 52;
/** A zip64 end locator's length after its signature. */
export const ZIP64_LOCATOR_LENGTH = 16;

/**
 * The zip64 end record (after its signature), which must count and locate exactly the central
 * headers seen, as the end record must: one disk, no extensible data (version 2's, for
 * encrypted directories). `at`: its signature's stream position.
 */
export function checkZip64End(record: Buffer, walked: Omit<Walked, 'zip64'>): Refusal | undefined {
  const wide = (at: number) => Number(record.readBigUInt64LE(at));
  if (record.readBigUInt64LE(0) !== 44n) return { unsupported: 'zip64 end record with extensible data' };
  if (record.readUInt32LE(12) !== 0 || record.readUInt32LE(16) !== 0 || wide(20) !== wide(28)) {
    return { unsupported: 'multi-disk archive' };
  }
  if (
    wide(28) !== walked.centralEntries ||
    walked.centralEntries !== walked.entries.length ||
    wide(36) !== walked.endAt - walked.centralStart ||
    wide(44) !== walked.centralStart
  ) {
    return { malformed: 'zip64 end record disagrees with the entries' };
  }
  return undefined;
}

/**
 * The zip64 end locator (after its signature), right after the zip64 end record at `zip64At`: it
 * must point there, on the one disk of one (a reader follows the locator, not the walk).
 */
export function checkZip64Locator(locator: Buffer, zip64At: number): Refusal | undefined {
  if (locator.readUInt32LE(0) !== 0 || locator.readUInt32LE(12) !== 1) return { unsupported: 'multi-disk archive' };
  if (locator.readBigUInt64LE(4) !== BigInt(zip64At)) return { malformed: 'a zip64 locator pointing elsewhere' };
  return undefined;
}

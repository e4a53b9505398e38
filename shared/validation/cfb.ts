import type { Inspector } from './types.ts';

/**
 * What an OLE2 compound file (MS-CFB) holds, read only far enough to tell a county official what
 * to do with it: a password-protected DOCX or XLSX is one (its encrypted package and how to open
 * it: MS-OFFCRYPTO), and so are the Word, Excel and PowerPoint 97–2003 formats (.doc, .xls, .ppt)
 * and WPS's older .wps and .et. Every one is refused all the same (no check reads inside it); this
 * only chooses the message.
 *
 * A compound file is a FAT file system in sectors of 512 or 4096 bytes: a 512-byte header names the
 * sector size, the first sector of the directory and the first 109 sectors of the FAT (which
 * chains sectors together), and the directory is a chain of sectors of 128-byte entries whose names
 * are UTF-16LE. Writers put the directory anywhere (Word after the streams, Office's encryption
 * before them) and the FAT before or after it, so neither can be looked up as the file streams by.
 * The reader keeps, as they pass, the FAT sectors the header names and the sectors that read as
 * directory sectors, each up to a bound (FAT_KEPT, DIRECTORY_KEPT), never the file; at the end it
 * follows the directory's chain through them. What it cannot reach (a FAT past the bound, a chain
 * through a sector it did not keep) leaves the file unidentified, which the caller reports as an
 * unknown compound file.
 */

/** What the file is, from the names in its directory. */
export type CompoundKind = 'encrypted-ooxml' | 'word' | 'excel' | 'powerpoint';

export const CFB_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const HEADER_BYTES = 512;
const ENTRY_BYTES = 128;
/** Sector ids at and above this are markers (free, end of chain, FAT, DIFAT), not sectors. */
const MAX_SECTOR_ID = 0xfffffffa;
/** FAT sectors kept: 64 KiB of 4-byte entries addresses 16,384 sectors (8 MiB at 512 bytes, 64 MiB at 4096). */
const FAT_KEPT = 64 * 1024;
/** Directory-like sectors kept: 64 KiB is 512 entries, where a .doc or .xls has a few dozen. */
const DIRECTORY_KEPT = 64 * 1024;
/** The longest directory chain followed. */
const MAX_CHAIN = DIRECTORY_KEPT / 512;

export class CompoundFileReader implements Inspector {
  private header: Buffer | undefined;
  private headBytes: Buffer[] = [];
  private received = 0;
  private sectorSize = 0;
  private firstDirectory = 0;
  /** FAT sector ids (from the header's DIFAT) → their position in the FAT. */
  private fatIndex = new Map<number, number>();
  private readonly fat = new Map<number, Buffer>();
  private readonly directory = new Map<number, Buffer>();
  private fatBytes = 0;
  private directoryBytes = 0;
  /** The sector being gathered (its id, and its bytes so far). */
  private current: { id: number; pieces: Buffer[]; length: number } | undefined;

  push(chunk: Buffer): void {
    let rest = chunk;
    if (!this.header) {
      const need = HEADER_BYTES - this.received;
      this.headBytes.push(Buffer.from(rest.subarray(0, need)));
      this.received += Math.min(need, rest.length);
      rest = rest.subarray(need);
      if (this.received < HEADER_BYTES) return;
      this.readHeader(Buffer.concat(this.headBytes));
      this.headBytes = [];
    }
    if (this.sectorSize === 0) return;
    while (rest.length > 0) {
      // Bytes past the header's sector (a 4096-byte sector file pads its header to a whole one).
      const offset = this.received - this.sectorSize;
      if (offset < 0) {
        const skip = Math.min(-offset, rest.length);
        this.received += skip;
        rest = rest.subarray(skip);
        continue;
      }
      const id = Math.floor(offset / this.sectorSize);
      const within = offset % this.sectorSize;
      const take = Math.min(this.sectorSize - within, rest.length);
      if (this.wanted(id) && take === this.sectorSize) {
        this.keep(id, rest.subarray(0, take)); // a whole sector in this chunk: copied only if kept
      } else if (this.wanted(id)) {
        this.current ??= { id, pieces: [], length: 0 };
        this.current.pieces.push(Buffer.from(rest.subarray(0, take)));
        this.current.length += take;
        if (this.current.length === this.sectorSize) this.keep(this.current.id, Buffer.concat(this.current.pieces));
      }
      if (within + take === this.sectorSize) this.current = undefined;
      this.received += take;
      rest = rest.subarray(take);
    }
  }

  finish(): void {
    this.current = undefined;
  }

  close(): void {
    this.finish();
  }

  /** What the directory says the file is; undefined when it cannot be read or names none of them. */
  get kind(): CompoundKind | undefined {
    const names = this.names();
    if (names === undefined) return undefined;
    if (names.has('encryptedpackage') && names.has('encryptioninfo')) return 'encrypted-ooxml';
    if (names.has('worddocument')) return 'word';
    if (names.has('workbook') || names.has('book')) return 'excel';
    if (names.has('powerpoint document')) return 'powerpoint';
    return undefined;
  }

  private readHeader(header: Buffer): void {
    this.header = header;
    if (!header.subarray(0, 8).equals(CFB_SIGNATURE)) return;
    const shift = header.readUInt16LE(30);
    if (shift !== 9 && shift !== 12) return;
    this.sectorSize = 1 << shift;
    this.firstDirectory = header.readUInt32LE(48);
    const fatSectors = Math.min(header.readUInt32LE(44), 109, FAT_KEPT / this.sectorSize);
    for (let i = 0; i < fatSectors; i++) {
      const id = header.readUInt32LE(76 + 4 * i);
      if (id < MAX_SECTOR_ID && !this.fatIndex.has(id)) this.fatIndex.set(id, i);
    }
  }

  /** Whether sector `id` might be kept: a FAT sector, or any while there is room for a directory one. */
  private wanted(id: number): boolean {
    return this.fatIndex.has(id) || this.directoryBytes < DIRECTORY_KEPT;
  }

  private keep(id: number, sector: Buffer): void {
    if (this.fatIndex.has(id)) {
      if (this.fatBytes < FAT_KEPT) {
        this.fat.set(this.fatIndex.get(id) ?? 0, Buffer.from(sector));
        this.fatBytes += sector.length;
      }
    } else if (looksLikeDirectory(sector) && this.directoryBytes < DIRECTORY_KEPT) {
      this.directory.set(id, Buffer.from(sector));
      this.directoryBytes += sector.length;
    }
  }

  /** The lowercased names along the directory's chain, or undefined before the first directory sector. */
  private names(): Set<string> | undefined {
    if (this.sectorSize === 0) return undefined;
    const names = new Set<string>();
    const perFatSector = this.sectorSize / 4;
    const seen = new Set<number>();
    let id = this.firstDirectory;
    while (id < MAX_SECTOR_ID && !seen.has(id) && seen.size < MAX_CHAIN) {
      seen.add(id);
      const sector = this.directory.get(id);
      if (!sector) break;
      for (let at = 0; at + ENTRY_BYTES <= sector.length; at += ENTRY_BYTES) {
        const name = entryName(sector, at);
        if (name) names.add(name.toLowerCase());
      }
      const fat = this.fat.get(Math.floor(id / perFatSector));
      if (!fat) break;
      id = fat.readUInt32LE((id % perFatSector) * 4);
    }
    return seen.size > 0 && this.directory.has(this.firstDirectory) ? names : undefined;
  }
}

/**
 * An entry's name (UTF-16LE, its length in bytes at 64 counting a closing NUL), or undefined if
 * the entry is unused. Its NUL is not insisted on: POI's encryption names its root entry `R`
 * with a length of 2.
 */
function entryName(sector: Buffer, at: number): string | undefined {
  const length = sector.readUInt16LE(at + 64);
  if (sector[at + 66] === 0 || length < 4 || length > 64) return undefined;
  return sector.toString('utf16le', at, at + (length & ~1) - 2).replace(/\0.*$/s, '');
}

/**
 * Whether every 128-byte slot of `sector` reads as a directory entry (MS-CFB 2.6.1: a name length
 * of at most 64 even bytes, a type of unused, storage, stream or root, a colour of red or black)
 * and one at least is used. Random data (an encrypted package, a picture) passes this for a
 * 4-entry sector about once in 2^90.
 */
function looksLikeDirectory(sector: Buffer): boolean {
  let used = false;
  for (let at = 0; at + ENTRY_BYTES <= sector.length; at += ENTRY_BYTES) {
    const length = sector.readUInt16LE(at + 64);
    const type = sector[at + 66] ?? 255;
    const colour = sector[at + 67] ?? 255;
    if (length > 64 || length % 2 !== 0 || colour > 1 || !(type <= 2 || type === 5)) return false;
    if (type !== 0) used = true;
  }
  return used;
}

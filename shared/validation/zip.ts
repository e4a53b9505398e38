import type { FileType } from '../schemas/common.ts';
import { Gather, StreamScanner } from './bytes.ts';
import { EntryData, type EntryMode } from './inflate.ts';
import type { Report } from './report.ts';
import type { InspectionLimits, Inspector } from './types.ts';

/**
 * Zip-based documents (OFD, XLSX, DOCX), walked strictly from the first byte to the last:
 *
 *   local header + data [+ descriptor]  …  central directory headers  …  end record [+ comment]
 *
 * Every byte must belong to that sequence: no gaps, nothing before the first local header
 * (sniffing put one at offset 0), nothing after the end record (TRAILING_DATA). Readers that
 * trust the central directory and readers that stream local headers must see the same archive,
 * so each central header has to match a local header exactly (name, method, sizes, CRC).
 * Entry data is inflated as it passes and the real output counted (headers can lie); nothing
 * but names and offsets is kept, and the central directory is parsed as it streams by, so its
 * size never matters.
 *
 * Zip64 is refused as ZIP_UNSUPPORTED: evidence files are far below 4 GiB, Office, WPS and OFD
 * writers never need it, and refusing it removes a second set of size fields that could
 * disagree with the first. Entries with a data descriptor (flag bit 3, written by Java and most
 * streaming writers) are supported when the descriptor carries its signature, as every
 * mainstream writer's does: the entry ends at the first `PK\7\8` whose compressed-size field
 * equals the bytes since the data began.
 */

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const DESCRIPTOR = Buffer.from('PK\x07\x08', 'latin1');
/** Signature, CRC, compressed size, size. */
const DESCRIPTOR_LENGTH = 16;
/** Bytes held back while looking for a descriptor: one that starts there is not confirmed yet. */
const HOLD = DESCRIPTOR_LENGTH - 1;

const FLAG_ENCRYPTED = 0x1;
const FLAG_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
const STORED = 0;
const DEFLATED = 8;
const ZIP64_EXTRA_ID = 0x0001;
const U32_MAX = 0xffffffff;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Longest entry name accepted. Office, WPS and OFD part names are short paths (Windows caps
 * them at 260 characters, at most 780 UTF-8 bytes); the cap keeps the names we must remember
 * (for duplicates and the central directory) to a few MiB even at maxZipEntries.
 */
export const MAX_NAME_BYTES = 1024;
/** Entries that inflate to less than this are never called bombs, whatever their ratio. */
export const RATIO_GRACE_BYTES = 1024 * 1024;
/** How much of [Content_Types].xml is read for macro content types. */
const CONTENT_TYPES_CAP = 1024 * 1024;
const CONTENT_TYPES = '[content_types].xml';
const MACRO_CONTENT_TYPE = /macroEnabled|vbaProject|macrosheet/i;

const EMPTY = Buffer.alloc(0);
const gbk = new TextDecoder('gbk');

interface Entry {
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

type State =
  | 'signature'
  | 'local'
  | 'localNames'
  | 'data'
  | 'dataUntilDescriptor'
  | 'central'
  | 'centralNames'
  | 'end'
  | 'comment'
  | 'after'
  | 'stopped';

export class ZipInspector implements Inspector {
  private state: State = 'signature';
  private readonly gather = new Gather();
  /** Stream position of the chunk being pushed. */
  private offset = 0;
  /** Stream position of the record being gathered. */
  private recordAt = 0;
  private fixed = EMPTY;
  private readonly entries: Entry[] = [];
  private readonly byOffset = new Map<number, Entry>();
  private readonly names = new Set<string>();
  private current: Entry | undefined;
  private data: EntryData | undefined;
  private remaining = 0;
  // Looking for a data descriptor:
  private finder: StreamScanner | undefined;
  private found = -1;
  private seen = 0;
  private held = EMPTY;
  // Totals:
  private declaredBytes = 0;
  private inflatedBytes = 0;
  private contentTypes: Buffer[] | undefined;
  private contentTypesBytes = 0;
  private centralStart = -1;
  private centralEntries = 0;
  private trailing = 0;

  constructor(
    private readonly report: Report,
    private readonly limits: InspectionLimits,
  ) {
    this.gather.reset(4);
  }

  /** The document type its entry names make it, if any (known after `finish`). */
  get documentType(): FileType | undefined {
    if (this.names.has('ofd.xml')) return 'ofd';
    if (!this.names.has(CONTENT_TYPES)) return undefined;
    if (this.names.has('word/document.xml')) return 'docx';
    if (this.names.has('xl/workbook.xml')) return 'xlsx';
    return undefined;
  }

  /** Whether the walk reached the end record, with nothing after it. */
  get complete(): boolean {
    return this.state === 'after' && this.trailing === 0;
  }

  async push(chunk: Buffer): Promise<void> {
    let pos = 0;
    while (pos < chunk.length && this.state !== 'stopped') {
      switch (this.state) {
        case 'data': {
          const n = Math.min(this.remaining, chunk.length - pos);
          await this.data?.write(chunk.subarray(pos, pos + n));
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) await this.endEntry();
          break;
        }
        case 'dataUntilDescriptor':
          pos = await this.untilDescriptor(chunk, pos);
          break;
        case 'comment': {
          const n = Math.min(this.remaining, chunk.length - pos);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = 'after';
          break;
        }
        case 'after':
          this.trailing += chunk.length - pos;
          pos = chunk.length;
          break;
        default:
          pos = this.gather.take(chunk, pos);
          if (this.gather.complete) await this.onGathered(this.gather.bytes, this.offset + pos);
      }
    }
    this.offset += chunk.length;
    if (this.state === 'stopped') this.data?.abort();
  }

  close(): void {
    this.data?.abort();
    this.state = 'stopped';
  }

  finish(): void {
    this.data?.abort();
    this.report.facts.zipEntries = this.entries.length;
    this.report.facts.uncompressedBytes = this.inflatedBytes;
    if (this.state === 'stopped') return;
    if (this.state !== 'after') {
      this.malformed('the archive ends early');
      return;
    }
    if (this.trailing > 0) this.report.add('TRAILING_DATA', { bytes: this.trailing });
  }

  /** `end` is the stream position just after the gathered bytes. */
  private async onGathered(bytes: Buffer, end: number): Promise<void> {
    switch (this.state) {
      case 'signature':
        this.recordAt = end - 4;
        return this.onSignature(bytes.readUInt32LE(0));
      case 'local':
        return this.expectNames('localNames', bytes, bytes.readUInt16LE(22) + bytes.readUInt16LE(24), end);
      case 'localNames':
        return this.beginEntry(bytes);
      case 'central':
        return this.expectNames(
          'centralNames',
          bytes,
          bytes.readUInt16LE(24) + bytes.readUInt16LE(26) + bytes.readUInt16LE(28),
          end,
        );
      case 'centralNames':
        return this.onCentral(bytes);
      case 'end':
        return this.onEnd(bytes);
    }
  }

  private onSignature(signature: number): void {
    if (signature === LOCAL && this.centralStart === -1) {
      this.expect('local', 26);
    } else if (signature === CENTRAL) {
      if (this.centralStart === -1) this.centralStart = this.recordAt;
      this.expect('central', 42);
    } else if (signature === END) {
      this.expect('end', 18);
    } else if (signature === ZIP64_END || signature === ZIP64_LOCATOR) {
      this.unsupported('zip64');
    } else {
      this.malformed(`unexpected bytes at offset ${this.recordAt}`);
    }
  }

  private async beginEntry(names: Buffer): Promise<void> {
    const fixed = this.fixed;
    const nameLength = fixed.readUInt16LE(22);
    const flags = fixed.readUInt16LE(2);
    const method = fixed.readUInt16LE(4);
    const compressedSize = fixed.readUInt32LE(14);
    const size = fixed.readUInt32LE(18);
    const rawName = Buffer.from(names.subarray(0, nameLength));
    const name = decodeName(rawName, flags);
    const entry: Entry = {
      offset: this.recordAt,
      rawName,
      name,
      flags,
      method,
      crc: fixed.readUInt32LE(10),
      compressedSize,
      size,
      inCentral: false,
    };

    if (this.entries.length >= this.limits.maxZipEntries) {
      this.report.add('ZIP_TOO_MANY_ENTRIES', { limit: this.limits.maxZipEntries });
      this.stop();
      return;
    }
    if (
      compressedSize === U32_MAX ||
      size === U32_MAX ||
      hasExtra(names.subarray(nameLength), ZIP64_EXTRA_ID)
    ) {
      this.unsupported('zip64');
      return;
    }
    if (nameLength === 0 || nameLength > MAX_NAME_BYTES) {
      this.malformed(`an entry name of ${nameLength} bytes`);
      return;
    }
    const key = name.toLowerCase();
    if (this.names.has(key)) {
      this.malformed(`duplicate entry ${name}`);
      return;
    }
    this.names.add(key);
    if (isUnsafePath(name)) this.report.add('ZIP_UNSAFE_PATH', { name });
    if (isMacroPart(key)) this.report.add('MACROS', { name });

    let mode: EntryMode = method === STORED ? 'stored' : 'deflated';
    if (flags & FLAG_ENCRYPTED) {
      this.report.facts.encrypted = true;
      this.report.add('ZIP_ENCRYPTED', { name });
      mode = 'opaque';
    } else if (method !== STORED && method !== DEFLATED) {
      this.report.add('ZIP_UNSUPPORTED', { feature: `compression method ${method}` });
      mode = 'opaque';
    }

    this.current = entry;
    this.contentTypes = key === CONTENT_TYPES ? [] : undefined;
    this.contentTypesBytes = 0;
    this.data = new EntryData(mode, (out) => this.onOutput(out));

    if (flags & FLAG_DESCRIPTOR) {
      this.state = 'dataUntilDescriptor';
      this.found = -1;
      this.seen = 0;
      this.held = EMPTY;
      this.finder = new StreamScanner(
        DESCRIPTOR,
        (window, i, at) => {
          if (i + DESCRIPTOR_LENGTH > window.length || window.readUInt32LE(i + 8) !== at) return false;
          entry.crc = window.readUInt32LE(i + 4);
          entry.compressedSize = at;
          entry.size = window.readUInt32LE(i + 12);
          this.found = at;
          return true;
        },
        { after: DESCRIPTOR_LENGTH - DESCRIPTOR.length },
      );
      return;
    }
    if (method === STORED && mode === 'stored' && compressedSize !== size) {
      this.malformed(`stored entry ${name} has two different sizes`);
      return;
    }
    if (!this.withinDeclaredLimits(entry)) return;
    this.state = 'data';
    this.remaining = compressedSize;
    if (compressedSize === 0) await this.endEntry();
  }

  /** What headers claim: refused before any inflating when the claim alone is too much. */
  private withinDeclaredLimits(entry: Entry): boolean {
    this.declaredBytes += entry.size;
    const ratio = entry.size / Math.max(entry.compressedSize, 1);
    if (this.declaredBytes > this.limits.maxUncompressedBytes) {
      this.bomb({ reason: 'declared size', declaredBytes: this.declaredBytes });
      return false;
    }
    if (entry.size > RATIO_GRACE_BYTES && ratio > this.limits.maxCompressionRatio) {
      this.bomb({ reason: 'declared ratio', name: entry.name, ratio: Math.round(ratio) });
      return false;
    }
    return true;
  }

  /** What inflating really produces: checked as it happens, so the limit is never passed by much. */
  private onOutput(out: Buffer): boolean {
    this.inflatedBytes += out.length;
    if (this.contentTypes && this.contentTypesBytes < CONTENT_TYPES_CAP) {
      this.contentTypes.push(Buffer.from(out));
      this.contentTypesBytes += out.length;
    }
    const data = this.data;
    if (this.inflatedBytes > this.limits.maxUncompressedBytes) {
      this.bomb({ reason: 'inflated size', inflatedBytes: this.inflatedBytes });
      return false;
    }
    if (
      data &&
      data.size > RATIO_GRACE_BYTES &&
      data.size > this.limits.maxCompressionRatio * data.consumed
    ) {
      this.bomb({
        reason: 'inflated ratio',
        name: this.current?.name ?? '',
        ratio: Math.round(data.size / data.consumed),
      });
      return false;
    }
    return true;
  }

  /**
   * Streams entry data until its descriptor. Bytes are handed on only once no descriptor can
   * start among them: the last HOLD bytes wait (copied) for the next chunk.
   */
  private async untilDescriptor(chunk: Buffer, pos: number): Promise<number> {
    const piece = chunk.subarray(pos);
    const seenBefore = this.seen;
    const heldFrom = seenBefore - this.held.length;
    this.seen += piece.length;
    this.finder?.push(piece);
    const data = this.data;
    if (this.found === -1) {
      if (piece.length >= HOLD) {
        await data?.write(this.held);
        await data?.write(piece.subarray(0, piece.length - HOLD));
        this.held = Buffer.from(piece.subarray(piece.length - HOLD));
      } else {
        const all = Buffer.concat([this.held, piece]);
        const cut = Math.max(0, all.length - HOLD);
        await data?.write(all.subarray(0, cut));
        this.held = all.subarray(cut);
      }
      return chunk.length;
    }
    const end = this.found;
    await data?.write(this.held.subarray(0, clamp(end - heldFrom, 0, this.held.length)));
    await data?.write(piece.subarray(0, clamp(end - seenBefore, 0, piece.length)));
    this.held = EMPTY;
    this.finder = undefined;
    const entry = this.current;
    if (entry && !this.withinDeclaredLimits(entry)) return chunk.length;
    await this.endEntry();
    return pos + (end + DESCRIPTOR_LENGTH - seenBefore);
  }

  private async endEntry(): Promise<void> {
    const entry = this.current;
    const data = this.data;
    if (!entry || !data) return;
    const result = await data.end();
    this.data = undefined;
    if (this.state === 'stopped') return;
    this.entries.push(entry);
    this.byOffset.set(entry.offset, entry);
    this.expect('signature', 4);
    if (result.error !== undefined) {
      this.malformed(`corrupt data in ${entry.name}: ${result.error}`);
      return;
    }
    if (!(entry.flags & FLAG_ENCRYPTED) && (entry.method === STORED || entry.method === DEFLATED)) {
      if (result.size !== entry.size) {
        this.malformed(`${entry.name} is not the size its header says`);
        return;
      }
      if (result.crc !== entry.crc) {
        this.malformed(`CRC mismatch in ${entry.name}`);
        return;
      }
    }
    if (this.contentTypes) {
      const text = Buffer.concat(this.contentTypes).toString('utf8');
      if (MACRO_CONTENT_TYPE.test(text)) this.report.add('MACROS', { name: entry.name });
      this.contentTypes = undefined;
    }
  }

  private onCentral(variable: Buffer): void {
    const fixed = this.fixed;
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
    this.centralEntries++;

    if (
      compressedSize === U32_MAX ||
      size === U32_MAX ||
      localOffset === U32_MAX ||
      hasExtra(variable.subarray(nameLength, nameLength + extraLength), ZIP64_EXTRA_ID)
    ) {
      this.unsupported('zip64');
      return;
    }
    if (disk !== 0) {
      this.unsupported('multi-disk archive');
      return;
    }
    const local = this.byOffset.get(localOffset);
    if (
      !local ||
      local.inCentral ||
      !local.rawName.equals(rawName) ||
      local.method !== method ||
      (local.flags & FLAG_ENCRYPTED) !== (flags & FLAG_ENCRYPTED) ||
      local.crc !== crc ||
      local.compressedSize !== compressedSize ||
      local.size !== size
    ) {
      this.malformed(`central directory disagrees with local header of ${decodeName(rawName, flags)}`);
      return;
    }
    local.inCentral = true;
    // Unix mode in the high 16 bits of the external attributes.
    if (((attributes >>> 16) & S_IFMT) === S_IFLNK) this.report.add('ZIP_SYMLINK', { name: local.name });
    this.expect('signature', 4);
  }

  private onEnd(record: Buffer): void {
    const disk = record.readUInt16LE(0);
    const centralDisk = record.readUInt16LE(2);
    const entriesHere = record.readUInt16LE(4);
    const entries = record.readUInt16LE(6);
    const centralSize = record.readUInt32LE(8);
    const centralOffset = record.readUInt32LE(12);
    if (entries === 0xffff || centralSize === U32_MAX || centralOffset === U32_MAX) {
      this.unsupported('zip64');
      return;
    }
    if (disk !== 0 || centralDisk !== 0 || entriesHere !== entries) {
      this.unsupported('multi-disk archive');
      return;
    }
    if (
      entries !== this.centralEntries ||
      entries !== this.entries.length ||
      this.entries.some((e) => !e.inCentral) ||
      centralOffset !== this.centralStart ||
      centralSize !== this.recordAt - this.centralStart
    ) {
      this.malformed('end record disagrees with the entries');
      return;
    }
    this.remaining = record.readUInt16LE(16);
    this.state = this.remaining === 0 ? 'after' : 'comment';
  }

  private expect(state: State, bytes: number): void {
    this.state = state;
    this.gather.reset(bytes);
  }

  /** Keeps the fixed part of a header and gathers the variable part that follows it. */
  private async expectNames(state: State, fixed: Buffer, length: number, end: number): Promise<void> {
    this.fixed = Buffer.from(fixed);
    this.expect(state, length);
    if (length === 0) await this.onGathered(EMPTY, end);
  }

  private bomb(detail: Record<string, string | number>): void {
    this.report.add('ZIP_BOMB', detail);
    this.stop();
  }

  private unsupported(feature: string): void {
    this.report.add('ZIP_UNSUPPORTED', { feature });
    this.stop();
  }

  private malformed(reason: string): void {
    this.report.add('ZIP_MALFORMED', { reason });
    this.stop();
  }

  private stop(): void {
    this.state = 'stopped';
  }
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(n, low), high);
}

/**
 * Names flagged UTF-8 are UTF-8; others are decoded as GBK, what Chinese Windows tools write
 * (ASCII reads the same in every legacy code page). Decoding first matters: in GBK the byte
 * 0x5C (`\`) can be the second half of a character, and must not count as a separator.
 */
export function decodeName(raw: Buffer, flags: number): string {
  if (flags & FLAG_UTF8) return raw.toString('utf8');
  return raw.every((b) => b < 0x80) ? raw.toString('latin1') : gbk.decode(raw);
}

/** Would extracting this name write outside the target folder (zip slip)? */
export function isUnsafePath(name: string): boolean {
  if (name.includes('\0') || name.includes('\\')) return true;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return true;
  return name.split('/').includes('..');
}

/** VBA projects (Word, Excel, PowerPoint) and Excel 4.0 macro sheets. */
function isMacroPart(lowerName: string): boolean {
  return (
    lowerName === 'vbaproject.bin' ||
    lowerName.endsWith('/vbaproject.bin') ||
    lowerName.startsWith('xl/macrosheets/')
  );
}

function hasExtra(extra: Buffer, id: number): boolean {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) === id) return true;
  }
  return false;
}

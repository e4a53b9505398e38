import type { FileType } from '../schemas/common.ts';
import { Gather } from './bytes.ts';
import { EntryData, type EntryMode, type EntryResult } from './inflate.ts';
import type { Report } from './report.ts';
import type { InspectionLimits, Inspector } from './types.ts';
import { type BombDetail, ZipBudget } from './zip-budget.ts';
import { type Descriptor, DescriptorSearch } from './zip-descriptor.ts';
import {
  checkEnd,
  checkZip64End,
  checkZip64Locator,
  matchCentral,
  type Refusal,
  ZIP64_END_LENGTH,
  ZIP64_LOCATOR_LENGTH,
} from './zip-directory.ts';
import {
  backslashReading,
  CENTRAL,
  decodeName,
  otherReading,
  DEFLATED,
  END,
  type Entry,
  type Extra,
  FLAG_DESCRIPTOR,
  FLAG_ENCRYPTED,
  FLAG_UTF8,
  isUnsafePath,
  LOCAL,
  sameNameKey,
  MAX_NAME_BYTES,
  STORED,
  readExtra,
  zip64Read,
  ZIP64_END,
  ZIP64_LOCATOR,
} from './zip-format.ts';
import { CONTENT_TYPES, isMacroPart, macroOrObjectPart } from './zip-macros.ts';
import { TRAILING_TOLERANCE } from './image.ts';
import { PackageInspection } from './ooxml/package-inspection.ts';
import { type PartCheck, partCheckFor } from './ooxml/parts.ts';

/**
 * Zip-based documents (OFD, XLSX, DOCX), walked strictly from the first byte to the last:
 *
 *   local header + data [+ descriptor]  …  central directory headers  [zip64 end record + locator]
 *   end record [+ comment]
 *
 * Every byte must belong to that sequence: no gaps, nothing before the first local header
 * (sniffing put one at offset 0), nothing after the end record (TRAILING_DATA) but a few bytes
 * of padding (see PADDING). Readers that
 * trust the central directory and readers that stream local headers must see the same archive,
 * so each central header has to match a local header exactly (name, method, sizes, CRC). Every
 * reader must also read the same names (no Unicode Path field naming another part, no bytes that
 * are not a name in the header's encoding, nothing a reader folds or unescapes into another part)
 * and find the same end: no end record in the archive comment, no zip64 locator before the end
 * record but the one the walk read, where readers that search backwards from the end would take them.
 * Entry data is inflated as it passes and the real output counted (headers can lie); nothing
 * but names and offsets is kept, and the central directory is parsed as it streams by, so its
 * size never matters.
 *
 * Zip64 records are read where writers put them in small files (Commons Compress, which ofdrw
 * writes OFDs with, Java's and .NET's writers, Info-ZIP's `zip -fz`, Python's force_zip64): a
 * header's zip64 field (./zip-format.ts' zip64Read) and the zip64 end record and its locator
 * (./zip-directory.ts). They are a second set of size fields that could disagree with the first,
 * so every value they give must be the real one, and every 32-bit value beside them either the
 * same or all ones ("see the zip64 field"): a reader of either set reads one archive. A zip64
 * entry with a data descriptor (8-byte sizes) is left unsupported. Entries with a data
 * descriptor are supported (./zip-descriptor.ts);
 * the zip-bomb limits are kept by ./zip-budget.ts, macros found by name by ./zip-macros.ts, and each
 * entry's content is judged as it inflates by ./ooxml/parts.ts (content types, relationships, DDE,
 * fields, OFD attachments and actions, executables).
 *
 * The walk does not wait for an entry to finish inflating: zlib inflates on libuv's thread pool
 * while the walk hashes and reads on, and up to MAX_ENTRIES_IN_FLIGHT entries inflate at once,
 * each on its own pool thread. An entry's size, CRC and content are judged when its inflating
 * ends; `finish` waits for every entry. A bomb or a broken entry found meanwhile stops the walk
 * and every entry still inflating.
 */

/**
 * Bytes after the end record that are padding, not data: line ends, NULs and spaces, no more
 * than an image's end may carry (./image.ts). A download or mail gateway appends a line break
 * (two of POI's test DOCX files end with one 0x0A); every reader finds the end record by
 * searching backwards past them, and a line break holds no second archive, page or program.
 */
const PADDING = new Set([0x0a, 0x0d, 0x00, 0x20]);

/** Entries inflating at once: libuv's thread pool has four threads unless told otherwise. */
export const MAX_ENTRIES_IN_FLIGHT = 4;

const EMPTY = Buffer.alloc(0);

/** Signatures a reader searching backwards for the end of the archive takes for it. */
const END_SIGNATURES = [END, ZIP64_END, ZIP64_LOCATOR].map((signature) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(signature);
  return bytes;
});

type State =
  | 'signature'
  | 'local'
  | 'localNames'
  | 'data'
  | 'dataUntilDescriptor'
  | 'central'
  | 'centralNames'
  | 'zip64End'
  | 'zip64Locator'
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
  private descriptor: DescriptorSearch | undefined;
  private readonly budget: ZipBudget;
  private part: PartCheck | undefined;
  /** Entries whose data has all been read, still inflating, each until judged. */
  private readonly inflating = new Set<Promise<void>>();
  /** Every entry's data not yet ended or aborted. */
  private readonly live = new Set<EntryData>();
  private centralStart = -1;
  private centralEntries = 0;
  /** Where the zip64 end record starts (-1: none), and the record the walk must meet next after it. */
  private zip64At = -1;
  private due: 'locator' | 'end' | undefined;
  /** The 4 bytes 20 before the end of the central directory so far: a zip64 locator's place. */
  private beforeEnd = 0;
  private trailing = 0;
  /** Whether every byte after the end record so far is padding (PADDING). */
  private trailingPadding = true;
  /** What this package's parts tell each other, handed to each part's checks. */
  private readonly inspection: PackageInspection;

  constructor(
    private readonly report: Report,
    private readonly limits: InspectionLimits,
  ) {
    this.inspection = new PackageInspection(report);
    this.gather.reset(4);
    this.budget = new ZipBudget(limits);
  }

  /** The document type its entry names make it, if any (known after `finish`). */
  get documentType(): FileType | undefined {
    if (this.names.has('ofd.xml')) return 'ofd';
    if (!this.names.has(CONTENT_TYPES)) return undefined;
    if (this.names.has('word/document.xml')) return 'docx';
    if (this.names.has('xl/workbook.xml')) return 'xlsx';
    return undefined;
  }

  /**
   * Whether zlib may be inflating on libuv's pool now. Its finished pieces come back (and its next
   * round is scheduled) only when the event loop turns, which a source whose chunks are already
   * there never lets it do: the reader yields to the loop while this holds.
   */
  get inflatingOnPool(): boolean {
    return this.inflating.size > 0 || this.data?.onPool === true;
  }

  /** Whether the walk reached the end record, with nothing after it but padding. */
  get complete(): boolean {
    return this.state === 'after' && !this.trailingRefused;
  }

  /** Bytes after the end record that are more than padding. */
  private get trailingRefused(): boolean {
    return this.trailing > 0 && (this.trailing > TRAILING_TOLERANCE || !this.trailingPadding);
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
        case 'after':
          this.trailing += chunk.length - pos;
          if (this.trailingPadding && this.trailing <= TRAILING_TOLERANCE) {
            for (let at = pos; at < chunk.length; at++)
              if (!PADDING.has(chunk[at] as number)) this.trailingPadding = false;
          }
          pos = chunk.length;
          break;
        default:
          pos = this.gather.take(chunk, pos);
          if (this.gather.complete) await this.onGathered(this.gather.bytes, this.offset + pos);
      }
    }
    this.offset += chunk.length;
  }

  close(): void {
    this.stop();
  }

  async finish(): Promise<void> {
    this.data?.abort();
    while (this.inflating.size > 0) await Promise.all(this.inflating);
    this.report.facts.zipEntries = this.entries.length;
    this.report.facts.uncompressedBytes = this.budget.inflatedBytes;
    this.inspection.finish();
    if (this.state === 'stopped') return;
    if (this.state !== 'after') {
      this.malformed('the archive ends early');
      return;
    }
    if (this.trailingRefused) this.report.add('TRAILING_DATA', { bytes: this.trailing });
    // Every part read: an OFD's attachments are judged by the files they name.
    this.inspection.ofdAttachments.finish();
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
      case 'zip64End':
        return this.onZip64End(bytes);
      case 'zip64Locator':
        return this.onZip64Locator(bytes);
      case 'end':
        return this.onEnd(bytes);
      case 'comment':
        return this.onComment(bytes);
    }
  }

  private onSignature(signature: number): void {
    // After a zip64 end record, its locator; after that, the end record.
    if (this.due !== undefined && signature !== (this.due === 'locator' ? ZIP64_LOCATOR : END)) {
      this.malformed(`a zip64 end record without its ${this.due === 'locator' ? 'locator' : 'end record'}`);
      return;
    }
    if (signature === LOCAL && this.centralStart === -1) {
      this.expect('local', 26);
    } else if (signature === CENTRAL && this.zip64At === -1) {
      if (this.centralStart === -1) this.centralStart = this.recordAt;
      this.expect('central', 42);
    } else if (signature === END) {
      // A zip64 reader looks for a locator in the 20 bytes before the end record, whatever the
      // end record says: there it would be inside the last central header (its extra field or
      // comment), pointing at a zip64 record and a central directory the walk never read.
      if (this.centralEntries > 0 && this.beforeEnd === ZIP64_LOCATOR) {
        this.malformed('a zip64 locator inside the last central header');
        return;
      }
      this.expect('end', 18);
    } else if (signature === ZIP64_END && this.centralStart !== -1 && this.zip64At === -1) {
      this.zip64At = this.recordAt;
      this.expect('zip64End', ZIP64_END_LENGTH);
    } else if (signature === ZIP64_LOCATOR && this.due === 'locator') {
      this.expect('zip64Locator', ZIP64_LOCATOR_LENGTH);
    } else if (signature === ZIP64_END || signature === ZIP64_LOCATOR) {
      this.malformed(`a zip64 ${signature === ZIP64_END ? 'end record' : 'locator'} out of place`);
    } else {
      this.malformed(`unexpected bytes at offset ${this.recordAt}`);
    }
  }

  private async beginEntry(names: Buffer): Promise<void> {
    const fixed = this.fixed;
    const nameLength = fixed.readUInt16LE(22);
    const flags = fixed.readUInt16LE(2);
    const method = fixed.readUInt16LE(4);
    const rawName = Buffer.from(names.subarray(0, nameLength));
    const extra = readExtra(names.subarray(nameLength));
    const name = this.nameOf(rawName, flags, extra);
    if (name === undefined || !extra) return;
    const sizes = zip64Read([fixed.readUInt32LE(18), fixed.readUInt32LE(14)], extra, true, method === DEFLATED);
    if (typeof sizes === 'string') {
      this.malformed(`the local header of ${name}: ${sizes}`);
      return;
    }
    const [size = 0, compressedSize = 0] = sizes;
    // A zip64 entry's data descriptor has 8-byte sizes, which the descriptor search does not read.
    if (extra.zip64 !== undefined && flags & FLAG_DESCRIPTOR) {
      this.unsupported('zip64 data descriptor');
      return;
    }
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
    if (nameLength === 0 || nameLength > MAX_NAME_BYTES) {
      this.malformed(`an entry name of ${nameLength} bytes`);
      return;
    }
    const key = name.toLowerCase();
    const other = otherReading(rawName, flags, name);
    const sameAs = [key, ...(other === undefined ? [] : [other.toLowerCase()])].map(sameNameKey);
    // The same part as an earlier entry, as any reader names the two.
    if (sameAs.some((reading) => this.names.has(reading))) {
      this.malformed(`duplicate entry ${name}`);
      return;
    }
    for (const reading of sameAs) this.names.add(reading);
    // Split at a GBK character's 0x5C, a name ending in it is a folder (see backslashReading).
    const split = backslashReading(rawName, flags);
    const unsafe =
      [name, other, split].find((n) => n !== undefined && isUnsafePath(n)) ??
      (split?.endsWith('/') ? split : undefined);
    if (unsafe !== undefined) this.report.add('ZIP_UNSAFE_PATH', { name: unsafe === split ? name : unsafe });
    if (isMacroPart(key)) this.report.add('MACROS', { name });
    const object = macroOrObjectPart(key);
    if (object) this.report.add('OOXML_EMBEDDED_OBJECT', { kind: object });

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
    const part = mode === 'opaque' ? undefined : partCheckFor(name, this.inspection);
    // With a data descriptor the header's size is 0: the piece size falls back to the default.
    const declared = flags & FLAG_DESCRIPTOR ? 0 : size;
    const data: EntryData = new EntryData(mode, (out) => this.onOutput(out, part, data, name), declared);
    this.part = part;
    this.data = data;
    this.live.add(data);

    if (flags & FLAG_DESCRIPTOR) {
      this.state = 'dataUntilDescriptor';
      this.descriptor = new DescriptorSearch(mode === 'stored');
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

  /**
   * The entry's name as every reader reads it, or undefined (refused) when readers would read
   * another: bytes that are not a name in the header's encoding, extra fields that do not read,
   * or a Unicode Path field (7-Zip, WinRAR and .NET take its name over the header's) naming
   * another part.
   */
  private nameOf(rawName: Buffer, flags: number, extra: Extra | undefined): string | undefined {
    const name = decodeName(rawName, flags);
    if (name === undefined) {
      this.malformed(
        `an entry name that is not ${flags & FLAG_UTF8 ? 'UTF-8' : 'GBK or UTF-8'}: ${rawName.toString('latin1')}`,
      );
      return undefined;
    }
    if (!extra) {
      this.malformed(`the extra fields of ${name} do not read as fields`);
      return undefined;
    }
    if (extra.unicodePath !== undefined && extra.unicodePath !== name) {
      this.malformed(`${name} is named ${extra.unicodePath} by its Unicode Path field`);
      return undefined;
    }
    return name;
  }

  /** What headers claim: refused before any inflating when the claim alone is too much. */
  private withinDeclaredLimits(entry: Entry): boolean {
    const bomb = this.budget.declare(entry);
    if (bomb) this.bomb(bomb);
    return !bomb;
  }

  /**
   * What inflating really produces, of the entry `name` (entries inflate side by side): checked
   * as it happens, so the limit is never passed by much.
   */
  private onOutput(out: Buffer, part: PartCheck | undefined, data: EntryData, name: string): boolean {
    if (this.state === 'stopped') return false;
    part?.write(out);
    const bomb = this.budget.inflate(out.length, data, name);
    if (bomb) this.bomb(bomb);
    return !bomb;
  }

  /** Streams entry data until its descriptor; the position in `chunk` after it, once found. */
  private async untilDescriptor(chunk: Buffer, pos: number): Promise<number> {
    const found = await this.descriptor?.push(chunk.subarray(pos), (bytes) => this.data?.write(bytes));
    if (!found) return chunk.length;
    const stoppedEarlyBySomeReader = this.descriptor?.signatureInStoredData === true;
    this.descriptor = undefined;
    const entry = this.current;
    if (entry && stoppedEarlyBySomeReader) {
      this.malformed(`the stored entry ${entry.name} holds a zip signature before its data descriptor`);
      return chunk.length;
    }
    if (entry && disagrees(entry, found.descriptor)) {
      this.malformed(`the data descriptor of ${entry.name} disagrees with its local header`);
      return chunk.length;
    }
    if (entry) Object.assign(entry, found.descriptor);
    // What the descriptor declares is judged after what the data really inflated to, as for an
    // entry whose header comes first: the real output's finding is the one that names the bomb.
    await this.data?.caughtUp();
    if (this.state === 'stopped') return chunk.length;
    if (entry && !this.withinDeclaredLimits(entry)) return chunk.length;
    await this.endEntry();
    return pos + found.used;
  }

  /**
   * The entry's data has all been read: the walk goes on at once, and the entry is judged when
   * its inflating ends. Waits only while MAX_ENTRIES_IN_FLIGHT entries are still inflating.
   */
  private async endEntry(): Promise<void> {
    const entry = this.current;
    const data = this.data;
    const part = this.part;
    if (!entry || !data) return;
    this.current = undefined;
    this.data = undefined;
    this.part = undefined;
    this.entries.push(entry);
    this.byOffset.set(entry.offset, entry);
    this.expect('signature', 4);
    const judged = data.end().then((result) => {
      this.live.delete(data);
      this.judge(entry, part, result);
    });
    this.inflating.add(judged);
    void judged.finally(() => this.inflating.delete(judged));
    while (this.inflating.size >= MAX_ENTRIES_IN_FLIGHT) await Promise.race(this.inflating);
  }

  /** An entry whose inflating has ended: its size, its CRC, and (read whole and intact) its content. */
  private judge(entry: Entry, part: PartCheck | undefined, result: EntryResult): void {
    if (this.state === 'stopped') return;
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
    // A folder that holds data is a file to a reader that trims the slash, and nothing to one
    // that makes a folder of it.
    if (entry.name.endsWith('/') && result.size > 0) {
      this.malformed(`the folder ${entry.name} holds data`);
      return;
    }
    // Only an entry read whole and intact is judged on its content.
    part?.end();
  }

  private onCentral(variable: Buffer): void {
    this.centralEntries++;
    const result = matchCentral(this.fixed, variable, this.byOffset);
    if ('refusal' in result) return this.refuse(result.refusal);
    result.local.inCentral = true;
    // The 4 bytes 20 before this header's end (the fixed part is 42 bytes after the signature).
    const tail = variable.length >= 20 ? variable : Buffer.concat([this.fixed, variable]);
    this.beforeEnd = tail.readUInt32LE(tail.length - 20);
    if (result.symlink) this.report.add('ZIP_SYMLINK', { name: result.local.name });
    this.expect('signature', 4);
  }

  /**
   * The zip64 end record, after the central directory: its counts and offsets must be the real
   * ones (./zip-directory.ts), and its locator must follow.
   */
  private onZip64End(record: Buffer): void {
    const refusal = checkZip64End(record, {
      entries: this.entries,
      centralEntries: this.centralEntries,
      centralStart: this.centralStart,
      endAt: this.zip64At,
    });
    if (refusal) return this.refuse(refusal);
    this.due = 'locator';
    this.expect('signature', 4);
  }

  /** The zip64 locator, which must point at the record before it; the end record must follow. */
  private onZip64Locator(locator: Buffer): void {
    const refusal = checkZip64Locator(locator, this.zip64At);
    if (refusal) return this.refuse(refusal);
    this.due = 'end';
    // The 20 bytes before the end record are this locator, checked: not one hidden in a header.
    this.beforeEnd = 0;
    this.expect('signature', 4);
  }

  private onEnd(record: Buffer): void {
    this.due = undefined;
    const result = checkEnd(record, {
      entries: this.entries,
      centralEntries: this.centralEntries,
      centralStart: this.centralStart,
      endAt: this.zip64At === -1 ? this.recordAt : this.zip64At,
      zip64: this.zip64At !== -1,
    });
    if ('refusal' in result) return this.refuse(result.refusal);
    if (result.commentLength === 0) this.state = 'after';
    else this.expect('comment', result.commentLength);
  }

  /**
   * The archive comment, the last bytes of the file: readers find the end record by searching
   * backwards for its signature, so one inside the comment is the end record they take, with a
   * central directory of its own (in a stored entry's data, say) that the walk never read.
   */
  private onComment(comment: Buffer): void {
    for (const signature of END_SIGNATURES) {
      if (comment.includes(signature)) {
        this.malformed('an end record inside the archive comment');
        return;
      }
    }
    this.state = 'after';
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

  private bomb(detail: BombDetail): void {
    this.report.add('ZIP_BOMB', detail);
    this.stop();
  }

  private refuse(refusal: Refusal): void {
    if ('unsupported' in refusal) this.unsupported(refusal.unsupported);
    else this.malformed(refusal.malformed);
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
    for (const data of this.live) data.abort();
    this.live.clear();
  }
}

/**
 * Whether a local header that gives a CRC or a size besides its data descriptor gives another: a
 * streaming reader that trusts the header would read another extent than the descriptor ends.
 * Java, .NET, Go and Python write zeros there, and some writers one value but not the others, so
 * only what the header gives (not zero) is compared; some writers repeat the descriptor's values.
 */
function disagrees(local: Descriptor, descriptor: Descriptor): boolean {
  const differs = (given: number, declared: number) => given !== 0 && given !== declared;
  return (
    differs(local.crc, descriptor.crc) ||
    differs(local.compressedSize, descriptor.compressedSize) ||
    differs(local.size, descriptor.size)
  );
}

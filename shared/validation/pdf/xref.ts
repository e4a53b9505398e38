/* eslint-disable no-control-regex -- PDF whitespace includes NUL (0x00), written \x00 in these patterns */
import { CatalogFacts } from './catalog.ts';
import { CurrentEntries, FREE, PACKED } from './current.ts';
import { ReferenceLog } from './references.ts';
import { entry, numberOf, type PdfValue, Syntax, WHITESPACE, writtenTwice } from './syntax.ts';

/** A trailer's /Root written twice with two values: which catalog a reader opens depends on the reader (./syntax.ts). */
const ROOT_KEY: ReadonlySet<string> = new Set(['Root']);

/**
 * The cross-reference check: what a reader will load must be what the scan read.
 *
 * A reader finds objects through the cross-reference sections (classic tables and
 * cross-reference streams) that `startxref` and each section's /Prev and /XRefStm lead to; the
 * scan reads the file from its first byte to its last. The two agree only when every section
 * those pointers name is one the scan met, and every in-use entry of every section points at an
 * object header the scan met with that number (or, for an object in an object stream, at a
 * stream the scan decoded as one, whose pair at the entry's index names that number: pdf.js
 * takes the object at the index, MuPDF the one the pairs number so, and the scan judges objects
 * by number, an opening action by what its number holds). Otherwise a reader would find an object somewhere the scan
 * took for stream data, or rebuild a damaged table its own way: the file is refused as
 * unreadable, since what it would show cannot be known.
 *
 * A /Length given as a reference is checked too: the scan ends such a stream at `endstream`,
 * and the number the reader will use must agree.
 *
 * Entries of one number may differ from section to section: an update that deletes an object
 * and reuses its number writes it at the next generation (`6 1 obj`). A reader takes each
 * number's entry from the newest section (./current.ts); every section's in-use entries must
 * still point at their headers.
 */

/** A reader skips whitespace after an offset: entries a byte or two early still find their header. */
export const SLACK = 2;
/** More objects than this are not checked but refused: each costs a map entry. */
export const MAX_OBJECTS = 2_000_000;

const XREF = /(?<![A-Za-z])xref[\x00\t\n\f\r ]/g;
const SUBSECTION = /[\x00\t\n\f\r ]*(\d{1,10})[\x00\t\n\f\r ]+(\d{1,10})[\x00\t\n\f\r ]*[\r\n]/y;
/**
 * A table row. Its `n` or `f` must end where pdf.js's lexer ends a keyword, at whitespace or a
 * delimiter: run into the next row (`00000 n0000000065 …`) it is the keyword `n0000000065` to
 * pdf.js, which refuses the table and rebuilds the file from all its bytes (round 13).
 */
const ROW = /[\x00\t\n\f\r ]*(\d{10})[\x00\t\n\f\r ]+(\d{5})[\x00\t\n\f\r ]+([nf])(?![^\x00\t\n\f\r ()<>[\]{}/%])/y;
const SPACE = /[\x00\t\n\f\r ]*/y;
const TRAILER = /(?<![A-Za-z])trailer(?![A-Za-z])/g;
/** After the word `startxref`, its offset as pdf.js reads it: whitespace (not NUL or FF), then digits. */
const STARTXREF_OFFSET = /[\t\n\r ]*(\d{1,12})/y;

export class CrossReference {
  /** What the catalog check needs of each definition (./catalog.ts). */
  readonly catalogs = new CatalogFacts();
  /**
   * Object headers met, by stream position: the object number × 8, + 4 when its value is a
   * dictionary (not a stream's), + how many whitespace bytes
   * (up to SLACK) come right before the header, which a reader skips from an offset.
   */
  private readonly headers = new Map<number, number>();
  /** Generations of the headers met that are not 0, by stream position. */
  private readonly headerGens = new Map<number, number>();
  private readonly sections = new Set<number>();
  /** Tables whose rows or trailer do not read, by position. */
  private readonly unread = new Set<number>();
  /** Tables whose rows are not 20 bytes each, which PDFium reads at that stride, by position. */
  private readonly misaligned = new Set<number>();
  /** Each section's trailer dictionary (a cross-reference stream's own), by the section's position. */
  private readonly sectionDicts = new Map<number, PdfValue>();
  /** In-use entries of type 1: [object number, offset, generation, section position]. */
  private readonly entries: number[] = [];
  /** Free entries: [object number, section position]. */
  private readonly freed: number[] = [];
  private readonly pointers: number[] = [];
  private startxref = 0;
  /** Stream position of the last word `startxref` in the file's syntax, and whether an offset followed it. */
  private startxrefAt = -1;
  private startxrefRead = false;
  /** Stream position where the last stream's data starts. */
  private lastStreamAt = -1;
  /** A table's subsection starts at object 1 with a free entry, which pdf.js reads as object 0. */
  private renumbered = false;
  /** A trailer's /XRefStm written as a reference, which readers follow differently. */
  private pointerByReference: string | undefined;
  /** The numbers of the /Prev written as references (pdf.js takes the number, unless it resolves an object holding one). */
  private readonly prevReferences: number[] = [];
  /** A /Root a trailer writes twice with two values. */
  private writtenTwice: string | undefined;
  private readonly objectStreams = new Set<number>();
  /** The header positions of the object streams' definitions. */
  private readonly objectStreamsAt = new Set<number>();
  /** Type 2 entries: [object number, object stream, index in it, section position]. */
  private readonly packed: number[] = [];
  /** The object numbers of each object stream's pairs, in order: every definition of that stream. */
  private readonly packedNumbers = new Map<number, number[][]>();
  private readonly integers = new Map<number, number>();
  private readonly lengths: Array<{ ref: number; found: number }> = [];

  get objectCount(): number {
    return this.headers.size;
  }

  /**
   * An object header `num gen obj` the scan met (./objects.ts), at stream position `at`, after
   * `lead` whitespace bytes; `value` its value, a stream's dictionary when `stream`.
   */
  addHeader(at: number, num: number, gen: number, lead: number, value: PdfValue, stream: boolean): void {
    const dict = value.kind === 'dict' && !stream;
    if (dict) this.catalogs.addDefinition(value, at);
    this.headers.set(at, num * 8 + (dict ? 4 : 0) + Math.min(lead, SLACK));
    if (gen !== 0) this.headerGens.set(at, gen);
  }

  /**
   * A piece of the file's own syntax, starting at stream position `start`: its classic tables,
   * trailers and `startxref`. Returns the trailers' dictionaries, which may hold a direct /Root.
   */
  readText(text: string, start: number): PdfValue[] {
    XREF.lastIndex = 0;
    for (let m = XREF.exec(text); m; m = XREF.exec(text)) {
      if (text.slice(Math.max(0, m.index - 5), m.index) === 'start') continue;
      this.sections.add(start + m.index);
      // pdf.js reads a table's rows up to `trailer` and its dictionary, else refuses the section (rebuilding the file when it is the first).
      const end = this.readTable(text, m.index + 4, start + m.index);
      SPACE.lastIndex = end;
      const trailerAt = end >= 0 && SPACE.exec(text) ? SPACE.lastIndex : -1;
      const trailer =
        trailerAt >= 0 && text.startsWith('trailer', trailerAt) ? new Syntax(text, trailerAt + 7).parse() : undefined;
      if (trailer?.kind === 'dict') this.sectionDicts.set(start + m.index, trailer);
      else this.unread.add(start + m.index);
    }
    const trailers: PdfValue[] = [];
    TRAILER.lastIndex = 0;
    for (let m = TRAILER.exec(text); m; m = TRAILER.exec(text)) {
      const trailer = new Syntax(text, m.index + 7).parse();
      this.addPointers(trailer);
      trailers.push(trailer);
    }
    // Readers take the file's last `startxref` (pdf.js searching back from the end, MuPDF in the last KiB), however written.
    const word = text.lastIndexOf('startxref');
    if (word !== -1) {
      STARTXREF_OFFSET.lastIndex = word + 'startxref'.length;
      const offset = STARTXREF_OFFSET.exec(text);
      this.startxrefAt = start + word;
      this.startxrefRead = offset !== null;
      this.startxref = offset ? Number(offset[1]) : 0;
    }
    return trailers;
  }

  /**
   * An object whose whole value is an integer (what an indirect /Length refers to). Defined twice
   * with two values, it is NaN: which one a reader takes depends on its cross-reference reading.
   */
  addInteger(num: number, value: number): void {
    const before = this.integers.get(num);
    this.integers.set(num, before === undefined || before === value ? value : Number.NaN);
  }

  /** A stream whose data starts at stream position `at`. */
  addStream(at: number): void {
    this.lastStreamAt = at;
  }

  /** An object stream, numbered `num`, whose header is at stream position `at`. */
  addObjectStream(num: number, at: number): void {
    this.objectStreams.add(num);
    this.objectStreamsAt.add(at);
  }

  /** The object numbers an object stream's pairs name, in order. */
  addObjectStreamNumbers(stream: number, numbers: number[]): void {
    const defined = this.packedNumbers.get(stream);
    if (defined) defined.push(numbers);
    else this.packedNumbers.set(stream, [numbers]);
  }

  /** A stream whose indirect /Length (object `ref`) must say `found` (up to an end-of-line less). */
  checkLength(ref: number, found: number): void {
    this.lengths.push({ ref, found });
  }

  /** A cross-reference stream: its header's stream position, dictionary and decoded rows. */
  readStream(at: number, dict: PdfValue, rows: Buffer): string | undefined {
    this.sections.add(at);
    this.sectionDicts.set(at, dict);
    this.addPointers(dict);
    const widths = entry(dict, 'W');
    const w = widths?.kind === 'array' ? widths.items.map((v) => numberOf(v) ?? -1) : [];
    if (w.length !== 3 || w.some((n) => !Number.isInteger(n) || n < 0 || n > 8))
      return 'a cross-reference stream with bad /W';
    const [w0, w1, w2] = w as [number, number, number];
    const rowLength = w0 + w1 + w2;
    if (rowLength === 0) return 'a cross-reference stream with bad /W';
    const index = entry(dict, 'Index');
    const ranges =
      index?.kind === 'array' ? index.items.map((v) => numberOf(v) ?? -1) : [0, numberOf(entry(dict, 'Size')) ?? 0];
    let row = 0;
    for (let r = 0; r + 1 < ranges.length; r += 2) {
      const first = ranges[r] as number;
      const count = ranges[r + 1] as number;
      if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0)
        return 'a cross-reference stream with bad /Index';
      for (let i = 0; i < count; i++, row++) {
        const from = row * rowLength;
        if (from + rowLength > rows.length) return 'a cross-reference stream shorter than its /Index';
        const type = w0 === 0 ? 1 : readInt(rows, from, w0);
        const field = readInt(rows, from + w0, w1);
        const third = w2 === 0 ? 0 : readInt(rows, from + w0 + w1, w2);
        if (type === 1) this.entries.push(first + i, field, third, at);
        else if (type === 2) this.packed.push(first + i, field, third, at);
        else if (type === 0) this.freed.push(first + i, at);
        // pdf.js refuses the section (rebuilding the file when it is the first) rather than skip the row.
        else return `a cross-reference stream row of type ${type}`;
      }
    }
    return undefined;
  }

  /**
   * Why the file's cross-references disagree with what the scan read, or undefined.
   * `references`: every reference met, and where (./references.ts); `linearizedStart`: where
   * pdf.js starts reading a file it takes as linearized (./start.ts).
   *
   * A reader that cannot fetch an object as its cross-references say (a header of another
   * number or generation, a reference of another generation in a definition it loads: pdf.js's
   * "inconsistent generation"), or finds no catalog where the last section's trailer says,
   * rebuilds the file's objects by searching all its bytes for `N G obj`, stream data included:
   * there it would find objects the scan never read. So each of those is refused; so is a file
   * whose last `startxref` (readers search the bytes for it) is not the one the scan read in the
   * file's syntax after its last stream, or one pdf.js takes as linearized whose first section
   * is not that `startxref`'s: readers would start elsewhere.
   */
  check(references: ReferenceLog = new ReferenceLog(), linearizedStart?: number): string | undefined {
    if (this.startxrefAt < 0) return 'no cross-reference table';
    if (!this.startxrefRead) return 'the last startxref is followed by no offset';
    // Readers search the bytes for the last `startxref`, stream data included: it must be the scan's.
    if (this.lastStreamAt > this.startxrefAt) return 'a stream after the last startxref';
    // pdf.js reads a linearized file from the section after its first object: it must be startxref's.
    if (linearizedStart !== undefined && this.nearSection(this.startxref) !== linearizedStart)
      return 'a linearized file whose first section is not the one startxref names';
    if (this.writtenTwice !== undefined) return `a trailer with /${this.writtenTwice} written twice`;
    if (this.pointerByReference !== undefined) return `an /${this.pointerByReference} given by reference`;
    if (this.prevReferences.some((num) => this.integers.has(num)))
      return 'a /Prev given by reference to an object that holds a number';
    if (this.renumbered) return 'a cross-reference subsection from object 1 whose first entry is free';
    for (const pointer of [this.startxref, ...this.pointers]) {
      if (this.nearSection(pointer) === undefined) return 'startxref or /Prev points at no cross-reference section';
    }
    const levels = this.levels();
    if (levels.some((level) => level.some((section) => this.unread.has(section))))
      return 'a cross-reference table that does not read whole';
    // PDFium reads a table's rows as 20 bytes each: rows of another length shift every later one,
    // and it fetches objects at the offsets it misreads (a later row's digits: the start of the
    // file, where an image's data may hold a header), or rebuilds the file.
    if (levels.some((level) => level.some((section) => this.misaligned.has(section))))
      return 'a cross-reference table whose rows are not 20 bytes each';
    const current = new CurrentEntries(levels);
    // A section no pointer reaches (a cross-reference stream an earlier save left as an object:
    // Acrobat and macOS Quartz leave one) is read by no reader, which rebuilds only on the errors
    // refused here: its entries are not checked against the headers and object streams (round 17).
    const reached = new Set(levels.flat());
    for (let i = 0; i < this.entries.length; i += 4) {
      if (!reached.has(this.entries[i + 3] as number)) continue;
      const num = this.entries[i] as number;
      const gen = this.entries[i + 2] as number;
      // pdf.js refuses a table whose object 0 is in use, and rebuilds the file when it is the first one read.
      if (num === 0) return 'object 0 is in use';
      const offset = this.entries[i + 1] as number;
      // An entry in use at offset 0 is free to MuPDF (some writers, Quartz and poppler's pdfunite
      // among them, write unused numbers so); PDFium and pdf.js fetch it only when it is referred
      // to, and then rebuild the file. So it is read as free while nothing anywhere refers to it.
      if (offset === 0 && !references.gens.has(num)) {
        current.offer(num, this.entries[i + 3] as number, 0, FREE);
        continue;
      }
      const header = this.nearHeader(offset);
      if (header?.num !== num || header.gen !== gen) return `object ${num} is not where the cross-reference table says`;
      current.offer(num, this.entries[i + 3] as number, gen, header.at);
    }
    for (let i = 0; i < this.packed.length; i += 4)
      current.offer(this.packed[i] as number, this.packed[i + 3] as number, 0, PACKED);
    for (let i = 0; i < this.freed.length; i += 2)
      current.offer(this.freed[i] as number, this.freed[i + 1] as number, 0, FREE);
    const stale = current.wrongGeneration(references);
    if (stale !== undefined)
      return `object ${stale} is referred to with another generation than its cross-reference entry's`;
    for (let i = 0; i < this.packed.length; i += 4) {
      if (!reached.has(this.packed[i + 3] as number)) continue;
      const num = this.packed[i] as number;
      const stream = this.packed[i + 1] as number;
      const index = this.packed[i + 2] as number;
      if (!this.objectStreams.has(stream)) return `object ${num} is said to be in a stream that is no object stream`;
      // pdf.js fetches the stream (`N 0 R`) as its own current entry says (an update may have
      // redefined that number as something else): when that is no object stream, it rebuilds the file.
      const home = current.header(stream, 0);
      if (
        current.isCurrent(num, this.packed[i + 3] as number) &&
        (home === undefined || !this.objectStreamsAt.has(home))
      )
        return `object ${num} is said to be in object stream ${stream}, whose current definition is no object stream`;
      // A reader takes the object at that index (pdf.js) or the one its pairs number so (MuPDF): both must be it.
      const definitions = this.packedNumbers.get(stream) ?? [];
      if (definitions.some((numbers) => numbers[index] !== num))
        return `object ${num} is not where the cross-reference stream says`;
    }
    for (const { ref, found } of this.lengths) {
      const length = this.integers.get(ref);
      if (length === undefined || Number.isNaN(length) || length > found || length < found - 2)
        return 'a stream whose /Length disagrees with its data';
    }
    const root = entry(this.sectionDicts.get(this.nearSection(this.startxref) ?? -1), 'Root');
    if (root?.kind !== 'dict' && !(root?.kind === 'ref' && current.inUse(root.num)))
      return 'the last cross-reference section names no catalog (/Root)';
    return this.catalogs.check(root, {
      inUse: (num) => current.inUse(num),
      headers: (nums) => this.headersOf(nums),
      packedCount: (num) => this.packedCount(num),
    });
  }

  /** The trailer a reader takes (that of the section the last `startxref` names), and every section's dictionary met. */
  trailers(): { last: PdfValue | undefined; all: PdfValue[] } {
    return {
      last: this.sectionDicts.get(this.nearSection(this.startxref) ?? -1),
      all: [...this.sectionDicts.values()],
    };
  }

  /** The position of the section at `offset` or up to SLACK bytes after it. */
  private nearSection(offset: number): number | undefined {
    for (let d = 0; d <= SLACK; d++) if (this.sections.has(offset + d)) return offset + d;
    return undefined;
  }

  /** The definitions of `nums` met in the file's own syntax: whether each is a dictionary (not a stream's), by number and header position. */
  private headersOf(nums: ReadonlySet<number>): Map<number, Map<number, boolean>> {
    const found = new Map<number, Map<number, boolean>>();
    for (const [at, value] of this.headers) {
      const num = Math.floor(value / 8);
      if (!nums.has(num)) continue;
      const list = found.get(num) ?? new Map<number, boolean>();
      list.set(at, value % 8 >= 4);
      found.set(num, list);
    }
    return found;
  }

  /** How many definitions of `num` the object streams hold. */
  private packedCount(num: number): number {
    let count = 0;
    for (const definitions of this.packedNumbers.values())
      for (const numbers of definitions) for (const n of numbers) if (n === num) count++;
    return count;
  }

  /** The header at `offset`, or up to SLACK bytes after it with only whitespace between, and its position. */
  private nearHeader(offset: number): { num: number; gen: number; at: number } | undefined {
    for (let d = 0; d <= SLACK; d++) {
      const value = this.headers.get(offset + d);
      if (value !== undefined && value % 4 >= d)
        return { num: Math.floor(value / 8), gen: this.headerGens.get(offset + d) ?? 0, at: offset + d };
    }
    return undefined;
  }

  /**
   * The sections a reader reads, newest first, as pdf.js queues them from `startxref`: each
   * section with the /XRefStm its trailer names (one level: a number the two list differently
   * is ambiguous), then the /Prev of each. A section met twice (a /Prev loop) is read once.
   */
  private levels(): number[][] {
    const levels: number[][] = [];
    const seen = new Set<number>();
    const queue = [this.startxref];
    const pointer = (section: number, key: string) => pointerOf(this.sectionDicts.get(section), key);
    for (let q = 0; q < queue.length; q++) {
      const section = this.nearSection(queue[q] as number);
      if (section === undefined || seen.has(section)) continue;
      seen.add(section);
      const level = [section];
      const stm = this.nearSection(pointer(section, 'XRefStm') ?? -1);
      if (stm !== undefined && !seen.has(stm)) {
        seen.add(stm);
        level.push(stm);
      }
      for (const s of level) {
        const prev = pointer(s, 'Prev');
        if (prev !== undefined) queue.push(prev);
      }
      levels.push(level);
    }
    return levels;
  }

  private addPointers(dict: PdfValue): void {
    for (const key of ['Prev', 'XRefStm']) {
      const value = pointerOf(dict, key);
      if (value !== undefined) this.pointers.push(value);
    }
    // An earlier /Prev or /XRefStm of one written twice (a reader that keeps the first follows
    // it) must point at a section too: not at a table hidden in stream data.
    for (const [key, earlier] of dict.kind === 'dict' ? (dict.shadowed ?? []) : []) {
      const value = key === 'Prev' || key === 'XRefStm' ? pointerOf(dictOf(key, earlier), key) : undefined;
      if (value !== undefined) this.pointers.push(value);
    }
    this.writtenTwice ??= writtenTwice(dict, ROOT_KEY);
    // pdf.js's trailer dictionaries resolve references: `/XRefStm 9 0 R` or `/Prev 9 0 R` may lead
    // where object 9's number says (a table hidden in stream data), or nowhere, or to 9 itself.
    if (entry(dict, 'XRefStm')?.kind === 'ref') this.pointerByReference ??= 'XRefStm';
    const prev = entry(dict, 'Prev');
    if (prev?.kind === 'ref') this.prevReferences.push(prev.num);
  }

  /** Reads a table's rows from `from`; where they end, or -1 when a row does not read. */
  private readTable(text: string, from: number, section: number): number {
    let at = from;
    for (;;) {
      SUBSECTION.lastIndex = at;
      const sub = SUBSECTION.exec(text);
      if (!sub) return at;
      at = SUBSECTION.lastIndex;
      const first = Number(sub[1]);
      const count = Number(sub[2]);
      for (let i = 0; i < count; i++) {
        ROW.lastIndex = at;
        const row = ROW.exec(text);
        if (!row) return -1;
        at = ROW.lastIndex;
        // PDFium reads each row as 20 bytes from the first: 18 of entry (one byte between its
        // fields), then two of whitespace, and the next row right after.
        const lead = row[0].search(/\d/);
        const ends = WHITESPACE.has(text.charCodeAt(at)) && WHITESPACE.has(text.charCodeAt(at + 1));
        if (row[0].length - lead !== 18 || (i > 0 && lead !== 2) || !ends) this.misaligned.add(section);
        // pdf.js numbers such a subsection from 0 (a fix for writers that meant `0 N`): the scan cannot agree with both.
        if (i === 0 && first === 1 && row[3] === 'f') this.renumbered = true;
        if (row[3] === 'n') this.entries.push(first + i, Number(row[1]), Number(row[2]), section);
        else this.freed.push(first + i, section);
      }
    }
  }
}

/** A dictionary of one entry. */
const dictOf = (key: string, value: PdfValue): PdfValue => ({ kind: 'dict', entries: new Map([[key, value]]) });

/** A section's /Prev or /XRefStm offset; a /Prev written as a reference (`/Prev 1234 0 R`) pdf.js takes as its number. */
function pointerOf(dict: PdfValue | undefined, key: string): number | undefined {
  const value = entry(dict, key);
  return key === 'Prev' && value?.kind === 'ref' ? value.num : numberOf(value);
}

function readInt(bytes: Buffer, at: number, width: number): number {
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + (bytes[at + i] as number);
  return value;
}

/* eslint-disable no-control-regex -- PDF whitespace includes NUL (0x00), written \x00 in these patterns */
import { entry, numberOf, type PdfValue, Syntax } from './syntax.ts';

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
 */

/** A reader skips whitespace after an offset: entries a byte or two early still find their header. */
const SLACK = 2;
/** More objects than this are not checked but refused: each costs a map entry. */
export const MAX_OBJECTS = 2_000_000;

const XREF = /(?<![A-Za-z])xref[\x00\t\n\f\r ]/g;
const SUBSECTION = /[\x00\t\n\f\r ]*(\d{1,10})[\x00\t\n\f\r ]+(\d{1,10})[\x00\t\n\f\r ]*[\r\n]/y;
const ROW = /[\x00\t\n\f\r ]*(\d{10})[\x00\t\n\f\r ]+\d{5}[\x00\t\n\f\r ]+([nf])/y;
const TRAILER = /(?<![A-Za-z])trailer(?![A-Za-z])/g;
const STARTXREF = /startxref[\x00\t\n\f\r ]+(\d{1,12})/g;

export class CrossReference {
  /** Object headers met, by stream position. */
  private readonly headers = new Map<number, number>();
  private readonly sections = new Set<number>();
  /** In-use entries of type 1: [object number, offset]. */
  private readonly entries: number[] = [];
  private readonly pointers: number[] = [];
  private startxref: number | undefined;
  private readonly objectStreams = new Set<number>();
  /** Type 2 entries: [object number, object stream, index in it], three numbers each. */
  private readonly packed: number[] = [];
  /** The object numbers of each object stream's pairs, in order: every definition of that stream. */
  private readonly packedNumbers = new Map<number, number[][]>();
  private readonly integers = new Map<number, number>();
  private readonly lengths: Array<{ ref: number; found: number }> = [];

  get objectCount(): number {
    return this.headers.size;
  }

  /** An object header the scan met (./objects.ts), at stream position `at`. */
  addHeader(at: number, num: number): void {
    this.headers.set(at, num);
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
      this.readTable(text, m.index + 4);
    }
    const trailers: PdfValue[] = [];
    TRAILER.lastIndex = 0;
    for (let m = TRAILER.exec(text); m; m = TRAILER.exec(text)) {
      const trailer = new Syntax(text, m.index + 7).parse();
      this.addPointers(trailer);
      trailers.push(trailer);
    }
    STARTXREF.lastIndex = 0;
    for (let m = STARTXREF.exec(text); m; m = STARTXREF.exec(text)) this.startxref = Number(m[1]);
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

  addObjectStream(num: number): void {
    this.objectStreams.add(num);
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
    this.addPointers(dict);
    const widths = entry(dict, 'W');
    const w = widths?.kind === 'array' ? widths.items.map((v) => numberOf(v) ?? -1) : [];
    if (w.length !== 3 || w.some((n) => n < 0 || n > 8)) return 'a cross-reference stream with bad /W';
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
      if (first < 0 || count < 0) return 'a cross-reference stream with bad /Index';
      for (let i = 0; i < count; i++, row++) {
        const at = row * rowLength;
        if (at + rowLength > rows.length) return 'a cross-reference stream shorter than its /Index';
        const type = w0 === 0 ? 1 : readInt(rows, at, w0);
        const field = readInt(rows, at + w0, w1);
        if (type === 1) this.entries.push(first + i, field);
        else if (type === 2) this.packed.push(first + i, field, readInt(rows, at + w0 + w1, w2));
      }
    }
    return undefined;
  }

  /** Why the file's cross-references disagree with what the scan read, or undefined. */
  check(): string | undefined {
    if (this.startxref === undefined) return 'no cross-reference table';
    for (const pointer of [this.startxref, ...this.pointers]) {
      if (!this.nearSection(pointer)) return 'startxref or /Prev points at no cross-reference section';
    }
    for (let i = 0; i < this.entries.length; i += 2) {
      const num = this.entries[i] as number;
      if (this.nearHeader(this.entries[i + 1] as number) !== num)
        return `object ${num} is not where the cross-reference table says`;
    }
    for (let i = 0; i < this.packed.length; i += 3) {
      const [num, stream, index] = this.packed.slice(i, i + 3) as [number, number, number];
      if (!this.objectStreams.has(stream)) return `object ${num} is said to be in a stream that is no object stream`;
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
    return undefined;
  }

  private nearSection(offset: number): boolean {
    for (let d = 0; d <= SLACK; d++) if (this.sections.has(offset + d)) return true;
    return false;
  }

  private nearHeader(offset: number): number | undefined {
    for (let d = 0; d <= SLACK; d++) {
      const num = this.headers.get(offset + d);
      if (num !== undefined) return num;
    }
    return undefined;
  }

  private addPointers(dict: PdfValue): void {
    for (const key of ['Prev', 'XRefStm']) {
      const value = numberOf(entry(dict, key));
      if (value !== undefined) this.pointers.push(value);
    }
  }

  private readTable(text: string, from: number): void {
    let at = from;
    for (;;) {
      SUBSECTION.lastIndex = at;
      const sub = SUBSECTION.exec(text);
      if (!sub) return;
      at = SUBSECTION.lastIndex;
      const first = Number(sub[1]);
      const count = Number(sub[2]);
      for (let i = 0; i < count; i++) {
        ROW.lastIndex = at;
        const row = ROW.exec(text);
        if (!row) return;
        at = ROW.lastIndex;
        if (row[2] === 'n') this.entries.push(first + i, Number(row[1]));
      }
    }
  }
}

function readInt(bytes: Buffer, at: number, width: number): number {
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + (bytes[at + i] as number);
  return value;
}

import { NAME_CHARACTERS } from './xml.ts';

/**
 * A part's text as it inflates, searched as bytes: only the items that hold one of the `wanted`
 * words are ever turned into text. An item is a `<` and everything up to the next `<` (a tag and
 * the element text after it), so each item handed on holds a whole tag and its whole text, and a
 * regular expression over it sees them complete. Items arrive in the order of the part, each
 * with its byte offset in the part (`at`), for a check that must know what stands around an
 * item (../ofd/content.ts: the byte after a location's text, whether it is the part's root).
 *
 * Decoding every piece that holds a wanted word (as this did before) turned nearly all of a
 * Word document into strings, since fields recur every few kilobytes; the byte search
 * (Buffer.indexOf, native) leaves the rest as bytes. A word split between two pieces of output
 * is found all the same: the unfinished last item of a piece (from its last `<`) waits, copied,
 * and is searched again with the bytes that complete it.
 *
 * A check may ask for the items after one it was handed, whatever they hold (`onText` returns
 * true: the next item comes too, and so on while it does): ./formulas.ts follows a string-typed
 * cell to its end so, as its text carries no word to search for.
 *
 * An item longer than MAX_CARRY is handed on in pieces, so a word after its first 64 KiB is not
 * read with its tag. Rather than carry a check's state across those pieces, the stream tells
 * `onLong` the head of each such item (its tag): the checks refuse a formula or field
 * instruction that long (./formulas.ts, ./fields.ts), which no genuine document has.
 */

/** An unfinished item longer than this is handed on as it is. */
export const MAX_CARRY = 64 * 1024;
/** How much of a long item's beginning `onLong` is shown: enough for any tag's name a writer writes. */
const HEAD = 256;
/**
 * A long item's head that is all element name (round 13): a prefix is any XML name, however
 * long, so `<` and 300 bytes of prefix before `:instrText` shows the checks no local name to
 * refuse a long instruction by, and the name itself may outrun the 64 KiB window. No writer
 * writes a name that long; the checks refuse such an item as they refuse a long instruction.
 */
const NAME_PAST_HEAD = new RegExp(`^<[${NAME_CHARACTERS}:]{${HEAD - 1}}$`);

/** The tag a check names when it refuses a long item that is all element name (NAME_PAST_HEAD), if `head` is one. */
export function nameLongerThanHead(head: string): string | undefined {
  return NAME_PAST_HEAD.test(head) ? `a name past ${HEAD - 1} bytes` : undefined;
}
const LT = 0x3c;
const EMPTY = Buffer.alloc(0);

export class TextStream {
  private carry = EMPTY;
  /** Bytes of the part written before the piece being written: the part offset of its byte 0. */
  private written = 0;
  /** The check asked for the next item, whatever it holds. */
  private following = false;

  constructor(
    /** Told each item wanted; returns true to be handed the next one as well. */
    private readonly onText: (text: string, at: number) => unknown,
    private readonly wanted: readonly Buffer[],
    private readonly onLong: (head: string) => void = () => {},
  ) {}

  write(out: Buffer): void {
    if (out.length === 0) return;
    const written = this.written;
    this.written += out.length;
    const first = out.indexOf(LT);
    if (first === -1) {
      // The carried item goes on through all of `out`.
      const all = this.carry.length > 0 ? Buffer.concat([this.carry, out]) : out;
      if (all.length <= MAX_CARRY) {
        this.carry = Buffer.from(all);
      } else {
        this.long(all, 0);
        this.items(all, 0, all.length, written - this.carry.length);
        this.carry = EMPTY;
      }
      return;
    }
    // The carried item ends at the first `<`: searched with the bytes that complete it, which
    // finds a word split between the two pieces.
    if (this.carry.length > 0) {
      const item = Buffer.concat([this.carry, out.subarray(0, first)]);
      this.items(item, 0, item.length, written - this.carry.length);
    } else if (first > 0) {
      this.items(out, 0, first, written);
    }
    const last = out.lastIndexOf(LT);
    if (last > first) this.items(out, first, last, written);
    if (out.length - last > MAX_CARRY) {
      this.long(out, last);
      this.items(out, last, out.length, written);
      this.carry = EMPTY;
    } else {
      this.carry = Buffer.from(out.subarray(last));
    }
  }

  end(): void {
    if (this.carry.length > 0) this.items(this.carry, 0, this.carry.length, this.written - this.carry.length);
    this.carry = EMPTY;
  }

  /** Tells of an item cut into pieces, once: only its first piece starts with its `<`. */
  private long(bytes: Buffer, at: number): void {
    if (bytes[at] === LT) this.onLong(bytes.toString('latin1', at, Math.min(bytes.length, at + HEAD)));
  }

  /**
   * Hands on, once each, the items of `bytes[from, to)` that hold a wanted word, with their
   * offsets in the part (`bytes[0]` is at `base`). Every item in that range is complete (`to` is
   * a `<` or the end of what there is). Each word's next place is kept, so a rare word is not
   * searched for again at every match of a frequent one.
   */
  private items(bytes: Buffer, from: number, to: number, base: number): void {
    const next = this.wanted.map((word) => bytes.indexOf(word, from));
    let done = from;
    for (;;) {
      // The item after the last one handed, asked for; else the next holding a wanted word.
      const at = this.following && done < to ? done : this.nextWanted(bytes, next, done, to);
      if (at === -1) return;
      const start = Math.max(from, bytes.lastIndexOf(LT, at));
      const after = bytes.indexOf(LT, at + 1);
      const end = after === -1 || after > to ? to : after;
      this.following = this.onText(bytes.toString('latin1', start, end), base + start) === true;
      done = end;
    }
  }

  /** The first place in `bytes[done, to)` of a wanted word, -1 if none; `next` keeps each word's next place. */
  private nextWanted(bytes: Buffer, next: number[], done: number, to: number): number {
    let at = -1;
    for (let i = 0; i < next.length; i++) {
      let place = next[i] as number;
      if (place !== -1 && place < done) {
        place = bytes.indexOf(this.wanted[i] as Buffer, done);
        next[i] = place;
      }
      if (place !== -1 && place < to && (at === -1 || place < at)) at = place;
    }
    return at;
  }
}

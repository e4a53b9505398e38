/**
 * Every reference (`N G R`) the scan meets, and the definition it is in: what ./xref.ts needs to
 * tell a reference a reader follows from one it never sees.
 *
 * A reader follows references only from the definitions the file's newest cross-reference
 * entries name. A genuine update that deletes an object and reuses its number at the next
 * generation (`6 1 obj`, as Acrobat saves) leaves the old definition of the object that referred
 * to it (`6 0 R`) in the file's earlier bytes, where no reader loads it any more. Such a reference
 * of the old generation is harmless; the same reference in a definition a reader loads makes
 * pdf.js rebuild the file from all its bytes (./xref.ts), and is refused.
 *
 * References in an object definition's own syntax are logged with where that definition's header
 * is; those in object streams and trailers are kept apart, as read whatever the sections say.
 * Past MAX_LOGGED references the log stops, and a file that would need it is refused.
 */

/** References logged one by one at most (8 bytes each): past this, the log is given up. */
export const MAX_LOGGED = 2 * 1024 * 1024;

export class ReferenceLog {
  /** The generation every reference to each number carries, by number (NaN: two). */
  readonly gens = new Map<number, number>();
  /** The same, for references outside an object definition of the file's own syntax. */
  readonly loose = new Map<number, number>();
  /** Whether the log was given up (past MAX_LOGGED). */
  overflowed = false;
  private nums: Int32Array = new Int32Array(1024);
  private refGens: Int32Array = new Int32Array(1024);
  private length = 0;
  /** Per definition with references: its header's stream position, its number, where its references end in the log. */
  private readonly definitions: number[] = [];
  /** The header position of the definition being read, or -1 (an object stream's object, a trailer). */
  private at = -1;
  private num = -1;

  /** References that follow are in the definition of object `num` whose header is at stream position `at` (none: not one). */
  begin(num: number, at?: number): void {
    this.close();
    this.at = at ?? -1;
    this.num = num;
  }

  add(num: number, gen: number): void {
    note(this.gens, num, gen);
    if (this.at < 0) {
      note(this.loose, num, gen);
      return;
    }
    if (this.overflowed) return;
    // Numbers past an Int32 would wrap into others: such a file is given up on, not misread.
    if (this.length === MAX_LOGGED || !isInt32(num) || !isInt32(gen)) {
      this.overflowed = true;
      return;
    }
    if (this.length === this.nums.length) {
      this.nums = grown(this.nums);
      this.refGens = grown(this.refGens);
    }
    this.nums[this.length] = num;
    this.refGens[this.length] = gen;
    this.length++;
  }

  /**
   * Calls `visit` with each logged reference: the number and generation it names, and the
   * number and header position of the definition it is in.
   */
  forEach(visit: (num: number, gen: number, inNum: number, inAt: number) => void): void {
    this.close();
    let from = 0;
    for (let d = 0; d < this.definitions.length; d += 3) {
      const to = this.definitions[d + 2] as number;
      for (let i = from; i < to; i++)
        visit(
          this.nums[i] as number,
          this.refGens[i] as number,
          this.definitions[d + 1] as number,
          this.definitions[d] as number,
        );
      from = to;
    }
  }

  /** Ends the definition being read, noting where its references end. */
  private close(): void {
    const last = this.definitions.at(-1) ?? 0;
    if (this.at >= 0 && this.length > last) this.definitions.push(this.at, this.num, this.length);
    this.at = -1;
  }
}

function note(map: Map<number, number>, num: number, gen: number): void {
  const before = map.get(num);
  if (before !== gen) map.set(num, before === undefined ? gen : Number.NaN);
}

const isInt32 = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0x7fffffff;

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(Math.min(array.length * 2, MAX_LOGGED));
  bigger.set(array);
  return bigger;
}

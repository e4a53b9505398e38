/**
 * A part's text as it inflates, handed on in pieces that end just before a `<`: each piece
 * holds only whole tags and whole element text, so a regular expression over it sees every
 * tag complete. The unfinished tail (from the last `<`) waits, copied, for the next output.
 * `wanted` are the words a check looks for: output holding none of them is never turned into
 * text (the common case, and what keeps the checks near the speed of inflating).
 */

/** An unfinished tag or element text longer than this is handed on as it is. */
const MAX_CARRY = 64 * 1024;
const LT = 0x3c;
/** Longer than any wanted word: the seam between the tail and new output is checked this far. */
const SEAM = 16;
const EMPTY = Buffer.alloc(0);

export class TextStream {
  private carry = EMPTY;

  constructor(
    private readonly onText: (text: string) => void,
    private readonly wanted: readonly Buffer[],
  ) {}

  write(out: Buffer): void {
    if (out.length === 0) return;
    if (!this.holds(out) && !this.holds(this.carry) && !this.holdsSeam(out)) {
      // Nothing to read: only keep the new tail.
      const lt = out.lastIndexOf(LT);
      this.carry =
        lt !== -1
          ? Buffer.from(out.subarray(lt))
          : this.carry.length + out.length <= MAX_CARRY
            ? Buffer.concat([this.carry, out])
            : EMPTY;
      return;
    }
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, out]) : out;
    let cut = bytes.lastIndexOf(LT);
    // No `<`, or an unfinished tail too long to wait for: hand everything on.
    if (cut === -1 || bytes.length - cut > MAX_CARRY) cut = bytes.length;
    if (cut > 0) this.onText(bytes.toString('latin1', 0, cut));
    this.carry = Buffer.from(bytes.subarray(cut));
  }

  end(): void {
    if (this.carry.length > 0 && this.holds(this.carry)) this.onText(this.carry.toString('latin1'));
    this.carry = EMPTY;
  }

  private holds(bytes: Buffer): boolean {
    return bytes.length > 0 && this.wanted.some((word) => bytes.includes(word));
  }

  private holdsSeam(out: Buffer): boolean {
    if (this.carry.length === 0) return false;
    return this.holds(Buffer.concat([this.carry.subarray(-SEAM), out.subarray(0, SEAM)]));
  }
}

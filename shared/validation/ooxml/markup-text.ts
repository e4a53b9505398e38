/**
 * A part's bytes with CDATA sections, comments and processing instructions resolved, as an XML
 * reader (and so Office) resolves them, before the text search sees them: a CDATA section
 * becomes its content as escaped text (`<` as `&lt;`, `&` as `&amp;`), a comment or processing
 * instruction is dropped. An element's text then reaches the checks as one run:
 * `<f><![CDATA[cmd|' /c calc'!A0]]></f>` reads as `<f>cmd|' /c calc'!A0</f>`, and
 * `<f>cmd<!-- -->|x</f>` as `<f>cmd|x</f>`, which is how Excel reads them.
 *
 * Genuine parts hold none of these past the XML declaration, so the cost is two native byte
 * searches (`!`, `?`, each then checked for a `<` before it) per piece; bytes between them are passed on as views, not copied. A construct's
 * opening or closing split between two pieces is held back (a few bytes) until the next piece.
 */

interface Construct {
  readonly open: Buffer;
  readonly close: Buffer;
  /** Its content is element text (CDATA), not markup to drop. */
  readonly text: boolean;
}

const CONSTRUCTS: readonly Construct[] = [
  { open: Buffer.from('<![CDATA['), close: Buffer.from(']]>'), text: true },
  { open: Buffer.from('<!--'), close: Buffer.from('-->'), text: false },
  { open: Buffer.from('<?'), close: Buffer.from('?>'), text: false },
];
/** The second bytes of `<!` and `<?`: searched alone (memchr), as `<` is everywhere in markup. */
const MARKS = [0x21, 0x3f];
const LT = 0x3c;
const EMPTY = Buffer.alloc(0);

export class MarkupText {
  private inside: Construct | null = null;
  private held = EMPTY;
  /**
   * What one piece resolves to, handed on as one buffer: a part of many tiny constructs would
   * otherwise reach the text stream as many tiny writes, each copying its carried item.
   */
  private readonly out: Buffer[] = [];

  constructor(private readonly next: (out: Buffer) => void) {}

  write(piece: Buffer): void {
    // A piece ending in `<` is common where every tenth byte is one; when the next piece shows it
    // opens no construct it goes on alone, rather than copying that whole piece behind it.
    if (!this.inside && this.held.length === 1 && piece.length > 0 && !MARKS.includes(piece[0] as number)) {
      this.next(this.held);
      this.held = EMPTY;
    }
    this.resolve(piece);
    this.flush();
  }

  private resolve(piece: Buffer): void {
    const out = this.held.length > 0 ? Buffer.concat([this.held, piece]) : piece;
    this.held = EMPTY;
    let from = 0;
    while (from < out.length) {
      if (this.inside) {
        const construct: Construct = this.inside;
        const close = out.indexOf(construct.close, from);
        if (close === -1) {
          // The closing may be split: its first bytes wait for the next piece.
          const keep = Math.max(from, out.length - (construct.close.length - 1));
          if (construct.text) this.escaped(out, from, keep);
          this.held = Buffer.from(out.subarray(keep));
          return;
        }
        if (construct.text) this.escaped(out, from, close);
        from = close + construct.close.length;
        this.inside = null;
        continue;
      }
      const at = nextOpening(out, from);
      if (at === -1) {
        // A last `<` may open a construct that the next piece completes.
        const end = out[out.length - 1] === LT ? out.length - 1 : out.length;
        this.pass(out, from, end);
        if (end < out.length) this.held = Buffer.from([LT]);
        return;
      }
      this.pass(out, from, at);
      const construct = CONSTRUCTS.find((c) => startsWith(out, at, c.open));
      if (construct) {
        this.inside = construct;
        from = at + construct.open.length;
        continue;
      }
      if (CONSTRUCTS.some((c) => isPrefix(out, at, c.open))) {
        this.held = Buffer.from(out.subarray(at));
        return;
      }
      // `<!DOCTYPE` and the like: left as markup.
      this.pass(out, at, at + 2);
      from = at + 2;
    }
  }

  end(): void {
    // An unclosed construct ends with the part; a held `<` or opening is plain markup.
    if (this.held.length > 0 && (!this.inside || this.inside.text)) {
      if (this.inside) this.escaped(this.held, 0, this.held.length);
      else this.out.push(this.held);
    }
    this.held = EMPTY;
    this.inside = null;
    this.flush();
  }

  private flush(): void {
    if (this.out.length === 1) this.next(this.out[0] as Buffer);
    else if (this.out.length > 1) this.next(Buffer.concat(this.out));
    this.out.length = 0;
  }

  private pass(bytes: Buffer, from: number, to: number): void {
    if (to > from) this.out.push(bytes.subarray(from, to));
  }

  /** CDATA content as the escaped text it stands for (rare: parsed as a string). */
  private escaped(bytes: Buffer, from: number, to: number): void {
    if (to <= from) return;
    const text = bytes.toString('latin1', from, to).replace(/&/g, '&amp;').replace(/</g, '&lt;');
    this.out.push(Buffer.from(text, 'latin1'));
  }
}

/** The first `<!` or `<?` at or after `from`, or -1. */
function nextOpening(bytes: Buffer, from: number): number {
  let first = -1;
  for (const mark of MARKS) {
    let at = bytes.indexOf(mark, from + 1);
    while (at !== -1 && bytes[at - 1] !== LT && (first === -1 || at - 1 < first)) at = bytes.indexOf(mark, at + 1);
    if (at !== -1 && bytes[at - 1] === LT && (first === -1 || at - 1 < first)) first = at - 1;
  }
  return first;
}

function startsWith(bytes: Buffer, at: number, word: Buffer): boolean {
  return bytes.length - at >= word.length && bytes.compare(word, 0, word.length, at, at + word.length) === 0;
}

/** Whether `bytes` from `at` to its end is a proper beginning of `word` (cut by the piece). */
function isPrefix(bytes: Buffer, at: number, word: Buffer): boolean {
  const rest = bytes.length - at;
  return rest < word.length && bytes.compare(word, 0, rest, at, bytes.length) === 0;
}

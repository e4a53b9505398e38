/**
 * PDF strings as readers decode them (PDF 2.0 § 7.3.4): a literal string's escapes and line
 * ends, a hex string's digits; then a text string's text by its byte-order mark. The scan reads
 * few strings this way: the targets of links (./links.ts).
 */

const ESCAPES: Readonly<Record<string, number>> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, f: 0x0c };
const CR = 0x0d;
const LF = 0x0a;
const isOctal = (code: number) => code >= 0x30 && code <= 0x37;

/** The bytes of a literal string's inside (between its outer parentheses). */
export function literalBytes(raw: string): Buffer {
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length;) {
    const c = raw.charCodeAt(i++);
    if (c === CR) {
      // An end of line in a string is a line feed, whichever it was.
      if (raw.charCodeAt(i) === LF) i++;
      out[n++] = LF;
    } else if (c !== 0x5c) {
      out[n++] = c;
    } else if (i < raw.length) {
      const code = raw.charCodeAt(i++);
      if (isOctal(code)) {
        // Up to three octal digits; a value past a byte keeps its low 8 bits.
        let value = code - 0x30;
        for (let k = 0; k < 2 && isOctal(raw.charCodeAt(i)); k++) value = value * 8 + raw.charCodeAt(i++) - 0x30;
        out[n++] = value & 0xff;
      } else if (code === CR) {
        if (raw.charCodeAt(i) === LF) i++; // a backslash at the end of a line continues it
      } else if (code !== LF) {
        // \n \r \t \b \f, and \( \) \\ or any other character standing for itself.
        out[n++] = ESCAPES[String.fromCharCode(code)] ?? code;
      }
    }
  }
  return out.subarray(0, n);
}

/** The bytes of a hex string's inside (between `<` and `>`): whitespace and stray characters skipped, an odd last digit padded with 0. */
export function hexBytes(raw: string): Buffer {
  const digits = raw.replace(/[^0-9A-Fa-f]/g, '');
  return Buffer.from(digits.length % 2 === 0 ? digits : `${digits}0`, 'hex');
}

/** A string's bytes, literal or hex. */
export function stringBytes(raw: string, hex: boolean): Buffer {
  return hex ? hexBytes(raw) : literalBytes(raw);
}

const UTF16BE = new TextDecoder('utf-16be');
const UTF16LE = new TextDecoder('utf-16le');
const UTF8 = new TextDecoder('utf-8');

/**
 * A text string's text: UTF-16 or UTF-8 after its byte-order mark, else PDFDocEncoding (read as
 * Latin-1, which it matches wherever a path or URL is written). pdf.js reads both UTF-16 marks.
 */
export function textOf(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return UTF16BE.decode(bytes.subarray(2));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return UTF16LE.decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return UTF8.decode(bytes.subarray(3));
  return bytes.toString('latin1');
}

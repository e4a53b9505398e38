/* eslint-disable no-control-regex -- PDF whitespace includes NUL (0x00), written \x00 in these patterns */
/**
 * PDF strings as readers decode them (PDF 2.0 § 7.3.4): a literal string's escapes and line
 * ends, a hex string's digits; then a text string's text by its byte-order mark. The scan reads
 * few strings this way: the targets of links (./links.ts).
 */

const ESCAPES: Readonly<Record<string, number>> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, f: 0x0c };
const CR = 0x0d;
const LF = 0x0a;
const isOctal = (code: number) => code >= 0x30 && code <= 0x37;

/**
 * A literal string's inside (between its outer parentheses) as character codes, as pdf.js's
 * lexer reads it: an octal escape past a byte (`\\533`, up to 511) is that code, where PDFium and
 * MuPDF keep its low byte. `wide` says whether one was.
 */
function literalCodes(raw: string): { codes: Uint16Array; wide: boolean } {
  const out = new Uint16Array(raw.length);
  let n = 0;
  let wide = false;
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
        // Up to three octal digits.
        let value = code - 0x30;
        for (let k = 0; k < 2 && isOctal(raw.charCodeAt(i)); k++) value = value * 8 + raw.charCodeAt(i++) - 0x30;
        if (value > 0xff) wide = true;
        out[n++] = value;
      } else if (code === CR) {
        if (raw.charCodeAt(i) === LF) i++; // a backslash at the end of a line continues it
      } else if (code !== LF) {
        // \n \r \t \b \f, and \( \) \\ or any other character standing for itself.
        out[n++] = ESCAPES[String.fromCharCode(code)] ?? code;
      }
    }
  }
  return { codes: out.subarray(0, n), wide };
}

/** The bytes of a literal string's inside (between its outer parentheses); an octal escape past a byte keeps its low 8 bits (PDFium, MuPDF). */
export function literalBytes(raw: string): Buffer {
  const { codes } = literalCodes(raw);
  const out = Buffer.allocUnsafe(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = (codes[i] as number) & 0xff;
  return out;
}

/** Anything but a hex digit: pdf.js and PDFium skip it in a hex string. */
const NOT_HEX_DIGIT = /[^0-9A-Fa-f]/g;
/** A stray character in a hex string: neither a digit nor PDF whitespace. */
const STRAY = /[^0-9A-Fa-f\x00\t\n\f\r ]/;

/** The bytes of hex digits, an odd last digit padded with 0 (pdf.js, PDFium, MuPDF). */
function fromHexDigits(digits: string): Buffer {
  return Buffer.from(digits.length % 2 === 0 ? digits : `${digits}0`, 'hex');
}

/** The bytes of a hex string's inside (between `<` and `>`): whitespace and stray characters skipped, an odd last digit padded with 0. */
export function hexBytes(raw: string): Buffer {
  return fromHexDigits(raw.replace(NOT_HEX_DIGIT, ''));
}

/** A string's bytes, literal or hex, as most readers read them. */
export function stringBytes(raw: string, hex: boolean): Buffer {
  return hex ? hexBytes(raw) : literalBytes(raw);
}

/**
 * A string's texts as the readers that read it otherwise than stringBytes read it, when they do
 * (round 14; usually none, at the cost of a test):
 * - pdf.js keeps an octal escape past a byte as that character (`\\533` is ś, which a share or a
 *   scheme may fold from), and decodes the text by byte-order mark from low bytes, as its
 *   stringToBytes takes them: so a string without a mark reads with the wide characters kept;
 * - MuPDF reads a stray character in a hex string (any byte not a digit or whitespace) as the
 *   digit 0, where pdf.js and PDFium skip it: every later pair is shifted;
 * - older MuPDF dropped an odd last hex digit, where pdf.js, PDFium and MuPDF now pad it with 0.
 */
export function otherTexts(raw: string, hex: boolean): string[] {
  if (!hex) {
    if (!WIDE_OCTAL.test(raw)) return [];
    const { codes, wide } = literalCodes(raw);
    // A mark written as bytes: pdf.js decodes the low bytes by it, as textOf does.
    if (!wide || hasByteOrderMark(codes)) return [];
    let text = '';
    for (let i = 0; i < codes.length; i += 8192) text += String.fromCharCode(...codes.subarray(i, i + 8192));
    return [text];
  }
  const texts: string[] = [];
  // Whitespace taken out, what is not a digit is a stray character: MuPDF's 0.
  if (STRAY.test(raw))
    texts.push(textOf(fromHexDigits(raw.replace(/[\x00\t\n\f\r ]/g, '').replace(NOT_HEX_DIGIT, '0'))));
  const digits = raw.replace(NOT_HEX_DIGIT, '');
  if (digits.length % 2 === 1) texts.push(textOf(fromHexDigits(digits.slice(0, -1))));
  return texts;
}

/** An octal escape that may be past a byte (the escaped backslash `\\\\477` too, which literalCodes tells apart). */
const WIDE_OCTAL = /\\[4-7][0-7]{2}/;

/** Whether bytes (or character codes) start with a UTF-16 or UTF-8 byte-order mark (textOf decodes those). */
export function hasByteOrderMark(bytes: ArrayLike<number>): boolean {
  return (
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
  );
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

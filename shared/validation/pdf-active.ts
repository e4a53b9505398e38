import { inflateSync } from 'node:zlib';

/**
 * Active content and attachments in a PDF: what a reader runs or hands over by itself, found by
 * the names that introduce them in the PDF's dictionaries —
 *
 *   script      /JavaScript, /JS (JavaScript actions), /Launch (runs a program or opens a file),
 *               /RichMedia (Flash and other embedded players);
 *   attachment  /EmbeddedFiles (the document's attachment list), /EF (a file specification's
 *               embedded file), /FileAttachment (an attachment annotation).
 *
 * A lone `/Type /EmbeddedFile` stream that nothing refers to is not reported: no reader shows it
 * (see polyglot.ts on files merely stored in a PDF's body).
 *
 * Names are read as a reader reads them: `#xx` escapes decoded (`/J#61vaScript` is /JavaScript),
 * delimited by whitespace or a delimiter. Stream data is skipped (compressed bytes would match
 * `/JS` by chance about once per 200 MiB), except object streams (`/Type /ObjStm`, PDF 1.5),
 * which hold dictionaries and are inflated (at most MAX_OBJECT_STREAM_BYTES) and read too: that
 * is where pdf-lib and most current writers put the catalog.
 *
 * It is a heuristic over the bytes the PDF inspector keeps (the first 64 KiB and the last 1 MiB,
 * the whole file up to 1 MiB), not a PDF parser: names in the middle of a larger file, or in a
 * stream whose end a crafted string fakes, are not seen.
 */

export type ActiveKind = 'script' | 'attachment';
export interface ActiveContent {
  kind: ActiveKind;
  /** The name found, as a reader reads it (`JavaScript`, `EF`, …). */
  name: string;
}

const ACTIVE: Readonly<Record<string, ActiveKind>> = {
  JavaScript: 'script',
  JS: 'script',
  Launch: 'script',
  RichMedia: 'script',
  EmbeddedFiles: 'attachment',
  EF: 'attachment',
  FileAttachment: 'attachment',
};

/**
 * Object streams are a few hundred KiB at most in real files. All those of one window together
 * inflate to at most this much (a window full of small deflate bombs stops here); what would
 * inflate past it is not read.
 */
const MAX_OBJECT_STREAM_BYTES = 8 * 1024 * 1024;

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITER = new Set(Buffer.from('()<>[]{}/%', 'latin1'));
const SLASH = 0x2f;
const STREAM = Buffer.from('stream', 'latin1');
const END = Buffer.from('end', 'latin1');
const ENDOBJ = Buffer.from('endobj', 'latin1');
const OBJ = Buffer.from('obj', 'latin1');
const DICT_END = Buffer.from('>>', 'latin1');

/** Each name in `text`, decoded (`#xx` escapes), without the slash. */
function* namesIn(text: Buffer): Generator<string> {
  for (let at = text.indexOf(SLASH); at !== -1; at = text.indexOf(SLASH, at + 1)) {
    let end = at + 1;
    while (end < text.length && !WHITESPACE.has(text[end] as number) && !DELIMITER.has(text[end] as number)) end++;
    if (end - at > 128) continue; // a name is at most 127 bytes
    yield text
      .toString('latin1', at + 1, end)
      .replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}

function firstActive(text: Buffer): ActiveContent | undefined {
  for (const name of namesIn(text)) {
    const kind = ACTIVE[name];
    if (kind) return { kind, name };
  }
  return undefined;
}

interface Stream {
  dictionary: Buffer;
  data: Buffer;
}

/** Whether `bytes[at]` starts an end-of-line (what must follow the `stream` keyword). */
const eolLength = (bytes: Buffer, at: number) =>
  bytes[at] === 0x0d ? (bytes[at + 1] === 0x0a ? 2 : 1) : bytes[at] === 0x0a ? 1 : 0;

/** The dictionary right before `at` ends with `>>` (whitespace allowed between). */
function afterDictionary(bytes: Buffer, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && WHITESPACE.has(bytes[i] as number)) i--;
  return i >= 1 && bytes[i] === 0x3e && bytes[i - 1] === 0x3e;
}

/** A direct `/Length n` in a stream dictionary, or undefined (absent, or an indirect reference). */
function directLength(dictionary: Buffer): number | undefined {
  const m = /\/Length\s+(\d{1,10})(?!\s+\d+\s+R)/.exec(dictionary.toString('latin1'));
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * Splits `bytes` into the text between streams and the streams themselves. When the bytes do not
 * start at the file's start, what comes before the first `endobj` or `endstream` belongs to an
 * object whose beginning is not there, and is skipped.
 */
function split(bytes: Buffer, atFileStart: boolean): { text: Buffer[]; streams: Stream[] } {
  const text: Buffer[] = [];
  const streams: Stream[] = [];
  let from = 0;
  if (!atFileStart) {
    const ends = [bytes.indexOf(ENDOBJ), bytes.indexOf(Buffer.concat([END, STREAM]))].filter((i) => i !== -1);
    if (ends.length === 0) return { text, streams };
    from = Math.min(...ends);
  }
  for (let at = bytes.indexOf(STREAM, from); at !== -1; at = bytes.indexOf(STREAM, at + 1)) {
    const isEnd = at >= 3 && bytes.subarray(at - 3, at).equals(END);
    const eol = eolLength(bytes, at + STREAM.length);
    if (isEnd || eol === 0 || !afterDictionary(bytes, at)) continue;
    const segment = bytes.subarray(from, at);
    text.push(segment);
    const objectStart = segment.lastIndexOf(OBJ);
    const dictionary = segment.subarray(objectStart === -1 ? 0 : objectStart, segment.lastIndexOf(DICT_END) + 2);
    const dataStart = at + STREAM.length + eol;
    const length = directLength(dictionary);
    let dataEnd = -1;
    if (length !== undefined && dataStart + length <= bytes.length) {
      let after = dataStart + length;
      after += eolLength(bytes, after);
      if (bytes.subarray(after, after + 9).toString('latin1') === 'endstream') dataEnd = dataStart + length;
    }
    if (dataEnd === -1) dataEnd = bytes.indexOf(Buffer.concat([END, STREAM]), dataStart);
    if (dataEnd === -1) return { text, streams }; // the stream runs past these bytes
    streams.push({ dictionary, data: bytes.subarray(dataStart, dataEnd) });
    from = dataEnd + 'endstream'.length;
    at = from - 1;
  }
  text.push(bytes.subarray(from));
  return { text, streams };
}

/**
 * An object stream's data, inflated within `budget` bytes when it is plain FlateDecode; undefined
 * when it is not an object stream or has other filters; `spent` when inflating failed.
 */
function objectStreamText(stream: Stream, budget: number): Buffer | 'spent' | undefined {
  const names = [...namesIn(stream.dictionary)];
  if (!names.includes('ObjStm')) return undefined;
  const filters = names.filter((name) => name.endsWith('Decode'));
  if (filters.length === 0) return stream.data;
  if (filters.length !== 1 || filters[0] !== 'FlateDecode' || names.includes('DecodeParms') || budget <= 0)
    return undefined;
  try {
    return inflateSync(stream.data, { maxOutputLength: budget });
  } catch {
    // Damaged, or past the budget: not read, and no more are (the work done counts as spent).
    return 'spent';
  }
}

/** The first script or attachment named in `bytes` (a window of a PDF), or undefined. */
export function findActiveContent(bytes: Buffer, atFileStart: boolean): ActiveContent | undefined {
  const { text, streams } = split(bytes, atFileStart);
  for (const segment of text) {
    const found = firstActive(segment);
    if (found) return found;
  }
  let budget = MAX_OBJECT_STREAM_BYTES;
  for (const stream of streams) {
    const inflated = objectStreamText(stream, budget);
    if (inflated === 'spent') break;
    if (!inflated) continue;
    budget -= inflated.length;
    const found = firstActive(inflated);
    if (found) return found;
  }
  return undefined;
}

import { ActiveFacts } from './active.ts';
import { type Crypt, openEncryption } from './crypt.ts';
import { DecodeError, decodeStream } from './filters.ts';
import { type PdfObject, readStretch } from './objects.ts';
import { stringBytes } from './strings.ts';
import { entry, isRegular, nameOf, numberOf, type PdfValue, Syntax, WHITESPACE, writtenTwice } from './syntax.ts';
import { LINEARIZED_HEAD, linearizedStart } from './start.ts';
import { CrossReference, MAX_OBJECTS, SLACK } from './xref.ts';

/**
 * The whole-file PDF scan, fed chunk by chunk. It reads the file as two kinds of bytes:
 *
 * - syntax: everything outside stream data (objects, dictionaries, cross-reference tables,
 *   trailers, incremental updates), kept per stretch between two streams and read whole: its
 *   names (./active.ts), its objects, its cross-reference sections (./xref.ts);
 * - stream data, after `<< … >> stream`: skipped by its direct /Length (checked against the
 *   `endstream` that must follow) or, when /Length is a reference, up to `endstream`. Object
 *   streams and cross-reference streams are kept and decoded through their filters
 *   (./filters.ts), and the objects inside read like the rest. Other streams (pages' content,
 *   images, fonts) hold no objects a reader would act on and are never decoded, whatever their
 *   filter: that is what keeps the scan near the speed of hashing.
 *
 * What cannot be read is reported as a reason (`unreadable`) and the file is refused: a stream
 * whose /Length does not end at `endstream`, an object stream that does not decode, syntax or
 * decoded data past the limits below, cross-references that disagree with the objects met.
 *
 * An encrypted file (./crypt.ts) is read as any other when the empty user password opens it. Its
 * key needs the trailer's /Encrypt and /ID, usually at the end of the file: so an object stream
 * that does not decode as it is is kept, raw, until the end (up to maxSealedBytes), when it is
 * decrypted and read; the strings links are read from are kept likewise (./links.ts). An object
 * stream that reads without being decrypted in a file whose streams are encrypted was written for
 * another reading than a reader's: refused.
 */

export interface ScanLimits {
  /** Syntax between two streams, read whole (a page tree of 100,000 pages is ~2 MiB). */
  maxSyntaxBytes: number;
  /** Raw bytes of one object or cross-reference stream, kept to be decoded. */
  maxKeptBytes: number;
  /** Decoded bytes of all object and cross-reference streams together (bombs stop here). */
  maxDecodedBytes: number;
  /** Raw bytes of the object streams kept until the file's key is known (an encrypted file's, or one that does not decode). */
  maxSealedBytes: number;
}

const MiB = 1024 * 1024;
export const SCAN_LIMITS: ScanLimits = Object.freeze({
  maxSyntaxBytes: 16 * MiB,
  maxKeptBytes: 32 * MiB,
  maxDecodedBytes: 64 * MiB,
  maxSealedBytes: 32 * MiB,
});

/** Encryption dictionaries kept from the file's own syntax (one is needed; a file naming more is refused). */
const MAX_ENCRYPT_CANDIDATES = 16;

/** The keys that decide how a stream is read: one written twice is read otherwise by some reader. */
const STREAM_KEYS: ReadonlySet<string> = new Set([
  'Length',
  'Filter',
  'DecodeParms',
  'DP',
  'Type',
  'N',
  'First',
  'W',
  'Index',
  'Size',
]);

const STREAM = Buffer.from('stream', 'latin1');
const ENDSTREAM = Buffer.from('endstream', 'latin1');
const ENDOBJ = Buffer.from('endobj', 'latin1');
/** Bytes after `stream` that may be needed to find where its data starts (spaces, then an end of line). */
const LOOKAHEAD = 64;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;

interface OpenStream {
  dict: PdfValue;
  num: number | undefined;
  gen: number;
  /** Stream position of the object header (a cross-reference stream's section address). */
  headerAt: number;
  dataStart: number;
  /** Bytes of data left, when /Length is direct. */
  remaining: number;
  lengthRef: number | undefined;
  kept: Buffer[] | undefined;
  keptBytes: number;
  objectStream: boolean;
  xrefStream: boolean;
}

type Mode = 'syntax' | 'data' | 'end' | 'untilEnd' | 'stopped';

/** An object stream that did not read as it is: perhaps encrypted, to be read at the end. */
interface SealedStream {
  data: Buffer;
  dict: PdfValue;
  num: number | undefined;
  gen: number;
  /** Why it did not read as it is (the file's refusal if it turns out not to be encrypted). */
  reason: string;
}

/** An object stream's objects, read from its decoded data. */
interface PackedObjects {
  text: string;
  pairs: Array<[number, number]>;
  values: PdfValue[];
}

/** How a file is encrypted: not at all, opened with the empty password, or locked (a password is asked, or a handler not read). */
export type Encryption = { state: 'none' } | { state: 'open'; crypt: Crypt } | { state: 'locked'; reason: string };
export class PdfScan {
  readonly facts = new ActiveFacts();
  readonly xref = new CrossReference();
  /** Why the file cannot be read, once known; the scan stops there. */
  unreadable: string | undefined;
  private mode: Mode = 'syntax';
  private syntax = Buffer.alloc(64 * 1024);
  private syntaxLength = 0;
  /** Stream position of syntax[0]. */
  private syntaxStart = 0;
  /** Index in `syntax` from which `stream` has not been sought yet. */
  private sought = 0;
  /** Index in `syntax` of the `stream` keyword whose data starts the stream being begun. */
  private keywordAt = -1;
  /** Whether a tab came between that keyword and its end of line (MuPDF starts the data there). */
  private tabAfterKeyword = false;
  private stream: OpenStream | undefined;
  /** The bytes after a stream's data, while checking they are `endstream`. */
  private after = Buffer.alloc(0);
  /** Stream position of after[0]. */
  private afterAt = 0;
  /** The last bytes of stream data, where an `endstream` split across chunks begins. */
  private seam = Buffer.alloc(0);
  private decodedBudget: number;
  /** The file's first LINEARIZED_HEAD bytes, where pdf.js looks for a linearized file's first `endobj`. */
  private head = Buffer.alloc(0);
  /** The value of the file's first object, and how many bytes were fed. */
  private first: PdfValue | undefined;
  private total = 0;
  /** Object streams kept until the key is known, and their bytes. */
  private readonly sealedStreams: SealedStream[] = [];
  private sealedBytes = 0;
  private sealedOver = false;
  /** Object streams read as they are that decrypting would change (no /Crypt filter of their own). */
  private plainStreams = 0;
  /**
   * Object streams read as they are under a /Crypt filter of their own (round 18): MuPDF reads
   * one as its filter says, qpdf decrypts it with /StmF as any other stream (as pdf.js, which has
   * no /Crypt filter, does), so in a file whose streams are encrypted readers read other objects.
   */
  private ownCryptStreams = 0;
  /** Dictionaries of the file's own syntax that may be an encryption dictionary, by object number. */
  private readonly encryptCandidates = new Map<number, Array<{ gen: number; value: PdfValue }>>();
  private candidates = 0;
  /** Cross-reference streams' `num gen`: their dictionaries' strings are never encrypted (ISO 32000-1 § 7.6.1). */
  private readonly xrefStreamHeaders = new Set<string>();
  /** The file's encryption, once the scan has finished. */
  encryption: Encryption = { state: 'none' };

  constructor(private readonly limits: ScanLimits = SCAN_LIMITS) {
    this.decodedBudget = limits.maxDecodedBytes;
  }

  /** Feeds `chunk`, which starts at stream position `at`. */
  push(chunk: Buffer, at: number): void {
    // Bytes fed again (the few after a `stream` keyword) are not added twice.
    if (at === this.head.length && at < LINEARIZED_HEAD)
      this.head = Buffer.concat([this.head, chunk.subarray(0, LINEARIZED_HEAD - at)]);
    this.total = Math.max(this.total, at + chunk.length);
    let pos = 0;
    while (pos < chunk.length && this.mode !== 'stopped') {
      switch (this.mode) {
        case 'syntax':
          pos = this.onSyntax(chunk, pos, at);
          break;
        case 'data':
          pos = this.onData(chunk, pos);
          break;
        case 'end':
          pos = this.onEnd(chunk, pos, at);
          break;
        case 'untilEnd':
          pos = this.untilEnd(chunk, pos, at);
          break;
      }
    }
  }

  finish(): void {
    if (this.mode === 'syntax') {
      this.readSyntax(this.syntaxLength);
    } else if (this.mode === 'end' && this.after.length > 0) {
      this.checkEnd(true, this.afterAt);
      if ((this.mode as Mode) === 'syntax') this.readSyntax(this.syntaxLength);
    } else if (this.mode !== 'stopped') {
      this.stop('a stream runs to the end of the file');
    }
    if (this.mode !== 'stopped') this.settleEncryption();
    if (this.unreadable === undefined && this.xref.objectCount > MAX_OBJECTS) this.stop('too many objects');
    if (this.unreadable === undefined) {
      const reason = this.xref.check(this.facts.references, linearizedStart(this.first, this.head, this.total));
      if (reason) this.stop(reason);
    }
  }

  /**
   * Once the whole file is read: its encryption, from the trailer a reader takes, and then the
   * object streams and strings kept until the key was known. A file not encrypted is refused for
   * an object stream that did not read.
   */
  private settleEncryption(): void {
    this.encryption = this.findEncryption();
    const encryption = this.encryption;
    if (encryption.state !== 'open') {
      // A locked file is PDF_ENCRYPTED, whatever else cannot be read.
      if (encryption.state === 'none' && this.sealedStreams[0]) this.stop(this.sealedStreams[0].reason);
      else if (encryption.state === 'none' && this.sealedOver) this.stop('object streams that do not read');
      return;
    }
    const { crypt } = encryption;
    if (this.plainStreams > 0 && !crypt.plainStreams) {
      this.stop('an object stream that reads without being decrypted, in an encrypted file');
      return;
    }
    if (this.ownCryptStreams > 0 && !crypt.plainStreams) {
      this.stop('an object stream with a crypt filter of its own, which readers decrypt or not');
      return;
    }
    if (this.sealedOver) {
      this.stop(`encrypted object streams over ${this.limits.maxSealedBytes / MiB} MiB, kept until the key is known`);
      return;
    }
    for (const sealed of this.sealedStreams) {
      let data = sealed.data;
      if (!hasCryptFilter(sealed.dict)) {
        try {
          data = crypt.stream(data, sealed.num ?? 0, sealed.gen);
        } catch (error) {
          this.stop(`an object stream that does not decrypt (${(error as Error).message})`);
          return;
        }
      }
      const read = this.readPacked(data, sealed.dict);
      if (typeof read === 'string') {
        this.stop(read);
        return;
      }
      this.commitPacked(read, sealed.num);
    }
    this.sealedStreams.length = 0;
    const encrypt = entry(this.xref.trailers().last, 'Encrypt');
    const reason = this.facts.links.unseal(
      (bytes, num, gen) => crypt.string(bytes, num, gen),
      (num, gen) =>
        this.xrefStreamHeaders.has(`${num} ${gen}`) ||
        (encrypt?.kind === 'ref' && encrypt.num === num && encrypt.gen === gen),
    );
    if (reason) this.stop(reason);
  }

  /**
   * The file's encryption as a reader takes it: the /Encrypt of the trailer the last `startxref`
   * names (pdf.js, MuPDF), which every other trailer that names one must name too; its
   * dictionary in the file's own syntax (an object stream's would itself need the key), defined
   * once; and the trailer's first /ID string. `/Encrypt` met elsewhere only, as before round 17,
   * leaves the file locked.
   */
  private findEncryption(): Encryption {
    const { last, all } = this.xref.trailers();
    // No trailer where the last `startxref` points: the cross-reference check refuses the file.
    if (last === undefined) return this.facts.encrypted ? { state: 'locked', reason: 'no trailer' } : { state: 'none' };
    const named = entry(last, 'Encrypt');
    const same = (value: PdfValue | undefined) =>
      value === named ||
      (value?.kind === 'ref' && named?.kind === 'ref' && value.num === named.num && value.gen === named.gen);
    if (all.some((trailer) => entry(trailer, 'Encrypt') !== undefined && !same(entry(trailer, 'Encrypt')))) {
      this.stop('trailers that name different encryption dictionaries');
      return { state: 'none' };
    }
    if (named === undefined)
      return this.facts.encrypted ? { state: 'locked', reason: '/Encrypt outside the trailer' } : { state: 'none' };
    let dict: PdfValue | undefined = named;
    if (named.kind === 'ref') {
      const found = (this.encryptCandidates.get(named.num) ?? []).filter(({ gen }) => gen === named.gen);
      if (found.length > 1) {
        this.stop('an encryption dictionary defined more than once');
        return { state: 'none' };
      }
      dict = found[0]?.value;
    }
    if (dict?.kind !== 'dict') return { state: 'locked', reason: 'an encryption dictionary the scan did not find' };
    const ids = entry(last, 'ID');
    const first = ids?.kind === 'array' ? ids.items[0] : undefined;
    const id = first?.kind === 'string' ? stringBytes(first.raw, first.hex) : Buffer.alloc(0);
    const opening = openEncryption(dict, id);
    if ('crypt' in opening) return { state: 'open', crypt: opening.crypt };
    if ('locked' in opening) return { state: 'locked', reason: opening.locked };
    this.stop(opening.unreadable);
    return { state: 'none' };
  }

  private stop(reason: string): void {
    this.unreadable ??= reason;
    this.mode = 'stopped';
    this.stream = undefined;
  }

  // ── syntax ────────────────────────────────────────────────────────────────────────────────

  private onSyntax(chunk: Buffer, pos: number, at: number): number {
    const found = chunk.indexOf(STREAM, pos);
    const upto = found === -1 ? chunk.length : Math.min(chunk.length, found + STREAM.length + LOOKAHEAD);
    if (this.syntaxLength === 0) this.syntaxStart = at + pos;
    if (!this.append(chunk, pos, upto)) return chunk.length;
    const dataAt = this.seekStream(false);
    if (dataAt === -1) return upto;
    // The bytes gathered past the data's start are stream data: hand them back.
    const back = this.syntaxLength - dataAt;
    const extra = Buffer.from(this.syntax.subarray(dataAt, this.syntaxLength));
    const dataStart = this.syntaxStart + dataAt;
    this.syntaxLength = dataAt;
    this.beginStream(dataStart);
    const fromChunk = Math.min(back, upto - pos);
    if (back > fromChunk) {
      // Some came from an earlier chunk: feed those first (they are few, at most LOOKAHEAD).
      this.push(extra.subarray(0, back - fromChunk), dataStart);
    }
    return upto - fromChunk;
  }

  private append(chunk: Buffer, from: number, to: number): boolean {
    const n = to - from;
    if (this.syntaxLength + n > this.limits.maxSyntaxBytes) {
      this.stop(`more than ${this.limits.maxSyntaxBytes / MiB} MiB of syntax between two streams`);
      return false;
    }
    if (this.syntaxLength + n > this.syntax.length) {
      const grown = Buffer.alloc(Math.max(this.syntax.length * 2, this.syntaxLength + n));
      this.syntax.copy(grown, 0, 0, this.syntaxLength);
      this.syntax = grown;
    }
    chunk.copy(this.syntax, this.syntaxLength, from, to);
    this.syntaxLength += n;
    return true;
  }

  /**
   * The index in `syntax` where the first stream's data starts, or -1. A `stream` keyword counts
   * when it is a whole word, not `endstream`, follows a dictionary's `>>` (whitespace and
   * comments between) and is followed by an end of line; readers accept spaces before it.
   */
  private seekStream(atEnd: boolean): number {
    const s = this.syntax;
    const length = this.syntaxLength;
    for (let k = s.indexOf(STREAM, Math.max(0, this.sought - STREAM.length)); k !== -1 && k < length;) {
      let after = k + STREAM.length;
      while (after < length && (s[after] === SPACE || s[after] === TAB)) after++;
      // A CR ends the line alone or with the LF after it: wait for that byte too, or a chunk
      // ending between `stream\r` and `\n` (poppler writes CR LF) starts the data at the LF.
      if ((after >= length || (s[after] === CR && after + 1 >= length)) && !atEnd) {
        this.sought = k;
        return -1; // wait for the bytes after it
      }
      const isWord = (k === 0 || !isRegular(s[k - 1] as number)) && (after >= length || !isRegular(s[k + 6] as number));
      const isEnd = k >= 3 && s.toString('latin1', k - 3, k) === 'end';
      if (isWord && !isEnd && afterDictionary(s, k)) {
        this.keywordAt = k;
        this.tabAfterKeyword = s.subarray(k + STREAM.length, after).includes(TAB);
        if (s[after] === CR) return s[after + 1] === LF ? after + 2 : after + 1;
        if (s[after] === LF) return after + 1;
      }
      k = s.indexOf(STREAM, k + 1);
      if (k >= length) break;
    }
    this.sought = length;
    return -1;
  }

  /**
   * Reads the syntax gathered up to `end` (exclusive); the object last met, if any. When a
   * stream's data starts at `end`, its `stream` keyword must be the one that follows that
   * object's value, as a reader reads it (./objects.ts): one inside a string, a comment or
   * another value is no stream to a reader, and what the scan would skip as its data the reader
   * reads as syntax. Such a file is refused.
   */
  private readSyntax(end: number, keywordAt?: number): PdfObject | undefined {
    const text = this.syntax.toString('latin1', 0, end);
    this.facts.scanNames(text);
    for (const trailer of this.xref.readText(text, this.syntaxStart)) this.facts.addTrailer(trailer);
    const stretch = readStretch(text);
    this.first ??= stretch.objects[0]?.value;
    for (const object of stretch.objects) {
      const at = this.syntaxStart + object.at;
      const stream = object === stretch.objects.at(-1) && stretch.streamAt !== undefined;
      this.xref.addHeader(at, object.num, object.gen, leadingSpace(text, object.at), object.value, stream);
      this.facts.addObject(object.num, object.value, at, object.gen);
      if (!stream) this.keepEncryptCandidate(object.num, object.gen, object.value);
      if (object.integer && object.value.kind === 'number') this.xref.addInteger(object.num, object.value.value);
    }
    this.syntaxLength = 0;
    this.sought = 0;
    if (stretch.malformed) this.stop(stretch.malformed);
    else if (keywordAt !== undefined && stretch.streamAt !== keywordAt) this.stop('a stream keyword outside an object');
    else if (keywordAt === undefined && stretch.streamAt !== undefined)
      this.stop('a stream keyword without an end of line');
    return stretch.objects.at(-1);
  }

  /** A dictionary that may be the file's encryption dictionary (a /Filter and an /O, /U, /V or /R), kept until the trailer names one. */
  private keepEncryptCandidate(num: number, gen: number, value: PdfValue): void {
    if (value.kind !== 'dict' || !value.entries.has('Filter')) return;
    const entries = value.entries;
    if (!(entries.has('O') || entries.has('U') || entries.has('V') || entries.has('R'))) return;
    if (++this.candidates > MAX_ENCRYPT_CANDIDATES) return;
    const list = this.encryptCandidates.get(num);
    if (list) list.push({ gen, value });
    else this.encryptCandidates.set(num, [{ gen, value }]);
  }

  // ── streams ───────────────────────────────────────────────────────────────────────────────

  private beginStream(dataStart: number): void {
    const header = this.readSyntax(this.syntaxLength, this.keywordAt);
    if (this.mode === 'stopped' || !header) return;
    const dict = header.value;
    const twice = writtenTwice(dict, STREAM_KEYS);
    if (twice !== undefined) {
      this.stop(`a stream dictionary with /${twice} written twice`);
      return;
    }
    // PDFium reads a stream's dictionary strictly when it rebuilds the file: a value it cannot
    // read (a keyword that is none, a stray delimiter, a key with no value, a number with an
    // exponent, which pdf.js reads as one and PDFium as a keyword) fails the object, and
    // it goes on reading the bytes after that line, the stream's data, as objects (round 14).
    const values = dict.kind === 'dict' ? [...dict.entries.values(), ...(dict.shadowed ?? []).map(([, v]) => v)] : [];
    if (values.some((value) => 'stray' in value && value.stray)) {
      this.stop('a stream dictionary with a value PDFium cannot read');
      return;
    }
    const type = nameOf(entry(dict, 'Type'));
    const xrefStream = type === 'XRef';
    // A reader takes any stream with a /First for an object stream, whatever its /Type; /N alone is
    // an ICC profile's (its number of components), which no reader can read objects from.
    const objectStream = !xrefStream && (type === 'ObjStm' || entry(dict, 'First') !== undefined);
    const length = entry(dict, 'Length');
    const direct = numberOf(length);
    const lengthRef = length?.kind === 'ref' ? length.num : undefined;
    this.stream = {
      dict,
      num: header.num,
      gen: header.gen,
      headerAt: this.syntaxStart + header.at,
      dataStart,
      remaining: direct !== undefined && Number.isInteger(direct) && direct >= 0 ? direct : -1,
      lengthRef,
      kept: objectStream || xrefStream ? [] : undefined,
      keptBytes: 0,
      objectStream,
      xrefStream,
    };
    // MuPDF skips only spaces after `stream`: at a tab it starts the data, a byte before the
    // end of line where pdf.js and PDFium start it. An object stream read from one byte earlier
    // places each object a byte earlier (`9 0 R` where the scan read ` 0 R`, the number 0).
    if ((objectStream || xrefStream) && this.tabAfterKeyword) {
      this.stop('an object stream whose data readers start at different bytes (a tab after stream)');
      return;
    }
    if (objectStream) this.xref.addObjectStream(header.num, this.syntaxStart + header.at);
    if (xrefStream) this.xrefStreamHeaders.add(`${header.num} ${header.gen}`);
    this.xref.addStream(dataStart);
    // A stream whose data is another file (PDF 2.0 § 7.3.8.2): a reader fetches it, wherever it is.
    if (entry(dict, 'F') !== undefined) this.facts.externalStream();
    this.seam = Buffer.alloc(0);
    if (this.stream.remaining >= 0) {
      this.mode = 'data';
      if (this.stream.remaining === 0) this.beginEndCheck();
    } else {
      this.mode = 'untilEnd';
    }
  }

  private keep(stream: OpenStream, piece: Buffer): void {
    if (!stream.kept) return;
    stream.keptBytes += piece.length;
    if (stream.keptBytes > this.limits.maxKeptBytes) {
      this.stop(`an object stream over ${this.limits.maxKeptBytes / MiB} MiB`);
      return;
    }
    stream.kept.push(Buffer.from(piece));
  }

  private onData(chunk: Buffer, pos: number): number {
    const stream = this.stream as OpenStream;
    const n = Math.min(stream.remaining, chunk.length - pos);
    this.keep(stream, chunk.subarray(pos, pos + n));
    stream.remaining -= n;
    if (stream.remaining === 0 && this.mode === 'data') this.beginEndCheck();
    return pos + n;
  }

  private beginEndCheck(): void {
    this.mode = 'end';
    this.after = Buffer.alloc(0);
  }

  /** After data of a direct /Length: optional whitespace, then `endstream`, or the file is refused. */
  private onEnd(chunk: Buffer, pos: number, at: number): number {
    const take = Math.min(chunk.length - pos, 32 - this.after.length);
    this.after = Buffer.concat([this.after, chunk.subarray(pos, pos + take)]);
    this.afterAt = at + pos + take - this.after.length;
    const used = this.checkEnd(false, this.afterAt);
    if (used === undefined) return pos + take;
    // Bytes gathered past `endstream` are syntax again.
    return pos + take - (this.after.length - used);
  }

  /** How many of the gathered bytes end the stream (whitespace + `endstream`), once decidable. */
  private checkEnd(atEnd: boolean, afterAt: number): number | undefined {
    const bytes = this.after;
    let ws = 0;
    while (ws < bytes.length && (bytes[ws] === CR || bytes[ws] === LF || bytes[ws] === SPACE || bytes[ws] === TAB))
      ws++;
    if (bytes.length - ws < ENDSTREAM.length && bytes.length < 32 && !atEnd) return undefined;
    if (!bytes.subarray(ws, ws + ENDSTREAM.length).equals(ENDSTREAM)) {
      this.stop('a stream whose /Length does not end at endstream');
      return bytes.length;
    }
    const used = ws + ENDSTREAM.length;
    this.endStream(undefined);
    this.syntaxStart = afterAt + used;
    // Bytes gathered past `endstream` when the file ends here are syntax still to read.
    if (atEnd && used < bytes.length) this.append(bytes, used, bytes.length);
    return used;
  }

  /** Data up to `endstream` (an indirect /Length, checked once the file is read). */
  private untilEnd(chunk: Buffer, pos: number, at: number): number {
    const stream = this.stream as OpenStream;
    if (this.seam.length > 0) {
      const window = Buffer.concat([this.seam, chunk.subarray(pos, pos + ENDSTREAM.length)]);
      const hit = window.indexOf(ENDSTREAM);
      if (hit !== -1 && hit < this.seam.length) {
        // The data ended inside what was already kept.
        const cut = this.seam.length - hit;
        this.seam = Buffer.alloc(0);
        return this.endAtKeyword(stream, at + pos - cut, pos + ENDSTREAM.length - cut);
      }
    }
    const hit = indexOfEndstream(chunk, pos);
    if (this.endobjInData(chunk, pos, hit === -1 ? chunk.length : hit)) {
      this.stop('a stream without a direct /Length whose data holds endobj');
      return chunk.length;
    }
    if (hit === -1) {
      this.keep(stream, chunk.subarray(pos));
      // The last bytes seen (of this chunk, or with earlier ones when it is tiny), copied.
      const rest = chunk.length - pos;
      this.seam =
        rest >= ENDSTREAM.length - 1
          ? Buffer.from(chunk.subarray(chunk.length - ENDSTREAM.length + 1))
          : Buffer.concat([this.seam, chunk.subarray(pos)]).subarray(-(ENDSTREAM.length - 1));
      return chunk.length;
    }
    this.keep(stream, chunk.subarray(pos, hit));
    this.seam = Buffer.alloc(0);
    return this.endAtKeyword(stream, at + hit, hit + ENDSTREAM.length);
  }

  /**
   * Whether the data in `chunk` from `from` to `to` (with the seam before it) holds `endobj` as a
   * word, between whitespace (a byte not yet seen counts as whitespace). PDFium, when it has no
   * length it can resolve (none written, or an indirect one while it rebuilds the file: the
   * references are not resolved then), ends a stream's data at the first `endstream` or `endobj`,
   * and rebuilding reads what follows as objects: a catalog hidden there after an `endobj` is the
   * file's to it (round 14). The scan ends the data at `endstream` only.
   */
  private endobjInData(chunk: Buffer, from: number, to: number): boolean {
    const seam = this.seam;
    if (seam.length > 0) {
      // An `endobj` across the seam: it starts in the seam and ends in this chunk.
      const window = Buffer.concat([seam, chunk.subarray(from, Math.min(to, from + ENDOBJ.length))]);
      for (let i = window.indexOf(ENDOBJ); i !== -1 && i < seam.length; i = window.indexOf(ENDOBJ, i + 1))
        if (i + ENDOBJ.length > seam.length && wordAt(window, i)) return true;
    }
    for (let i = chunk.indexOf(ENDOBJ, from); i !== -1 && i < to; i = chunk.indexOf(ENDOBJ, i + 1)) {
      const before = i > from ? chunk[i - 1] : seam[seam.length - 1];
      if (spaced(before) && spaced(chunk[i + ENDOBJ.length])) return true;
    }
    return false;
  }

  /** `endstream` found at stream position `keywordAt` (what was kept past it is cut off). */
  private endAtKeyword(stream: OpenStream, keywordAt: number, resume: number): number {
    if (this.mode === 'stopped') return resume;
    const found = keywordAt - stream.dataStart;
    if (stream.lengthRef !== undefined) this.xref.checkLength(stream.lengthRef, found);
    this.endStream(found);
    return resume;
  }

  /** The stream's data is complete (`length`: its size when found by `endstream`). */
  private endStream(length: number | undefined): void {
    const stream = this.stream as OpenStream;
    this.stream = undefined;
    this.mode = 'syntax';
    this.syntaxLength = 0;
    this.sought = 0;
    if (!stream.kept) return;
    let data: Buffer = Buffer.concat(stream.kept);
    if (length !== undefined) data = withoutEol(data.subarray(0, length));
    if (!stream.xrefStream) {
      this.endObjectStream(stream, data);
      return;
    }
    // A cross-reference stream is never encrypted (ISO 32000-1 § 7.5.8.2).
    let decoded: Buffer;
    try {
      decoded = decodeStream(data, stream.dict, this.decodedBudget);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.stop(`cross-reference stream: ${error.message}`);
      return;
    }
    this.decodedBudget -= decoded.length;
    const reason = this.xref.readStream(stream.headerAt, stream.dict, decoded);
    if (reason) this.stop(reason);
  }

  /**
   * An object stream's data: read as it is when it reads whole, else kept (perhaps encrypted,
   * with a key the trailer at the end gives) until the end of the file.
   */
  private endObjectStream(stream: OpenStream, data: Buffer): void {
    const read = this.readPacked(data, stream.dict);
    if (typeof read !== 'string') {
      if (hasCryptFilter(stream.dict)) this.ownCryptStreams++;
      else this.plainStreams++;
      this.commitPacked(read, stream.num);
      return;
    }
    this.sealedBytes += data.length;
    if (this.sealedBytes > this.limits.maxSealedBytes) {
      this.sealedOver = true;
      this.sealedStreams.length = 0;
    }
    if (!this.sealedOver)
      this.sealedStreams.push({ data, dict: stream.dict, num: stream.num, gen: stream.gen, reason: read });
  }

  /** An object stream's data decoded and its objects read, or why they cannot be (nothing is recorded). */
  private readPacked(data: Buffer, dict: PdfValue): PackedObjects | string {
    let decoded: Buffer;
    try {
      decoded = decodeStream(data, dict, this.decodedBudget);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      return `object stream: ${error.message}`;
    }
    const read = parseObjectStream(decoded.toString('latin1'), dict);
    if (typeof read !== 'string') this.decodedBudget -= decoded.length;
    return read;
  }

  /** An object stream's objects, read: their names, their values, their numbers for the cross-reference check. */
  private commitPacked(read: PackedObjects, streamNum: number | undefined): void {
    this.facts.scanNames(read.text);
    if (streamNum !== undefined)
      this.xref.addObjectStreamNumbers(
        streamNum,
        read.pairs.map(([n]) => n),
      );
    read.pairs.forEach(([num], i) => {
      const value = read.values[i] as PdfValue;
      this.facts.addObject(num, value);
      this.xref.catalogs.addPacked(num, value);
      if (value.kind === 'number') this.xref.addInteger(num, value.value);
    });
  }
}

/** Whether a stream names a /Crypt filter of its own: then the file's stream filter does not apply to it (§ 7.6.5). */
function hasCryptFilter(dict: PdfValue): boolean {
  const filter = entry(dict, 'Filter') ?? entry(dict, 'F');
  const filters = filter?.kind === 'array' ? filter.items : [filter];
  return filters.some((f) => nameOf(f) === 'Crypt');
}

/**
 * An object stream: `N` pairs of (object number, offset), then the objects from /First. /N and
 * /First must be direct integers and every pair must read, every object well-formed: a reader
 * resolves an indirect /N, and an object stream that does not read as one was decoded otherwise
 * than a reader decodes it. Its objects, or why they do not read.
 */
function parseObjectStream(text: string, dict: PdfValue): PackedObjects | string {
  const count = numberOf(entry(dict, 'N'));
  const first = numberOf(entry(dict, 'First'));
  if (count === undefined || first === undefined || !Number.isInteger(count) || !Number.isInteger(first))
    return 'an object stream without direct /N and /First';
  const header = new Syntax(text);
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const num = header.parse();
    const offset = header.parse();
    if (num.kind !== 'number' || offset.kind !== 'number' || header.pos > first)
      return 'an object stream whose header does not read';
    pairs.push([num.value, offset.value]);
  }
  const values: PdfValue[] = [];
  for (const [num, offset] of pairs) {
    // An object past the data the scan decoded is one a reader decoding more would read (pdf.js
    // decodes a predictor's last row cut short, which the scan once dropped): unreadable.
    if (!Number.isInteger(offset) || offset < 0 || first + offset >= text.length)
      return `object ${num} in an object stream lies past its data`;
    const body = new Syntax(text, first + offset);
    const value = body.parse();
    if (body.malformed) return `object ${num} in an object stream: ${body.malformed}`;
    values.push(value);
  }
  return { text, pairs, values };
}

/** How many whitespace characters (up to SLACK, all the cross-reference check looks at) come right before index `at` of `text`. */
function leadingSpace(text: string, at: number): number {
  let n = 0;
  while (n < SLACK && at - n > 0 && WHITESPACE.has(text.charCodeAt(at - n - 1))) n++;
  return n;
}

/** `>>` before index `k`, with only whitespace and comments between. */
function afterDictionary(s: Buffer, k: number): boolean {
  let i = k - 1;
  for (let guard = 0; guard < 64; guard++) {
    while (i >= 0 && (s[i] === SPACE || s[i] === TAB || s[i] === CR || s[i] === LF || s[i] === 0x0c || s[i] === 0)) i--;
    if (i >= 1 && s[i] === 0x3e && s[i - 1] === 0x3e) return true;
    // A comment line: step back to before its `%`, if this line has one.
    let lineStart = i;
    while (lineStart > 0 && s[lineStart - 1] !== CR && s[lineStart - 1] !== LF) lineStart--;
    const percent = s.indexOf(0x25, lineStart);
    if (percent === -1 || percent > i) return false;
    i = percent - 1;
  }
  return false;
}

/** Whether `bytes` holds `endobj` at `i` between whitespace (a byte outside it counts as whitespace). */
function wordAt(bytes: Buffer, i: number): boolean {
  return spaced(bytes[i - 1]) && spaced(bytes[i + ENDOBJ.length]);
}

/** Whether a byte beside a word leaves it a word: whitespace, or a byte not seen (undefined). */
const spaced = (byte: number | undefined) => byte === undefined || WHITESPACE.has(byte);

/** `endstream` from `from`; searched as `dstream` (a needle short enough for the fast search). */
function indexOfEndstream(chunk: Buffer, from: number): number {
  for (let i = chunk.indexOf('dstream', from + 2, 'latin1'); i !== -1; i = chunk.indexOf('dstream', i + 1, 'latin1')) {
    if (chunk[i - 2] === 0x65 && chunk[i - 1] === 0x6e) return i - 2;
  }
  return -1;
}

/** Data found by `endstream` ends with the end of line before it, which is not data. */
function withoutEol(data: Buffer): Buffer {
  let end = data.length;
  if (end > 0 && data[end - 1] === LF) end--;
  if (end > 0 && data[end - 1] === CR) end--;
  return data.subarray(0, end);
}

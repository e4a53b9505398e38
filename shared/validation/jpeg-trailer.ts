import { TailWindow } from './bytes.ts';
import { reportTrailing, TRAILING_TOLERANCE } from './image.ts';
import type { Report } from './report.ts';

/** A further image the primary's MPF index lists: where it starts in the file, and its size. */
export interface MpImage {
  start: number;
  size: number;
}

/** More than any camera writes (a primary, a gain map or two, a few previews); bounds the work. */
const MAX_MP_IMAGES = 64;
const MP_VERSION = 0xb000;
const MP_NUMBER_OF_IMAGES = 0xb001;
const MP_ENTRY = 0xb002;
const TYPE_LONG = 4;
const TYPE_UNDEFINED = 7;

/**
 * Reads the MP Index IFD of a primary image's APP2 `MPF` segment (CIPA DC-007 §5.2). `mp` is the
 * segment after `MPF\0`: a TIFF header (byte order, 42, offset of the first IFD), then the IFD
 * with MPFVersion "0100", NumberOfImages and the MP Entries, 16 bytes each: attributes, size,
 * offset counted from the MP header (0 for the primary), two dependent-image numbers.
 *
 * `mpAt` is where the MP header is in the file and `primaryEnd` where the primary's EOI ends.
 * The further images must follow the primary one after another with nothing between them, as
 * every writer lays them out: so each byte after EOI belongs to exactly one listed image and
 * nothing can hide in a gap or an overlap. Returns them in file order, or why the index fails.
 */
export function readMpIndex(mp: Buffer, mpAt: number, primaryEnd: number): MpImage[] | string {
  if (mp.length < 8) return 'MPF segment too short';
  const order = mp.toString('latin1', 0, 4);
  const little = order === 'II*\0';
  if (!little && order !== 'MM\0*') return 'MPF segment without a TIFF header';
  const u16 = (at: number) => (little ? mp.readUInt16LE(at) : mp.readUInt16BE(at));
  const u32 = (at: number) => (little ? mp.readUInt32LE(at) : mp.readUInt32BE(at));

  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > mp.length) return 'MP Index IFD outside its segment';
  const count = u16(ifd);
  if (ifd + 2 + 12 * count > mp.length) return 'MP Index IFD outside its segment';
  let version = '';
  let images = -1;
  let entriesAt = -1;
  let entriesLength = -1;
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + 12 * i;
    const tag = u16(at);
    const type = u16(at + 2);
    const n = u32(at + 4);
    if (tag === MP_VERSION && type === TYPE_UNDEFINED && n === 4) version = mp.toString('latin1', at + 8, at + 12);
    else if (tag === MP_NUMBER_OF_IMAGES && type === TYPE_LONG && n === 1) images = u32(at + 8);
    else if (tag === MP_ENTRY && type === TYPE_UNDEFINED) {
      entriesLength = n;
      entriesAt = n > 4 ? u32(at + 8) : at + 8;
    }
  }
  if (version !== '0100') return 'MPF version is not 0100';
  if (images < 1 || images > MAX_MP_IMAGES) return `MPF lists ${images} images`;
  if (entriesLength !== 16 * images) return 'MP Entry does not match NumberOfImages';
  if (entriesAt < 8 || entriesAt + entriesLength > mp.length) return 'MP Entry outside its segment';

  const further: MpImage[] = [];
  for (let i = 0; i < images; i++) {
    const size = u32(entriesAt + 16 * i + 4);
    const offset = u32(entriesAt + 16 * i + 8);
    if (i === 0) {
      // The primary's entry says offset 0; its size locates nothing (the primary is walked by
      // its markers), so a writer that gets it slightly wrong costs nothing.
      if (offset !== 0) return 'the first MP Entry is not the primary image';
      continue;
    }
    if (size === 0 || offset === 0) return `MPF image ${i + 1} has no offset or size`;
    further.push({ start: mpAt + offset, size });
  }
  further.sort((a, b) => a.start - b.start);
  let expected = primaryEnd;
  for (const image of further) {
    if (image.start !== expected) {
      return `an MPF image starts at ${image.start}, not at ${expected} where the bytes before it end`;
    }
    expected += image.size;
  }
  return further;
}

/** The SEFH directory's length sits in 4 bytes before `SEFT`, always under 64 KiB (ExifTool reads it so). */
const SEF_DIRECTORY_MAX = 0xffff;
const SEF_WINDOW = SEF_DIRECTORY_MAX + 8;
/** Samsung's block type for the video of a motion photo ("MotionPhoto_Data"). */
const SEF_MOTION_PHOTO = 0x0a30;
const ISO_BMFF_FTYP = 'ftyp';

/**
 * What follows a JPEG's last image. Nothing, or a few bytes of padding, is fine. Beyond that:
 *
 * - Samsung's trailer (Galaxy phones): data blocks, then a directory, `SEFH`, version, count and
 *   12-byte entries (2 zero bytes, type, distance back from `SEFH` to the block, block size),
 *   then the directory's length and `SEFT` as the file's last 8 bytes. Accepted only when the
 *   directory parses and its blocks cover every byte from the EOI to the directory, exactly
 *   once. Zip readers look at the file's last 64 KiB whatever this says (polyglot.ts).
 * - A motion photo's video (Google's, appended after EOI and declared in the XMP; Samsung's, a
 *   MotionPhoto_Data block of that trailer): refused as IMAGE_MOTION_PHOTO, whose message says
 *   how to take the photo without it. An MP4 runs nothing, but it is a second file in the upload
 *   that reviewers would never see.
 * - Anything else: TRAILING_DATA.
 *
 * Streaming: only the first 8 bytes and the last 64 KiB (allocated once there are any bytes)
 * are kept.
 */
export class JpegTrailer {
  private length = 0;
  private readonly head = Buffer.alloc(8);
  private tail: TailWindow | undefined;

  push(chunk: Buffer): void {
    if (this.length < this.head.length) chunk.copy(this.head, this.length, 0);
    this.length += chunk.length;
    this.tail ??= new TailWindow(SEF_WINDOW);
    this.tail.push(chunk);
  }

  finish(report: Report): void {
    if (this.length <= TRAILING_TOLERANCE || !this.tail) return;
    const samsung = readSamsungDirectory(this.tail.bytes(), this.length);
    if (samsung === 'video' || this.head.toString('latin1', 4, 8) === ISO_BMFF_FTYP) {
      report.add('IMAGE_MOTION_PHOTO', { bytes: this.length });
    } else if (samsung !== 'still') {
      reportTrailing(report, this.length);
    }
  }
}

/**
 * Reads a Samsung trailer's directory from the last bytes of a trailer `length` bytes long:
 * 'still' or 'video' (a motion photo) when it accounts for every byte, undefined otherwise.
 */
function readSamsungDirectory(tail: Buffer, length: number): 'still' | 'video' | undefined {
  if (tail.length < 8 || tail.toString('latin1', tail.length - 4) !== 'SEFT') return undefined;
  const directoryLength = tail.readUInt32LE(tail.length - 8);
  if (directoryLength < 12 || directoryLength > SEF_DIRECTORY_MAX || directoryLength + 8 > tail.length) {
    return undefined;
  }
  const directory = tail.subarray(tail.length - 8 - directoryLength, tail.length - 8);
  if (directory.toString('latin1', 0, 4) !== 'SEFH') return undefined;
  const count = directory.readUInt32LE(8);
  if (count === 0 || directoryLength !== 12 + 12 * count) return undefined;
  /** Where `SEFH` is, counted from the trailer's first byte. */
  const directoryAt = length - 8 - directoryLength;
  const blocks: { start: number; end: number }[] = [];
  let video = false;
  for (let i = 0; i < count; i++) {
    const at = 12 + 12 * i;
    const back = directory.readUInt32LE(at + 4);
    const size = directory.readUInt32LE(at + 8);
    if (directory.readUInt16LE(at) !== 0 || back > directoryAt || size < 8 || size > back) return undefined;
    if (directory.readUInt16LE(at + 2) === SEF_MOTION_PHOTO) video = true;
    blocks.push({ start: directoryAt - back, end: directoryAt - back + size });
  }
  blocks.sort((a, b) => a.start - b.start);
  let expected = 0;
  for (const block of blocks) {
    if (block.start !== expected) return undefined;
    expected = block.end;
  }
  if (expected !== directoryAt) return undefined;
  return video ? 'video' : 'still';
}

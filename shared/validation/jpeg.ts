import { Gather } from './bytes.ts';
import { limitPixels, recordDimensions } from './image.ts';
import { JpegTrailer, readMpIndex, type MpImage } from './jpeg-trailer.ts';
import type { Report } from './report.ts';
import type { Inspector } from './types.ts';

type State = 'marker' | 'code' | 'length' | 'frame' | 'app2' | 'skip' | 'entropy' | 'entropyMarker' | 'done' | 'failed';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;
const APP2 = 0xe2;
const MPF_SIGNATURE = Buffer.from('MPF\0', 'latin1');

const isRestart = (code: number) => code >= 0xd0 && code <= 0xd7;
/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isFrame = (code: number) => code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;

/**
 * Walks one JPEG image, SOI to EOI, marker by marker. Segments are skipped by their length, so
 * a thumbnail's own SOI/EOI inside an EXIF segment is never mistaken for the image's. After SOS
 * the entropy-coded data is searched for 0xFF (native memchr); FF00 is a stuffed byte and
 * FFD0–FFD7 restart markers, anything else ends the scan. The first SOFn gives the dimensions.
 * The first image of a file also keeps its first APP2 `MPF` segment (CIPA DC-007), which says
 * what further images follow its EOI.
 */
class JpegWalker {
  state: State = 'marker';
  reason = '';
  /** The MPF segment's body after `MPF\0`: the MP header, offsets in it counted from its first byte. */
  mpf: Buffer | undefined;
  /** Where that MP header starts, counted from this image's SOI. */
  mpfAt = 0;
  private readonly gather = new Gather();
  private consumed = 0;
  private marker = 0;
  private remaining = 0;
  private afterSkip: State = 'marker';
  private sawStart = false;
  private sawFrame = false;
  private sawScan = false;

  constructor(
    private readonly keepMpf: boolean,
    private readonly onFrame: (width: number, height: number) => void,
  ) {}

  /** Walks `chunk` from `pos` up to `end` or EOI, whichever comes first; returns where it stopped. */
  push(chunk: Buffer, from: number, end: number): number {
    // A view that ends where this image's bytes do, so no search or gather runs past it.
    const view = end === chunk.length ? chunk : chunk.subarray(0, end);
    let pos = from;
    while (pos < end && this.state !== 'failed' && this.state !== 'done') {
      switch (this.state) {
        case 'marker':
          if (chunk[pos++] !== 0xff) this.fail(this.sawStart ? 'expected a marker' : 'no SOI');
          else this.state = 'code';
          break;
        case 'code': {
          const code = chunk[pos++] as number;
          if (code !== 0xff) this.onMarker(code); // 0xFF is fill before a marker
          break;
        }
        case 'length':
          pos = this.gather.take(view, pos);
          if (this.gather.complete) this.onLength(this.gather.bytes.readUInt16BE(0), this.consumed + pos - from);
          break;
        case 'frame':
          pos = this.gather.take(view, pos);
          if (this.gather.complete) this.onFrameHeader(this.gather.bytes);
          break;
        case 'app2':
          pos = this.gather.take(view, pos);
          if (this.gather.complete) this.onApp2(this.gather.bytes);
          break;
        case 'skip': {
          const n = Math.min(this.remaining, end - pos);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = this.afterSkip;
          break;
        }
        case 'entropy': {
          const ff = view.indexOf(0xff, pos);
          pos = ff === -1 ? end : ff + 1;
          if (ff !== -1) this.state = 'entropyMarker';
          break;
        }
        case 'entropyMarker': {
          const code = chunk[pos++] as number;
          if (code === 0x00 || isRestart(code)) this.state = 'entropy';
          else if (code !== 0xff) this.onMarker(code);
          break;
        }
      }
    }
    this.consumed += pos - from;
    return pos;
  }

  private onMarker(code: number): void {
    this.marker = code;
    if (!this.sawStart) {
      if (code !== SOI) {
        this.fail('no SOI');
        return;
      }
      this.sawStart = true;
      this.state = 'marker';
      return;
    }
    if (code === SOI || code === 0x00) {
      this.fail(`unexpected marker 0x${code.toString(16)}`);
      return;
    }
    if (code === EOI) {
      if (!this.sawFrame || !this.sawScan) this.fail('EOI before any image data');
      else this.state = 'done';
      return;
    }
    if (isRestart(code) || code === TEM) {
      this.state = 'marker'; // standalone markers carry no length
      return;
    }
    this.state = 'length';
    this.gather.reset(2);
  }

  /** `bodyAt`: where the segment's body starts, counted from SOI. */
  private onLength(length: number, bodyAt: number): void {
    if (length < 2) {
      this.fail('segment length below 2');
      return;
    }
    const body = length - 2;
    if (isFrame(this.marker) && !this.sawFrame) {
      if (body < 6) {
        this.fail('short frame header');
        return;
      }
      this.remaining = body - 6;
      this.state = 'frame';
      this.gather.reset(6);
      return;
    }
    if (this.marker === APP2 && this.keepMpf && !this.mpf && !this.sawScan && body > MPF_SIGNATURE.length) {
      // Gathered whole (at most 64 KiB, once): an ICC profile's APP2 is read and dropped.
      this.mpfAt = bodyAt + MPF_SIGNATURE.length;
      this.state = 'app2';
      this.gather.reset(body);
      return;
    }
    if (this.marker === SOS) {
      if (!this.sawFrame) {
        this.fail('scan before frame header');
        return;
      }
      this.sawScan = true;
    }
    this.skip(body, this.marker === SOS ? 'entropy' : 'marker');
  }

  private onFrameHeader(header: Buffer): void {
    const height = header.readUInt16BE(1);
    const width = header.readUInt16BE(3);
    // Height 0 defers it to a DNL marker: legal, but no camera or scanner writes it.
    if (width === 0 || height === 0) {
      this.fail('zero width or height');
      return;
    }
    this.sawFrame = true;
    this.onFrame(width, height);
    this.skip(this.remaining, 'marker');
  }

  private onApp2(body: Buffer): void {
    if (body.subarray(0, MPF_SIGNATURE.length).equals(MPF_SIGNATURE)) {
      this.mpf = Buffer.from(body.subarray(MPF_SIGNATURE.length));
    }
    this.state = 'marker';
  }

  private skip(n: number, then: State): void {
    this.afterSkip = then;
    this.remaining = n;
    this.state = n === 0 ? then : 'skip';
  }

  private fail(reason: string): void {
    this.state = 'failed';
    this.reason = reason;
  }
}

/**
 * Walks a JPEG file: the primary image, then what phones write after its EOI, strictly.
 *
 * - Multi-Picture Format (CIPA DC-007): Android's Ultra HDR gain map, Apple's HDR gain map,
 *   cameras' large previews. The primary's MPF index lists every further image's offset and
 *   size; they must follow the primary's EOI one after another, exactly as listed, each walked
 *   as a JPEG of its own (markers, dimensions, the pixel limit) that ends at its EOI, its own
 *   MPF ignored. An index that does not read or fit is set aside, not refused: the bytes after
 *   EOI are then judged as any JPEG's, and a primary whose listed images were stripped is VALID.
 * - Then, as on Galaxy phones, Samsung's trailer, or a motion photo's video (jpeg-trailer.ts).
 *
 * Anything else after the last image is TRAILING_DATA beyond a few bytes of padding.
 */
export class JpegInspector implements Inspector {
  private offset = 0;
  private walker: JpegWalker;
  /** The further images the MPF index lists, in file order, not yet walked. */
  private pending: MpImage[] = [];
  /** The MPF image being walked (1 = the first after the primary), and its bytes not yet walked. */
  private image = 0;
  private left = 0;
  /** Bytes the MP entry counts after the image's EOI (see onOwnTrailer). */
  private ownTrailer = 0;
  private trailer: JpegTrailer | undefined;
  /** Where the primary image's EOI ends in the file, once it has. */
  private primaryEnd = -1;
  private failed = false;

  constructor(
    private readonly report: Report,
    private readonly maxPixels: number,
  ) {
    this.walker = new JpegWalker(true, (width, height) => recordDimensions(report, width, height, maxPixels));
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && !this.failed) {
      if (this.trailer) {
        this.trailer.push(pos === 0 ? chunk : chunk.subarray(pos));
        break;
      }
      const end = this.image === 0 ? chunk.length : Math.min(chunk.length, pos + this.left);
      const next = this.walker.state === 'done' ? end : this.walker.push(chunk, pos, end);
      this.left -= next - pos;
      pos = next;
      if (this.walker.state === 'failed') this.malformed(this.walker.reason);
      else if (this.ownTrailer > 0) this.onOwnTrailer();
      else if (this.walker.state === 'done') this.onImageEnd(this.offset + pos);
      else if (this.image > 0 && this.left === 0) this.malformed('ends before its EOI, at the size its MP entry gives');
    }
    this.offset += chunk.length;
  }

  finish(): void {
    if (this.failed) return;
    if (this.trailer) this.trailer.finish(this.report);
    else if (this.image === 0) this.malformed('truncated before EOI');
    // Nothing after the primary's EOI: the listed images were stripped (see onImageEnd).
    else if (this.offset === this.primaryEnd) return;
    else this.malformed('runs past the end of the file');
  }

  /**
   * Bytes that an MP entry counts after its image's EOI, which no reader of the image looks at:
   * read to the entry's end, so that one reaching past the file is told apart.
   */
  private onOwnTrailer(): void {
    if (this.left > 0) return;
    this.report.add('TRAILING_DATA', { bytes: this.ownTrailer });
    this.failed = true;
  }

  /** `at`: the stream offset just after the EOI. */
  private onImageEnd(at: number): void {
    if (this.image > 0 && this.left > 0) {
      this.ownTrailer = this.left;
      return;
    }
    if (this.image === 0) {
      this.primaryEnd = at;
      // An index that does not read, or whose images are not all there, is no reason to refuse
      // the primary: editors and messengers strip the images after EOI and keep the APP2 segment.
      // What follows EOI is then judged as in any JPEG (the trailer below).
      const index = this.walker.mpf ? readMpIndex(this.walker.mpf, this.walker.mpfAt, at) : [];
      this.pending = typeof index === 'string' ? [] : index;
    }
    const next = this.pending.shift();
    if (!next) {
      this.trailer = new JpegTrailer();
      return;
    }
    this.image += 1;
    this.left = next.size;
    this.walker = new JpegWalker(false, (width, height) => limitPixels(this.report, width, height, this.maxPixels));
  }

  private malformed(reason: string): void {
    this.failed = true;
    const where = this.image === 0 ? '' : `MPF image ${this.image + 1}: `;
    this.report.add('IMAGE_MALFORMED', { format: 'jpeg', reason: where + reason });
  }
}

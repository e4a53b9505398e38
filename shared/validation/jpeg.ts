import { Gather } from './bytes.ts';
import { recordDimensions, reportTrailing } from './image.ts';
import type { Report } from './report.ts';
import type { Inspector } from './types.ts';

type State = 'marker' | 'code' | 'length' | 'frame' | 'skip' | 'entropy' | 'entropyMarker' | 'trailer' | 'failed';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;

const isRestart = (code: number) => code >= 0xd0 && code <= 0xd7;
/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
const isFrame = (code: number) => code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;

/**
 * Walks a JPEG marker by marker. Segments are skipped by their length, so a thumbnail's own
 * SOI/EOI inside an EXIF segment is never mistaken for the image's. After SOS the entropy-coded
 * data is searched for 0xFF (native memchr); FF00 is a stuffed byte and FFD0–FFD7 restart
 * markers, anything else ends the scan. The first SOFn gives the dimensions; the image ends at
 * EOI and at most a few bytes may follow.
 */
export class JpegInspector implements Inspector {
  private state: State = 'marker';
  private readonly gather = new Gather();
  private marker = 0;
  private remaining = 0;
  private afterSkip: State = 'marker';
  private sawStart = false;
  private sawFrame = false;
  private sawScan = false;
  private trailing = 0;

  constructor(
    private readonly report: Report,
    private readonly maxPixels: number,
  ) {}

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && this.state !== 'failed') {
      switch (this.state) {
        case 'marker':
          if (chunk[pos++] !== 0xff) this.fail('expected a marker');
          else this.state = 'code';
          break;
        case 'code': {
          const code = chunk[pos++] as number;
          if (code !== 0xff) this.onMarker(code); // 0xFF is fill before a marker
          break;
        }
        case 'length':
          pos = this.gather.take(chunk, pos);
          if (this.gather.complete) this.onLength(this.gather.bytes.readUInt16BE(0));
          break;
        case 'frame':
          pos = this.gather.take(chunk, pos);
          if (this.gather.complete) this.onFrame(this.gather.bytes);
          break;
        case 'skip': {
          const n = Math.min(this.remaining, chunk.length - pos);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = this.afterSkip;
          break;
        }
        case 'entropy': {
          const ff = chunk.indexOf(0xff, pos);
          pos = ff === -1 ? chunk.length : ff + 1;
          if (ff !== -1) this.state = 'entropyMarker';
          break;
        }
        case 'entropyMarker': {
          const code = chunk[pos++] as number;
          if (code === 0x00 || isRestart(code)) this.state = 'entropy';
          else if (code !== 0xff) this.onMarker(code);
          break;
        }
        case 'trailer':
          this.trailing += chunk.length - pos;
          pos = chunk.length;
          break;
      }
    }
  }

  finish(): void {
    if (this.state === 'trailer') reportTrailing(this.report, this.trailing);
    else if (this.state !== 'failed') this.fail('truncated before EOI');
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
      if (!this.sawFrame || !this.sawScan) {
        this.fail('EOI before any image data');
        return;
      }
      this.state = 'trailer';
      return;
    }
    if (isRestart(code) || code === TEM) {
      this.state = 'marker'; // standalone markers carry no length
      return;
    }
    this.state = 'length';
    this.gather.reset(2);
  }

  private onLength(length: number): void {
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
    if (this.marker === SOS) {
      if (!this.sawFrame) {
        this.fail('scan before frame header');
        return;
      }
      this.sawScan = true;
    }
    this.skip(body, this.marker === SOS ? 'entropy' : 'marker');
  }

  private onFrame(header: Buffer): void {
    const height = header.readUInt16BE(1);
    const width = header.readUInt16BE(3);
    // Height 0 defers it to a DNL marker: legal, but no camera or scanner writes it.
    if (width === 0 || height === 0) {
      this.fail('zero width or height');
      return;
    }
    this.sawFrame = true;
    recordDimensions(this.report, width, height, this.maxPixels);
    this.skip(this.remaining, 'marker');
  }

  private skip(n: number, then: State): void {
    this.afterSkip = then;
    this.remaining = n;
    this.state = n === 0 ? then : 'skip';
  }

  private fail(reason: string): void {
    this.state = 'failed';
    this.report.add('IMAGE_MALFORMED', { format: 'jpeg', reason });
  }
}

import { crc32 } from 'node:zlib';
import { Gather } from './bytes.ts';
import { recordDimensions, reportTrailing } from './image.ts';
import type { Report } from './report.ts';
import type { Inspector } from './types.ts';

type State = 'signature' | 'header' | 'ihdr' | 'data' | 'crc' | 'trailer' | 'failed';

const MAX_CHUNK_LENGTH = 0x7fffffff;
const CHUNK_TYPE = /^[A-Za-z]{4}$/;

/**
 * Walks a PNG chunk by chunk: length, type, data, CRC. Chunk data is only run through the
 * (native) CRC, never kept. IHDR must come first and gives the dimensions, so a pixel flood is
 * refused from 33 bytes without decoding anything; at least one IDAT must precede IEND, and
 * at most a few bytes may follow IEND.
 */
export class PngInspector implements Inspector {
  private state: State = 'signature';
  private readonly gather = new Gather();
  private offset = 0;
  private type = '';
  private remaining = 0;
  private crc = 0;
  private chunks = 0;
  private sawImageData = false;
  private trailing = 0;

  constructor(
    private readonly report: Report,
    private readonly maxPixels: number,
  ) {
    this.gather.reset(8);
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && this.state !== 'failed') {
      switch (this.state) {
        case 'signature': // already checked by sniffing
          pos = this.gather.take(chunk, pos);
          if (this.gather.complete) this.expectHeader();
          break;
        case 'header':
          pos = this.gather.take(chunk, pos);
          if (this.gather.complete) this.onHeader(this.offset + pos - 8);
          break;
        case 'ihdr':
          pos = this.gather.take(chunk, pos);
          if (this.gather.complete) this.onImageHeader(this.gather.bytes);
          break;
        case 'data': {
          const end = pos + Math.min(this.remaining, chunk.length - pos);
          this.crc = crc32(chunk.subarray(pos, end), this.crc);
          this.remaining -= end - pos;
          pos = end;
          if (this.remaining === 0) this.expectCrc();
          break;
        }
        case 'crc':
          pos = this.gather.take(chunk, pos);
          if (this.gather.complete) this.onCrc(this.gather.bytes.readUInt32BE(0));
          break;
        case 'trailer':
          this.trailing += chunk.length - pos;
          pos = chunk.length;
          break;
      }
    }
    this.offset += chunk.length;
  }

  finish(): void {
    if (this.state === 'trailer') reportTrailing(this.report, this.trailing);
    else if (this.state !== 'failed') this.fail('truncated before IEND');
  }

  private expectHeader(): void {
    this.state = 'header';
    this.gather.reset(8);
  }

  private expectCrc(): void {
    this.state = 'crc';
    this.gather.reset(4);
  }

  private onHeader(at: number): void {
    const header = this.gather.bytes;
    const length = header.readUInt32BE(0);
    this.type = header.toString('latin1', 4, 8);
    if (length > MAX_CHUNK_LENGTH || !CHUNK_TYPE.test(this.type)) {
      this.fail(`bad chunk header at ${at}`);
      return;
    }
    if ((this.chunks++ === 0) !== (this.type === 'IHDR')) {
      this.fail('IHDR is not the first chunk');
      return;
    }
    this.crc = crc32(header.subarray(4, 8));
    if (this.type === 'IHDR') {
      if (length !== 13) {
        this.fail('IHDR has the wrong length');
        return;
      }
      this.state = 'ihdr';
      this.gather.reset(13);
      return;
    }
    if (this.type === 'IDAT') this.sawImageData = true;
    this.remaining = length;
    if (length === 0) this.expectCrc();
    else this.state = 'data';
  }

  private onImageHeader(data: Buffer): void {
    this.crc = crc32(data, this.crc);
    const width = data.readUInt32BE(0);
    const height = data.readUInt32BE(4);
    if (width === 0 || height === 0 || width > MAX_CHUNK_LENGTH || height > MAX_CHUNK_LENGTH) {
      this.fail('impossible dimensions');
      return;
    }
    recordDimensions(this.report, width, height, this.maxPixels);
    this.expectCrc();
  }

  private onCrc(stored: number): void {
    if (stored !== this.crc) {
      this.fail(`CRC mismatch in ${this.type}`);
      return;
    }
    if (this.type !== 'IEND') {
      this.expectHeader();
      return;
    }
    if (!this.sawImageData) {
      this.fail('no IDAT before IEND');
      return;
    }
    this.state = 'trailer';
  }

  private fail(reason: string): void {
    this.state = 'failed';
    this.report.add('IMAGE_MALFORMED', { format: 'png', reason });
  }
}

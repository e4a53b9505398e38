import { StreamScanner } from './bytes.ts';

/**
 * Entries with a data descriptor (flag bit 3, written by Java and most streaming writers) do not
 * say their size up front. They are supported when the descriptor carries its signature, as
 * every mainstream writer's does: the entry ends at the first `PK\7\8` whose compressed-size
 * field equals the bytes since the data began.
 */

const DESCRIPTOR = Buffer.from('PK\x07\x08', 'latin1');
/** Signature, CRC, compressed size, size. */
const DESCRIPTOR_LENGTH = 16;
/** Bytes held back while looking for a descriptor: one that starts there is not confirmed yet. */
const HOLD = DESCRIPTOR_LENGTH - 1;
const EMPTY = Buffer.alloc(0);

/** What a data descriptor says of its entry. */
export interface Descriptor {
  crc: number;
  compressedSize: number;
  size: number;
}

/** The search for one entry's data descriptor, over the pieces of the stream after its header. */
export class DescriptorSearch {
  private readonly scanner: StreamScanner;
  private found: Descriptor | undefined;
  /** Bytes pushed so far. */
  private seen = 0;
  private held = EMPTY;

  constructor() {
    this.scanner = new StreamScanner(
      DESCRIPTOR,
      (window, i, at) => {
        if (i + DESCRIPTOR_LENGTH > window.length || window.readUInt32LE(i + 8) !== at) return false;
        this.found = { crc: window.readUInt32LE(i + 4), compressedSize: at, size: window.readUInt32LE(i + 12) };
        return true;
      },
      { after: DESCRIPTOR_LENGTH - DESCRIPTOR.length },
    );
  }

  /**
   * Hands `write` the entry data in `piece`. Bytes are handed on only once no descriptor can
   * start among them: the last HOLD bytes wait (copied) for the next piece. Undefined while the
   * descriptor is still sought (all of `piece` taken); once found, the descriptor and how many
   * bytes of `piece` it took, up to the descriptor's end.
   */
  async push(
    piece: Buffer,
    write: (bytes: Buffer) => Promise<void> | undefined,
  ): Promise<{ descriptor: Descriptor; used: number } | undefined> {
    const seenBefore = this.seen;
    const heldFrom = seenBefore - this.held.length;
    this.seen += piece.length;
    this.scanner.push(piece);
    const found = this.found;
    if (!found) {
      if (piece.length >= HOLD) {
        await write(this.held);
        await write(piece.subarray(0, piece.length - HOLD));
        this.held = Buffer.from(piece.subarray(piece.length - HOLD));
      } else {
        const all = Buffer.concat([this.held, piece]);
        const cut = Math.max(0, all.length - HOLD);
        await write(all.subarray(0, cut));
        this.held = all.subarray(cut);
      }
      return undefined;
    }
    const end = found.compressedSize;
    await write(this.held.subarray(0, clamp(end - heldFrom, 0, this.held.length)));
    await write(piece.subarray(0, clamp(end - seenBefore, 0, piece.length)));
    this.held = EMPTY;
    return { descriptor: found, used: end + DESCRIPTOR_LENGTH - seenBefore };
  }
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(n, low), high);
}

import { StreamScanner } from './bytes.ts';

/**
 * Entries with a data descriptor (flag bit 3, written by Java and most streaming writers) do not
 * say their size up front. They are supported when the descriptor carries its signature, as
 * every mainstream writer's does: the entry ends at the first `PK\7\8` whose compressed-size
 * field equals the bytes since the data began.
 *
 * A stored entry (method 0) with a descriptor has no end of its own, so readers that stream local
 * headers each look for one: Apache Commons Compress (which ofdrw reads OFDs with, stored entries
 * with descriptors allowed) ends it at the first local, central or descriptor signature in its
 * data, whatever the sizes say, and reads on from there. A stored entry whose data holds one of
 * those signatures before its descriptor is a different archive to such a reader (a hidden entry
 * after the cut, one the walk never saw): `signatureInStoredData` says so. A deflated entry ends
 * where its deflate stream ends, for every reader.
 */

const DESCRIPTOR = Buffer.from('PK\x07\x08', 'latin1');
/** Signature, CRC, compressed size, size. */
const DESCRIPTOR_LENGTH = 16;
/** Bytes held back while looking for a descriptor: one that starts there is not confirmed yet. */
const HOLD = DESCRIPTOR_LENGTH - 1;
const EMPTY = Buffer.alloc(0);
/** Where a reader that searches a stored entry's data for its end stops: a local, central or descriptor header. */
const STOPS = ['PK\x03\x04', 'PK\x01\x02', 'PK\x07\x08'].map((s) => Buffer.from(s, 'latin1'));
/** Bytes of a piece kept to find a signature across the next piece's start. */
const STOP_CARRY = 3;

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
  /** For a stored entry, the last bytes of its data handed on (STOP_CARRY); undefined for a deflated one. */
  private storedTail: Buffer | undefined;
  /** A stored entry's data held a signature a reader stops at (see the file's comment). */
  signatureInStoredData = false;

  constructor(stored = false) {
    if (stored) this.storedTail = EMPTY;
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
    handOn: (bytes: Buffer) => Promise<void> | undefined,
  ): Promise<{ descriptor: Descriptor; used: number } | undefined> {
    const write = this.storedTail === undefined ? handOn : (bytes: Buffer) => this.storedData(bytes, handOn);
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

  /** A stored entry's data, handed on once searched for a signature a reader would stop at. */
  private storedData(bytes: Buffer, handOn: (bytes: Buffer) => Promise<void> | undefined): Promise<void> | undefined {
    const tail = this.storedTail ?? EMPTY;
    if (bytes.length > 0 && !this.signatureInStoredData) {
      const edge = Buffer.concat([tail, bytes.subarray(0, STOP_CARRY)]);
      this.signatureInStoredData = STOPS.some((stop) => edge.includes(stop) || bytes.includes(stop));
      this.storedTail = Buffer.from(
        bytes.length >= STOP_CARRY ? bytes.subarray(bytes.length - STOP_CARRY) : edge.subarray(-STOP_CARRY),
      );
    }
    return handOn(bytes);
  }
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(n, low), high);
}

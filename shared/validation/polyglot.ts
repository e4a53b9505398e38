import { TailWindow } from './bytes.ts';
import type { Report } from './report.ts';
import type { Family } from './sniff.ts';
import type { Inspector } from './types.ts';

/**
 * Polyglots: files that a second kind of reader also accepts. The rule follows where standard
 * readers look (forensic tools that carve data out of anything are out of scope), so it needs
 * no full-stream search:
 *
 * - Zip readers find an archive from its end record (`PK\5\6`, 22 bytes plus a comment of at
 *   most 65,535), so they only look at the last 65,557 bytes. A non-zip file with a plausible
 *   end record there is a zip too: POLYGLOT. (A PDF or JPEG with an appended zip is the classic
 *   case.) Zip-based files themselves are walked strictly from first to last byte instead.
 * - PDF readers accept `%PDF-` anywhere in the first 1024 bytes, so a JPEG, PNG or zip with
 *   `%PDF-` there is a PDF too: POLYGLOT.
 * - Executables: Windows runs a file only if it starts with `MZ`, which sniffing catches
 *   (TYPE_MISMATCH). An executable merely stored inside a PDF's body is an attachment, not a
 *   polyglot: no loader or unzipper reaches it. (Searching every upload for `MZ` or `PK\3\4`
 *   would also cost a second full pass: throughput 0.88 → 0.75 of bare SHA-256, measured.)
 * - Images also may not carry more than a few bytes after their end marker (TRAILING_DATA,
 *   checked by the image inspectors), which leaves no room for any appended payload. What
 *   phones write after a JPEG's EOI (MPF images, Samsung's trailer) is accepted only as its
 *   index or directory accounts for it (jpeg-trailer.ts); this window is searched whatever they
 *   say, so a zip stored as a "gain map" or a Samsung block is POLYGLOT all the same.
 */

/** 22-byte end record plus the longest comment: how far from the end zip readers search. */
export const ZIP_SEARCH_WINDOW = 22 + 0xffff;
export const PDF_HEADER_REACH = 1024;

const EOCD_SIGNATURE = Buffer.from('PK\x05\x06', 'latin1');
const PDF_SIGNATURE = Buffer.from('%PDF-');

export class PolyglotInspector implements Inspector {
  private readonly tail: TailWindow | undefined;

  constructor(
    private readonly report: Report,
    family: Family,
    head: Buffer,
  ) {
    if (family !== 'pdf') {
      const at = head.subarray(0, PDF_HEADER_REACH).indexOf(PDF_SIGNATURE);
      if (at !== -1) report.add('POLYGLOT', { format: 'pdf', offset: at });
    }
    if (family !== 'zip') this.tail = new TailWindow(ZIP_SEARCH_WINDOW);
  }

  push(chunk: Buffer): void {
    this.tail?.push(chunk);
  }

  finish(): void {
    if (!this.tail) return;
    const window = this.tail.bytes();
    for (let i = window.indexOf(EOCD_SIGNATURE); i !== -1; i = window.indexOf(EOCD_SIGNATURE, i + 1)) {
      if (plausibleEndRecord(window, i)) {
        this.report.add('POLYGLOT', { format: 'zip', fromEnd: window.length - i });
        return;
      }
    }
  }
}

/**
 * A complete single-disk end record, as every working archive has; checking it keeps four
 * random bytes in compressed data from counting as a zip.
 */
function plausibleEndRecord(window: Buffer, i: number): boolean {
  if (i + 22 > window.length) return false;
  const disk = window.readUInt16LE(i + 4);
  const centralDisk = window.readUInt16LE(i + 6);
  const entriesHere = window.readUInt16LE(i + 8);
  const entriesTotal = window.readUInt16LE(i + 10);
  return disk === 0 && centralDisk === 0 && entriesHere === entriesTotal;
}

import { TailWindow } from './bytes.ts';
import { findActiveContent } from './pdf-active.ts';
import type { Report } from './report.ts';
import type { Inspector } from './types.ts';

/** PDF readers look for the `%%EOF` marker in the last 1024 bytes. */
const EOF_WINDOW = 1024;
const EOF_MARKER = Buffer.from('%%EOF');
/** A linearized PDF's first-page trailer sits near the start. */
const HEAD_WINDOW = 64 * 1024;
/**
 * The final trailer, or the cross-reference stream that replaces it, sits near the end: 1 MiB
 * holds an xref stream for a few hundred thousand objects, far more than evidence documents have.
 */
const TRAILER_WINDOW = 1024 * 1024;

/** PDF whitespace and delimiters: what may follow a name such as `/Encrypt`. */
const NAME_END = new Set(Buffer.from('\x00\t\n\f\r ()<>[]{}/%', 'latin1'));
const ENCRYPT = Buffer.from('/Encrypt');

/** True when the name `/Encrypt` (not `/EncryptMetadata`) occurs in `bytes`. */
function namesEncrypt(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(ENCRYPT); at !== -1; at = bytes.indexOf(ENCRYPT, at + 1)) {
    const after = bytes[at + ENCRYPT.length];
    if (after === undefined || NAME_END.has(after)) return true;
  }
  return false;
}

/**
 * A file that starts with `%PDF-` (the orchestrator has checked that):
 * - PDF_TRUNCATED when `%%EOF` is not in the last 1024 bytes (an upload cut short);
 * - PDF_ENCRYPTED when the name `/Encrypt` occurs where an encryption dictionary is referenced:
 *   the trailer at the end (or the cross-reference stream dictionary that replaces it) and the
 *   first-page trailer of a linearized file at the start. Only those two windows are searched,
 *   not the whole file: a full search costs about 12 % of SHA-256's time on this machine and
 *   would put the validator under its throughput goal. The price: an xref stream written more
 *   than 1 MiB before the end (legal, but no mainstream writer does it) is not seen, and such a
 *   file would reach a reviewer who then meets a password prompt; nothing unsafe gets through.
 *   A `#`-escaped spelling (`/Encr#79pt`) is legal but no writer emits it; it is not sought.
 * - PDF_SCRIPT / PDF_ATTACHMENT when those same two windows name JavaScript, a launch action,
 *   rich media, or an attached file (pdf-active.ts: escapes decoded, object streams inflated).
 */
export class PdfInspector implements Inspector {
  private readonly head = Buffer.alloc(HEAD_WINDOW);
  private headLength = 0;
  private readonly tail = new TailWindow(TRAILER_WINDOW);
  private total = 0;

  constructor(private readonly report: Report) {}

  push(chunk: Buffer): void {
    if (this.headLength < HEAD_WINDOW) {
      this.headLength += chunk.copy(this.head, this.headLength, 0, HEAD_WINDOW - this.headLength);
    }
    this.tail.push(chunk);
    this.total += chunk.length;
  }

  finish(): void {
    const tail = this.tail.bytes();
    const head = this.head.subarray(0, this.headLength);
    if (!tail.subarray(-EOF_WINDOW).includes(EOF_MARKER)) this.report.add('PDF_TRUNCATED');
    if (namesEncrypt(head) || namesEncrypt(tail)) {
      this.report.facts.encrypted = true;
      this.report.add('PDF_ENCRYPTED');
    }
    // Scripts and attachments, sought in the same two windows (the whole file up to 1 MiB).
    const whole = this.total <= TRAILER_WINDOW;
    const active = findActiveContent(tail, whole) ?? (whole ? undefined : findActiveContent(head, true));
    if (active?.kind === 'script') this.report.add('PDF_SCRIPT', { feature: `/${active.name}` });
    if (active?.kind === 'attachment') this.report.add('PDF_ATTACHMENT', { feature: `/${active.name}` });
  }
}

import { TailWindow } from './bytes.ts';
import { PdfScan } from './pdf/scan.ts';
import type { Report } from './report.ts';
import type { Inspector } from './types.ts';

/** PDF readers look for the `%%EOF` marker in the last 1024 bytes. */
const EOF_WINDOW = 1024;
const EOF_MARKER = Buffer.from('%%EOF');
/** Link targets named one by one, in warnings and in a refusal; the rest are counted. */
const MAX_NAMED = 5;

/**
 * A file that starts with `%PDF-` (the orchestrator has checked that), read whole by the scan
 * in ./pdf/scan.ts:
 * - PDF_TRUNCATED when `%%EOF` is not in the last 1024 bytes (an upload cut short);
 * - PDF_ENCRYPTED when it is encrypted and the empty user password does not open it (a password
 *   is asked, or its security handler is not the Standard one: ./pdf/crypt.ts), or `/Encrypt`
 *   occurs elsewhere than in its trailer; opened with the empty password (a file only locked
 *   against printing or copying), it is decrypted and inspected as any other;
 * - PDF_SCRIPT, PDF_ATTACHMENT, PDF_ACTION for the active content ./pdf/active.ts names,
 *   wherever it is: plain, in object streams through any standard filter, in incremental
 *   updates, `#`-escaped; and for a link that leads into a Windows share or a local file;
 * - an EXTERNAL_LINK warning for the other links out of the file (./pdf/links.ts), the first
 *   MAX_NAMED targets each named, and how many more;
 * - PDF_UNREADABLE when its structure cannot be read whole (what cannot be read is not
 *   accepted). A truncated or encrypted file says so instead: that is the reason it cannot be read.
 *
 * Why a scan of our own rather than pdf.js or MuPDF (both measured, see docs/security.md): a
 * reader's parser needs the whole file in memory and parses it after the last byte arrived,
 * which on a 40 MiB scan costs 2–4 times the hashing; this scan runs as the bytes pass, decodes
 * only the streams that can hold objects, and refuses what it cannot read instead of repairing
 * it, so a reader's repair cannot show what the scan did not see.
 */
export class PdfInspector implements Inspector {
  private readonly tail = new TailWindow(EOF_WINDOW);
  private readonly scan = new PdfScan();
  private total = 0;

  constructor(private readonly report: Report) {}

  push(chunk: Buffer): void {
    this.scan.push(chunk, this.total);
    this.tail.push(chunk);
    this.total += chunk.length;
  }

  finish(): void {
    const truncated = !this.tail.bytes().includes(EOF_MARKER);
    if (truncated) this.report.add('PDF_TRUNCATED');
    this.scan.finish();
    const { facts, encryption } = this.scan;
    // Opened with the empty user password, a file is inspected as any other; locked, it is refused.
    const locked = encryption.state === 'locked';
    if (encryption.state !== 'none') this.report.facts.encrypted = true;
    if (locked) this.report.add('PDF_ENCRYPTED');
    const script = facts.found.get('script');
    if (script) this.report.add('PDF_SCRIPT', { feature: `/${script}` });
    const attachment = facts.found.get('attachment');
    if (attachment) this.report.add('PDF_ATTACHMENT', { feature: `/${attachment}` });
    const action = facts.found.get('action');
    const links = facts.links.judge();
    const acting = [...(action ? [`/${action}`] : facts.unaskedActions()), ...named(links.outside)];
    if (acting.length > 0) this.report.add('PDF_ACTION', { feature: acting.join(', ') });
    for (const target of named(links.targets)) this.report.warn('EXTERNAL_LINK', { target });
    const reason = this.scan.unreadable;
    if (reason !== undefined && !truncated && !locked) this.report.add('PDF_UNREADABLE', { reason });
  }
}

/** The first MAX_NAMED of `items`, and `… (+n)` for the rest. */
function named(items: string[]): string[] {
  return items.length > MAX_NAMED ? [...items.slice(0, MAX_NAMED), `… (+${items.length - MAX_NAMED})`] : items;
}

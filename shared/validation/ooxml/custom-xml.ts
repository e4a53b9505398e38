import type { Report } from '../report.ts';
import { PREFIX, partText, rootElementAt } from './xml.ts';

/**
 * A workbook's Power Query queries (`customXml/item1.xml`, a `DataMashup` element holding the
 * queries' package, usually in UTF-16): each query fetches from wherever its M code says (a web
 * address, a share, a database) when refreshed. Excel refreshes them through the workbook's
 * connections, refused wherever they are (./relationships.ts, ./content-types.ts), so a genuine
 * workbook with queries is refused already; the queries alone are refused too (OOXML_EXTERNAL),
 * so that none waits for a connection a later Excel or WPS adds. Only the root element is looked
 * at: it follows the prolog, which ./parts.ts refuses past 64 KiB.
 */

/** The prolog's cap (./parts.ts) and room for the root element's tag after it. */
const HEAD = 64 * 1024 + 1024;
const DATA_MASHUP = new RegExp(`^<${PREFIX}DataMashup[\\s/>]`);

export class CustomXmlCheck {
  private readonly pieces: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly report: Report) {}

  write(out: Buffer): void {
    if (this.bytes >= HEAD) return;
    const piece = out.subarray(0, HEAD - this.bytes);
    this.pieces.push(Buffer.from(piece));
    this.bytes += piece.length;
  }

  end(): void {
    const text = partText(Buffer.concat(this.pieces));
    this.pieces.length = 0;
    const root = rootElementAt(text);
    if (typeof root === 'number' && DATA_MASHUP.test(text.slice(root, root + 64))) {
      this.report.add('OOXML_EXTERNAL', { kind: 'Power Query queries (DataMashup)', target: 'customXml' });
    }
  }
}

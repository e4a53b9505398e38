import type { Report } from '../report.ts';
import { leadsOutOfReviewersHands, targetAsFollowed } from '../link-target.ts';
import { decodeEntities, PREFIX } from './xml.ts';

/**
 * A document's extended properties (`docProps/app.xml`), read whole: its `HyperlinkBase` is the
 * address Word and Excel put before every relative hyperlink, so a base on a share
 * (`\\host\share\`) turns `附件.pdf`, a link shown to reviewers as harmless, into a link into that
 * share, which hands its host the reader's credentials; a base handed to a program (`ms-msdt:`)
 * makes each such link one. Either is refused (OOXML_EXTERNAL), as those links are
 * (./relationships.ts); a web base is left: its links are warned of already. [Content_Types].xml
 * may give the extended-properties type only to `docProps/app.xml`, the part read so.
 */

/** Real extended properties are a few KiB (titles of parts, company, template). */
export const PROPERTIES_CAP = 1024 * 1024;

/** The extended-properties part as compared (./stories.ts `partKey`). */
export const PROPERTIES_PART = 'docprops/app.xml';

export const PROPERTIES_TYPE = /officedocument\.extended-properties\+xml/i;

const HYPERLINK_BASE = new RegExp(`<${PREFIX}HyperlinkBase(?:\\s[^>]*)?>([^<]*)<`, 'g');

/** Judges the extended properties' whole text. */
export function judgeProperties(text: string, report: Report): void {
  for (const [, value = ''] of text.matchAll(HYPERLINK_BASE)) {
    const base = targetAsFollowed(decodeEntities(value)).slice(0, 200);
    if (leadsOutOfReviewersHands(base)) {
      report.add('OOXML_EXTERNAL', { kind: 'hyperlink base', target: base });
      return;
    }
  }
}

import type { Report } from '../report.ts';
import { HyperlinkUses } from './relationships.ts';
import { WorkbookLinks } from './workbook-strings.ts';

/**
 * One zip package's inspection, handed to each of its parts' checks (./parts.ts): the Report
 * they add to, and what one part learns that decides another's verdict: a workbook's links
 * (./workbook-strings.ts), and which hyperlink relationships an element loads unasked
 * (./relationships.ts). Made where the package's walk starts (../zip.ts), it lives and ends
 * with that inspection, so nothing one upload's parts tell reaches another's.
 */
export class PackageInspection {
  readonly workbook: WorkbookLinks;
  readonly hyperlinks: HyperlinkUses;

  constructor(readonly report: Report) {
    this.workbook = new WorkbookLinks(report);
    this.hyperlinks = new HyperlinkUses(report);
  }
}

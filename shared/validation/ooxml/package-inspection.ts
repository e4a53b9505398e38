import type { Report } from '../report.ts';
import { OfdAttachments } from '../ofd/attachments.ts';
import { PartExtensions } from './content-types.ts';
import { CustomPropertyParts } from './custom-properties.ts';
import { HyperlinkUses } from './relationships.ts';
import { WorkbookLinks } from './workbook-strings.ts';

/**
 * One zip package's inspection, handed to each of its parts' checks (./parts.ts): the Report
 * they add to, and what one part learns that decides another's verdict: a workbook's links
 * (./workbook-strings.ts), which hyperlink relationships an element loads unasked
 * (./relationships.ts), which extensions its parts' names have, for the content types'
 * Defaults (./content-types.ts), what types and reaches a worksheet's custom property parts
 * (./custom-properties.ts), and an OFD's attachments and the parts they name
 * (../ofd/attachments.ts). Made where the package's walk starts (../zip.ts), it lives and ends
 * with that inspection, so nothing one upload's parts tell reaches another's.
 */
export class PackageInspection {
  readonly workbook: WorkbookLinks;
  readonly hyperlinks: HyperlinkUses;
  readonly extensions = new PartExtensions();
  readonly customProperties: CustomPropertyParts;
  readonly ofdAttachments: OfdAttachments;

  constructor(readonly report: Report) {
    this.ofdAttachments = new OfdAttachments(report);
    this.workbook = new WorkbookLinks(report);
    this.hyperlinks = new HyperlinkUses(report);
    this.customProperties = new CustomPropertyParts(report);
  }

  /** The package's walk has ended: verdicts that waited for every part are given. */
  finish(): void {
    this.customProperties.finish();
  }
}

import { shownAsUtf8 } from '../ooxml/xml.ts';
import type { Report } from '../report.ts';

/**
 * OFD attachments (an Attachments.xml's `Attachment` entries, GB/T 33190 § 20), judged once the
 * whole package has been walked: the list and the files it names may come in any order.
 *
 * The national electronic invoice carries its structured data as an attachment: an XML file in
 * the package (`original_invoice.xml`, or an XBRL instance `inv_ord_issuer_….xml`), declared as
 * `Format="xml"` or `"xbrl"`. Such an attachment is accepted, with a warning naming it
 * (OFD_ATTACHED_DATA), when it is data and nothing else:
 *
 * - every `FileLoc` it has names, relative to its list's folder or from the package root (a
 *   leading `/`), an XML part of the package that the OFD checks read whole and intact (a `.xml`
 *   entry outside the Office folders): judged as every such part is (no DTD, the prolog, the
 *   encoding, locations and actions), and besides by its own content (a `Format` of `xml` makes
 *   no file data): it starts, after a UTF-8 mark and whitespace, with markup;
 *   it declares UTF-8 or no encoding; it is at most ATTACHED_DATA_CAP; it has no processing
 *   instruction but its XML declaration (a browser opening the file would fetch and run an
 *   `<?xml-stylesheet`; by `<?mso-application progid="Excel.Sheet"?>` Office's XML handler,
 *   Windows' program for `.xml` where Office is installed, opens it in Excel, where an XML
 *   Spreadsheet's formulas call DDE, or in Word or InfoPath: round 18), its root is not `html`,
 *   and it binds none of the namespaces a browser runs (XHTML, SVG, XSLT), where a `script`
 *   element would run;
 * - what the list says it is, as a reader saving it to open names the file (its `Name`, or its
 *   `Name` and `Format` as an extension): every `Format` is `xml` or `xbrl` (one at least), and a
 *   `Name` that has an extension has one of those (round 18). `Format="html"` or `Name="x.hta"`
 *   would have a reader hand the same bytes to a browser or to mshta, which run a `<script>`
 *   element in no namespace; e-invoices write `Name="original_invoice" Format="xml"`;
 * - its location is a plain package path (ASCII letters, digits, `_`, `-`, `.`, `/`; no `..`, no
 *   escapes, no backslash): one that readers could resolve differently is not judged;
 * - any entry that another reader could take it for (the location read from each folder above
 *   the list's, up to the package root) is such data too.
 *
 * Every other attachment is refused, OFD_ATTACHMENT, whatever its `Format` says: a program, a nested
 * OFD, PDF or Office file, a web page, a picture, an entry missing from the package or outside
 * it, and an attachment without a location.
 */

/** Structured invoice data is a few KiB (an XBRL instance with many lines, tens of KiB). */
export const ATTACHED_DATA_CAP = 1024 * 1024;
/** A location every reader resolves alike: a package path, relative or from the root. */
const PLAIN_LOCATION = /^\/?(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/** What an XML part's own content tells (./content.ts), once it was read whole and intact. */
export interface XmlPartFacts {
  bytes: number;
  /** Its first bytes, after a UTF-8 mark and whitespace, are markup (`<?xml `, or an element). */
  markup: boolean;
  /** It declares UTF-8, or no encoding. */
  utf8: boolean;
  /** A processing instruction but the declaration, an `html` root, or a namespace a browser runs. */
  active: boolean;
}

interface Attachment {
  name: string;
  /** The folder of the list naming it (`Doc_0/Attachs/`, or `` at the root). */
  folder: string;
  locations: string[];
  /** What the list says it is: its `Name` and `Format` attributes, under any prefix or none. */
  said: AttachmentSaid;
}

/** An attachment's `Name`s and `Format`s, each attribute under any prefix or none. */
export interface AttachmentSaid {
  names: string[];
  formats: string[];
}

/** The formats structured invoice data is attached as. */
const DATA_FORMAT = /^(?:xml|xbrl)$/i;

export class OfdAttachments {
  private readonly attachments: Attachment[] = [];
  /** Every entry of the package, by its key (lower case, as ../ooxml/stories.ts's partKey). */
  private readonly entries = new Set<string>();
  private readonly xmlParts = new Map<string, XmlPartFacts>();

  constructor(private readonly report: Report) {}

  /** An entry of the package, by its key. */
  entryMet(key: string): void {
    this.entries.add(key);
  }

  /** An XML part (by its key) read whole and intact by the OFD checks, and what it holds. */
  xmlPartRead(key: string, facts: XmlPartFacts): void {
    this.xmlParts.set(key, facts);
  }

  /**
   * An `Attachment` element of the list `part` (its name as stored), named `name` (as shown),
   * with what it `said` it is; its locations follow.
   */
  attachment(part: string, name: string, said: AttachmentSaid): Attachment {
    const slash = part.lastIndexOf('/');
    const attachment: Attachment = { name, folder: part.slice(0, slash + 1), locations: [], said };
    this.attachments.push(attachment);
    return attachment;
  }

  /** The whole package was walked: each attachment is data (a warning) or refused. */
  finish(): void {
    for (const attachment of this.attachments) {
      const name = shownAsUtf8(attachment.name);
      const data =
        saysData(attachment.said) &&
        attachment.locations.length > 0 &&
        attachment.locations.every((loc) => this.isData(attachment.folder, loc));
      if (data) {
        this.report.warn('OFD_ATTACHED_DATA', { name });
      } else {
        this.report.add('OFD_ATTACHMENT', { name });
      }
    }
  }

  private isData(folder: string, location: string): boolean {
    const loc = location.trim();
    if (!PLAIN_LOCATION.test(loc) || loc.split('/').some((segment) => /^\.+$/.test(segment))) return false;
    const path = loc.toLowerCase();
    if (path.startsWith('/')) return this.dataPart(path.slice(1));
    // As ofdrw reads it (from the list's folder: it must be data), and as a reader reading it from
    // a folder above would (any entry there must be data too).
    const folders = folder.toLowerCase().split('/').slice(0, -1);
    for (let depth = folders.length; depth >= 0; depth--) {
      const key = [...folders.slice(0, depth), path].join('/');
      const read = depth === folders.length || this.entries.has(key);
      if (read && !this.dataPart(key)) return false;
    }
    return true;
  }

  private dataPart(key: string): boolean {
    const facts = this.xmlParts.get(key);
    return facts !== undefined && facts.markup && facts.utf8 && !facts.active && facts.bytes <= ATTACHED_DATA_CAP;
  }
}

/** Whether the list says data: every Format xml or xbrl (one at least), every Name's extension, if any, one of those. */
function saysData(said: AttachmentSaid): boolean {
  const extension = (name: string) => {
    const dot = name.trim().lastIndexOf('.');
    return dot === -1 ? undefined : name.trim().slice(dot + 1);
  };
  return (
    said.formats.length > 0 &&
    said.formats.every((format) => DATA_FORMAT.test(format.trim())) &&
    said.names.every((name) => {
      const ext = extension(name);
      return ext === undefined || DATA_FORMAT.test(ext);
    })
  );
}

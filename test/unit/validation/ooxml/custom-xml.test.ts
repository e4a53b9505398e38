import { describe, expect, it } from 'vitest';
import { judgeContentTypes } from '../../../../shared/validation/ooxml/content-types.ts';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { judgeRelationships } from '../../../../shared/validation/ooxml/relationships.ts';
import { Report } from '../../../../shared/validation/report.ts';
import { utf16 } from '../../../fixtures/active-office.ts';

/** Power Query's queries and Power Pivot's data model (shared/validation/ooxml/custom-xml.ts). */

function findings(name: string, bytes: Buffer, piece = 64 * 1024): string[] {
  const report = new Report();
  const check = partCheckFor(name, new PackageInspection(report));
  for (let at = 0; at < bytes.length; at += piece) check.write(bytes.subarray(at, at + piece));
  check.end();
  return report.findings.map((f) => `${f.code} ${String(f.detail?.kind ?? f.detail?.part)}`);
}

const MASHUP = '<DataMashup xmlns="http://schemas.microsoft.com/DataMashup">AAAAAEUDAABQSwMEFAACAAgA</DataMashup>';
const QUERIES = ['OOXML_EXTERNAL Power Query queries (DataMashup)'];

describe('custom XML parts', () => {
  it('refuses Power Query’s queries, in UTF-16 as Excel writes them or UTF-8, in any piece size', () => {
    const declared = `<?xml version="1.0" encoding="utf-16"?>${MASHUP}`;
    for (const piece of [1, 7, 64 * 1024]) {
      expect(findings('customXml/item1.xml', utf16(declared), piece)).toEqual(QUERIES);
      expect(findings('customXml/item2.xml', Buffer.from(`<!-- q -->\n<dm:${MASHUP.slice(1)}`), piece)).toEqual(
        QUERIES,
      );
    }
  });

  it('leaves the custom XML genuine documents carry: bibliography sources, item properties', () => {
    const sources =
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?><b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography" SelectedStyle="\\APASixthEditionOfficeOnline.xsl"/>';
    expect(findings('customXml/item1.xml', Buffer.from(sources))).toEqual([]);
    const props =
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem ds:itemID="{1}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef ds:uri="http://schemas.microsoft.com/DataMashup"/></ds:schemaRefs></ds:datastoreItem>';
    expect(findings('customXml/itemProps1.xml', Buffer.from(props))).toEqual([]);
  });

  it('still refuses a DTD in one', () => {
    expect(findings('customXml/item1.xml', Buffer.from(`<!DOCTYPE x [<!ENTITY a "b">]>${MASHUP}`))).toEqual([
      'OOXML_UNREADABLE customXml/item1.xml <!DOCTYPE>',
    ]);
  });
});

describe('custom XML parts where the check does not read them (round 12)', () => {
  const CUSTOM_XML = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml';
  const judged = (part: string, target: string) => {
    const report = new Report();
    const rels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="${CUSTOM_XML}" Target="${target}"/></Relationships>`;
    judgeRelationships(part, rels, report);
    return report.findings.map((f) => `${f.code} ${String(f.detail?.part)}`);
  };

  it.each([
    ['xl/_rels/workbook.xml.rels', 'customData/item1.xml'],
    ['xl/_rels/workbook.xml.rels', '../customXml/queries/item1.xml'],
    ['xl/_rels/workbook.xml.rels', '../docProps/item1.xml'],
    ['_rels/.rels', 'item1.xml'],
    ['word/_rels/document.xml.rels', '../customXml/../word/item1.xml'],
    ['word/_rels/document.xml.rels', '/xl/item1.xml'],
  ])('refuses one %s points to at %s: a DataMashup there would not be read', (part, target) => {
    expect(judged(part, target)).toEqual([`OOXML_UNREADABLE ${part}: custom XML part ${target}`]);
  });

  it.each([
    ['xl/_rels/workbook.xml.rels', '../customXml/item1.xml'],
    ['word/_rels/document.xml.rels', '../customXml/item2.xml'],
    ['_rels/.rels', 'customXml/item1.xml'],
    ['word/_rels/document.xml.rels', '/customXml/item3.xml'],
    ['word/_rels/document.xml.rels', '..\\customXml\\item1.xml'],
  ])('accepts one %s points to at %s, where Office writes it', (part, target) => {
    expect(judged(part, target)).toEqual([]);
  });
});

describe('Power Pivot’s data model', () => {
  it('is refused by its content type and by its relationship', () => {
    const types = new Report();
    judgeContentTypes(
      '<Types><Override PartName="/xl/model/item.data" ContentType="application/vnd.openxmlformats-officedocument.model+data"/></Types>',
      types,
    );
    expect(types.findings.map((f) => f.detail?.kind)).toEqual(['data model']);
    const rels = new Report();
    judgeRelationships(
      'xl/_rels/workbook.xml.rels',
      '<Relationships><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/powerPivotData" Target="model/item.data"/></Relationships>',
      rels,
    );
    expect(rels.findings.map((f) => f.detail?.kind)).toEqual(['data model']);
  });
});

describe('a pivot cache’s source', () => {
  it('refuses a source named by a path into another workbook, and leaves a sheet’s range', () => {
    const cache = (source: string) =>
      Buffer.from(`<pivotCacheDefinition><cacheSource type="worksheet">${source}</cacheSource></pivotCacheDefinition>`);
    expect(
      findings(
        'xl/pivotCache/pivotCacheDefinition1.xml',
        cache(`<worksheetSource name="'\\\\host\\s\\[b.xlsx]S'!A1:B2"/>`),
      ),
    ).toEqual(['OOXML_EXTERNAL formula reference to another file']);
    expect(
      findings('xl/pivotCache/pivotCacheDefinition1.xml', cache('<worksheetSource ref="A1:B9" sheet="汇总表|2024"/>')),
    ).toEqual([]);
    expect(findings('xl/pivotCache/pivotCacheDefinition1.xml', cache('<worksheetSource name="表1"/>'))).toEqual([]);
  });
});

describe('a drawing’s shapes (round 10)', () => {
  const drawing = (tag: string) =>
    Buffer.from(
      `<xdr:wsDr><xdr:twoCellAnchor>${tag}<xdr:nvSpPr/></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>`,
    );

  it.each([
    [`<xdr:sp macro="'\\\\host\\s\\[宏.xlsm]S'!Auto" textlink="">`, 'OOXML_EXTERNAL formula reference to another file'],
    [`<xdr:pic macro="'https://host/[宏.xlsm]S'!Auto">`, 'OOXML_EXTERNAL formula reference to another file'],
    [`<cdr:graphicFrame macro="cmd|' /c calc'!A0">`, 'OOXML_DDE undefined'],
    [
      `<xdr:cxnSp macro="" textlink="'\\\\host\\s\\[b.xlsx]S'!$A$1">`,
      'OOXML_EXTERNAL formula reference to another file',
    ],
  ])('reads a shape’s macro and linked text as references: %s, in any piece size', (tag, finding) => {
    for (const piece of [3, 64 * 1024]) {
      expect(findings('xl/drawings/drawing1.xml', drawing(tag), piece), String(piece)).toEqual([finding]);
    }
  });

  it('leaves a shape as Excel writes it, and one running the workbook’s own macro', () => {
    expect(findings('xl/drawings/drawing1.xml', drawing('<xdr:sp macro="" textlink="">'))).toEqual([]);
    expect(findings('xl/drawings/drawing1.xml', drawing('<xdr:sp macro="[0]!显示明细" textlink="$A$1">'))).toEqual([]);
    expect(findings('xl/drawings/drawing1.xml', drawing('<xdr:sp macro="Book1.xlsm!Macro1(2)">'))).toEqual([]);
  });
});

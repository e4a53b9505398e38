import { describe, expect, it } from 'vitest';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { Report } from '../../../../shared/validation/report.ts';

/** The extended properties' hyperlink base (shared/validation/ooxml/properties.ts). */

function read(name: string, base: string): Report {
  const report = new Report();
  const check = partCheckFor(name, new PackageInspection(report));
  const text = `<?xml version="1.0" encoding="UTF-8"?><ep:Properties xmlns:ep="urn:x"><ep:Company>某集群</ep:Company><ep:HyperlinkBase>${base}</ep:HyperlinkBase></ep:Properties>`;
  for (let at = 0; at < text.length; at += 5) check.write(Buffer.from(text.slice(at, at + 5)));
  check.end();
  return report;
}

describe('hyperlink base', () => {
  it.each([
    ['\\\\host\\share\\', '\\\\host\\share\\'],
    [' &#92;&#92;host\\share\\', '\\\\host\\share\\'],
    ['file:///C:/docs/', 'file:///C:/docs/'],
    ['ms-msdt:', 'ms-msdt:'],
  ])('refuses a base of %s, whatever the piece size', (base, target) => {
    expect(read('docProps/app.xml', base).findings.map((f) => [f.code, f.detail])).toEqual([
      ['OOXML_EXTERNAL', { kind: 'hyperlink base', target }],
    ]);
  });

  it('leaves a web base, an empty one, and other parts', () => {
    for (const base of ['https://www.miit.gov.cn/', '']) expect(read('docProps/app.xml', base).findings).toEqual([]);
    expect(read('docProps/custom.xml', '\\\\host\\share\\').findings).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { linkReach } from '../../../shared/validation/link-target.ts';
import { judgeRelationships } from '../../../shared/validation/ooxml/relationships.ts';
import { Report } from '../../../shared/validation/report.ts';
import { rel, rels } from '../../fixtures/active-office.ts';

/** What a link reaches (shared/validation/link-target.ts), and what relationships make of it. */

describe('link targets', () => {
  it.each([
    ['\\\\host\\share\\x', 'share-or-local'],
    ['file:///C:/x', 'share-or-local'],
    ['D:\\x.docx', 'share-or-local'],
    ['smb://host/share/x', 'share-or-local'],
    ['NFS://host/export/x', 'share-or-local'],
    ['ms-msdt:/id PCWDiagnostic', 'program'],
    ['search-ms:query=x', 'program'],
    ['mhtml:http://a.example/x!y', 'program'],
    ['https://www.miit.gov.cn/', 'web'],
    ['HTTP://a.example/', 'web'],
    ['mailto:cluster@miit.gov.cn', 'web'],
    ['附件/annex.pdf', 'relative'],
    ['#_Toc1', 'relative'],
  ])('%s reaches %s', (target, reach) => {
    expect(linkReach(target)).toBe(reach);
  });

  it('refuses a hyperlink handed to a program and an Excel 4.0 macro sheet by type; warns of web and mail', () => {
    const report = new Report();
    judgeRelationships(
      'xl/_rels/workbook.xml.rels',
      rels(
        rel('a', 'hyperlink', 'ms-msdt:/id PCWDiagnostic', true),
        rel('b', 'http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet', 'worksheets/sheet2.xml'),
        rel('c', 'http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet', 'worksheets/sheet3.xml'),
        rel('d', 'hyperlink', 'mailto:cluster@miit.gov.cn', true),
        rel('e', 'hyperlink', 'https://www.miit.gov.cn/', true),
      ),
      report,
    );
    expect(report.findings.map((f) => [f.code, f.detail])).toEqual([
      ['OOXML_EXTERNAL', { kind: 'hyperlink handed to a program', target: 'ms-msdt:/id PCWDiagnostic' }],
      ['MACROS', { name: 'worksheets/sheet2.xml' }],
    ]);
    expect(report.warnings.map((w) => w.detail)).toEqual([
      { target: 'mailto:cluster@miit.gov.cn' },
      { target: 'https://www.miit.gov.cn/' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { leadAsFollowed, linkReach, targetAsFollowed } from '../../../shared/validation/link-target.ts';
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

  it.each([
    ['ms-ms\tdt:/id PCWDiagnostic', 'program'],
    ['search-\r\nms:query=x', 'program'],
    ['fi\nle://host/share/x', 'share-or-local'],
    ['\x1f\\\\host\\x', 'share-or-local'],
    ['\u00a0\ufeff \\\\host\\x', 'share-or-local'],
    ['\x7fC:\\x', 'share-or-local'],
    ['m\x01s-msdt:x', 'program'],
    // Look-alikes: a tab inside a web address leaves it one; a space inside a scheme is no scheme.
    ['https://exa\tmple.cn/x', 'web'],
    ['https://www.miit.gov.cn/\n', 'web'],
    ['ms-ms dt:x', 'relative'],
  ])('%j is judged as followed: %s', (target, reach) => {
    expect(linkReach(target)).toBe(reach);
  });

  it('normalises a whole target at both ends, a lead at its start only', () => {
    expect(targetAsFollowed(' \t\x00ms-ms\tdt:x \r\n')).toBe('ms-msdt:x');
    expect(targetAsFollowed('附件/annex.pdf')).toBe('附件/annex.pdf');
    expect(leadAsFollowed('\t ms-\t')).toBe('ms-');
    expect(leadAsFollowed(' a ')).toBe('a ');
  });

  /** UTF-8 as a streamed part's check reads it: a byte a character. */
  const asBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

  it.each([
    ['a no-break space', '\u00a0\\\\host\\share\\x'],
    ['an ideographic space', '\u3000\\\\host\\share\\x'],
    ['NEL', '\u0085\\\\host\\share\\x'],
    ['full-width backslashes', '＼＼host＼share＼x'],
  ])('reads a share after %s as a share, decoded or as UTF-8 bytes (round 11)', (_what, target) => {
    expect(linkReach(target)).toBe('share-or-local');
    expect(linkReach(asBytes(target))).toBe('share-or-local');
    expect(targetAsFollowed(asBytes(target))).toBe(target.replace(/^[\u00a0\u3000\u0085]/, '').normalize('NFKC'));
  });

  it.each([
    ['ms-\u0085msdt:/id PCWDiagnostic', 'program'],
    ['ｍｓ－ｍｓｄｔ：/id PCWDiagnostic', 'program'],
    ['Ｃ：＼x.exe', 'share-or-local'],
    // Look-alikes: Chinese names, relative or in a web address, full-width brackets, a no-break space inside.
    ['附件/说明.pdf', 'relative'],
    ['..\\资料\\表.xlsx', 'relative'],
    ['附件\u00a0说明（一）.pdf', 'relative'],
    ['https://www.miit.gov.cn/附件（一）.pdf', 'web'],
  ])('%j reaches %s, decoded or as UTF-8 bytes', (target, reach) => {
    expect(linkReach(target)).toBe(reach);
    expect(linkReach(asBytes(target))).toBe(reach);
  });

  it('leaves a run of bytes that is no UTF-8 as it is, and shows Chinese decoded', () => {
    expect(targetAsFollowed('caf\u00e9/x')).toBe('caf\u00e9/x');
    expect(targetAsFollowed(asBytes('附件/说明.pdf'))).toBe('附件/说明.pdf');
    expect(leadAsFollowed(asBytes('\u3000＼'))).toBe('\\');
  });
});

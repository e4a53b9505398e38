import { describe, expect, it } from 'vitest';
import {
  foldedAsReaders,
  leadAsFollowed,
  linkReach,
  shownTarget,
  targetAsFollowed,
} from '../../../shared/validation/link-target.ts';
import { isOutside } from '../../../shared/validation/ofd/locations.ts';
import { judgeRelationships } from '../../../shared/validation/ooxml/relationships.ts';
import { ActiveFacts } from '../../../shared/validation/pdf/active.ts';
import { Syntax } from '../../../shared/validation/pdf/syntax.ts';
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

  it('reads bytes as UTF-8 for PDF and OFD too, which have no UTF-8 reading of their own (round 14)', () => {
    // pdf.js reads a /URI's bytes as UTF-8 when they are: an ideographic or no-break space, then a share.
    const uri = (hex: string) => {
      const facts = new ActiveFacts();
      facts.addObject(6, new Syntax(`<< /Type /Annot /Subtype /Link /A << /S /URI /URI <${hex}> >> >>`).parse());
      return facts.links.judge().outside.length;
    };
    expect(uri('E380805C5C686F73745C7368617265')).toBe(1);
    expect(uri('C2A05C5C686F73745C7368617265')).toBe(1);
    expect(uri('E99984E4BBB62F612E706466')).toBe(0);
    // An OFD location percent-decoded to bytes (ofd/locations.ts), an ideographic space before a share.
    expect(isOutside('%E3%80%80%5C%5Chost%5Cshare%5Cx.png')).toBe(true);
    expect(isOutside('Res/%E5%9B%BE%20%EF%BC%91.png')).toBe(false);
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
    expect(targetAsFollowed('Preis\u00a4/x')).toBe('Preis\u00a4/x');
    expect(targetAsFollowed(asBytes('附件/说明.pdf'))).toBe('附件/说明.pdf');
    expect(leadAsFollowed(asBytes('\u3000＼'))).toBe('\\');
  });

  /**
   * Round 12: one folding (foldedAsReaders) for every format's decoded targets. Each of these was
   * relative to an Office relationship, field or formula and to an OFD link (the PDF check folded
   * the marks and slashes, but not the zero-width and direction marks).
   */
  it.each([
    ['a fraction-slash share', '\u2044\u2044host\u2044share\\x', 'share-or-local'],
    ['a division-slash share', '\u2215\u2215host\u2215share', 'share-or-local'],
    ['a reverse-solidus-operator share', '\u29f5\u29f5host\u29f5share', 'share-or-local'],
    ['a ligature in a scheme', '\ufb01le://host/share', 'share-or-local'],
    ['a combining mark in a scheme', 'ms-m\u0300sdt:/id PCWDiagnostic', 'program'],
    ['a combining mark on a drive', 'C\u0300:\\x.exe', 'share-or-local'],
    ['a grapheme joiner before a share', '\u034f\\\\host\\share', 'share-or-local'],
    ['a zero-width space before a share', '\u200b\\\\host\\share', 'share-or-local'],
    ['a right-to-left mark before a share', '\u200f\\\\host\\share', 'share-or-local'],
    ['a zero-width space in a scheme', 'ms-ms\u200bdt:/id PCWDiagnostic', 'program'],
    ['a right-to-left override before a scheme', '\u202ems-msdt:/id PCWDiagnostic', 'program'],
    ['a word joiner in a scheme', 'ms-ms\u2060dt:x', 'program'],
    ['an invisible separator in a scheme', 'search\u2063-ms:query=x', 'program'],
    ['an isolate in a scheme', 'ms-ms\u2066dt:x', 'program'],
    ['a byte-order mark in a scheme', 'ms-ms\ufeffdt:x', 'program'],
    ['a soft hyphen in a scheme', 'ms-ms\u00addt:x', 'program'],
  ])('folds %s as a reader does, decoded or as UTF-8 bytes (round 12)', (_what, target, reach) => {
    expect(linkReach(target)).toBe(reach);
    expect(linkReach(asBytes(target))).toBe(reach);
  });

  it.each([
    ['附件/说明.pdf', 'relative'],
    ['..\\资料\\表.xlsx', 'relative'],
    ['https://www.miit.gov.cn/附件/通知.pdf', 'web'],
    ['mailto:张三@miit.gov.cn', 'web'],
    ['mailto:%E5%BC%A0%E4%B8%89%20<zhangsan@miit.gov.cn>', 'web'],
    // A fraction slash inside a name is a name's slash; a right-to-left mark starts an Arabic name.
    ['1\u20442 年报.pdf', 'relative'],
    ['\u200fملف.pdf', 'relative'],
    ['ファイル/データ.pdf', 'relative'],
    ['https://bücher.example/café', 'web'],
  ])('keeps %j where it leads once folded (round 12)', (target, reach) => {
    expect(linkReach(target)).toBe(reach);
    expect(linkReach(asBytes(target))).toBe(reach);
  });

  it('folds marks and slashes only before the first colon, so a web address shows its letters as written', () => {
    expect(targetAsFollowed('https://bücher.example/café\u2044x')).toBe('https://bücher.example/café\u2044x');
    expect(targetAsFollowed('mailto:张三@miit.gov.cn')).toBe('mailto:张三@miit.gov.cn');
    expect(targetAsFollowed('\u2044\u2044host\u2044x')).toBe('//host/x');
    expect(targetAsFollowed(asBytes('ms-m\u0300s\u200bdt:/id x'))).toBe('ms-msdt:/id x');
    // Full width folds everywhere (as round 11's did), a zero-width space too.
    expect(foldedAsReaders('https://www.miit.gov.cn/附件（一）\u200b.pdf')).toBe(
      'https://www.miit.gov.cn/附件(一).pdf',
    );
  });

  it('returns a target in ASCII as it is, the same string', () => {
    const ascii = `https://www.miit.gov.cn/${'a'.repeat(1000)}`;
    expect(foldedAsReaders(ascii)).toBe(ascii);
    expect(targetAsFollowed(ascii)).toBe(ascii);
  });
});

describe('a target as findings and warnings show it', () => {
  it('drops controls and format characters, trims, and keeps letters as written', () => {
    expect(shownTarget('\u202e\\\\host\\share\\fdp.exe\t')).toBe('\\\\host\\share\\fdp.exe');
    expect(shownTarget(' ms-ms\u200bdt:\u0085x ')).toBe('ms-msdt:x');
    expect(shownTarget('https://bücher.example/附件（一）.pdf')).toBe('https://bücher.example/附件（一）.pdf');
  });
});

import { describe, expect, it } from 'vitest';
import { ActiveFacts } from '../../../../shared/validation/pdf/active.ts';
import { MAX_FOLDED, MAX_SHOWN } from '../../../../shared/validation/pdf/links.ts';
import { hexBytes, literalBytes, otherTexts, textOf } from '../../../../shared/validation/pdf/strings.ts';
import { Syntax } from '../../../../shared/validation/pdf/syntax.ts';

/** Link targets as readers decode them (pdf/strings.ts), and which links leave the file or lead into a share or a local path (pdf/links.ts). */

const bytes = (raw: string) => [...literalBytes(raw)];

/** `text` as a UTF-16 string with its byte-order mark, as PDF writers store names beyond ASCII. */
const utf16 = (text: string) => `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex')}>`;
/** Whether a target is refused as a /URI and as a /GoToR's file. */
const outside = (target: string) => ({
  uri: judge([link(`<< /S /URI /URI ${target} >>`)]).outside.length > 0,
  file: judge([link(`<< /S /GoToR /F << /Type /Filespec /UF ${target} >> >>`)]).outside.length > 0,
});
const both = { uri: true, file: true };
const none = { uri: false, file: false };

describe('PDF strings, decoded as readers decode them', () => {
  it('reads a literal string’s escapes', () => {
    expect(literalBytes('a\\n\\r\\t\\b\\f\\(\\)\\\\z').toString('latin1')).toBe('a\n\r\t\b\f()\\z');
    // An unknown escape is the character itself; a lone backslash at the end is nothing.
    expect(literalBytes('\\q\\/x\\').toString('latin1')).toBe('q/x');
  });

  it('reads octal escapes of one to three digits, keeping the low byte as PDFium and MuPDF do', () => {
    expect(bytes('\\101\\7\\0053\\400\\1234')).toEqual([0x41, 7, 5, 0x33, 0, 0o123, 0x34]);
    expect(literalBytes('\\134\\134host\\134share').toString('latin1')).toBe('\\\\host\\share');
  });

  it('reads an octal escape past a byte as pdf.js does too: that character, in a string without a byte-order mark', () => {
    // pdf.js's getString pushes String.fromCharCode of the escape's whole value (up to 0o777).
    expect(otherTexts('m\\533-m\\533dt:/id', false)).toEqual(['m\u015b-m\u015bdt:/id']);
    expect(literalBytes('m\\533-m\\533dt:/id').toString('latin1')).toBe('m[-m[dt:/id');
    expect(otherTexts('\\777\\400x', false)).toEqual(['\u01ff\u0100x']);
    // No escape past a byte (an escaped backslash before digits is none): no other reading.
    expect(otherTexts('caf\\351 \\\\477 \\0477', false)).toEqual([]);
    // A byte-order mark written as bytes: pdf.js decodes the low bytes by it, as the scan does.
    expect(otherTexts('\\376\\377\\000\\534', false)).toEqual([]);
    // A mark only in the low bytes is none to pdf.js, which keeps the characters.
    expect(otherTexts('\\776\\377\\000A', false)).toEqual(['\u01fe\u00ff\u0000A']);
  });

  it('joins lines continued by a backslash and reads any end of line as a line feed', () => {
    expect(literalBytes('ab\\\ncd\\\r\nef\\\rgh').toString('latin1')).toBe('abcdefgh');
    expect(literalBytes('a\rb\r\nc\nd').toString('latin1')).toBe('a\nb\nc\nd');
  });

  it('reads a hex string past whitespace and stray characters, padding an odd last digit', () => {
    expect([...hexBytes('48 65\n6C6c 6f')]).toEqual([...Buffer.from('Hello')]);
    expect([...hexBytes('41 4')]).toEqual([0x41, 0x40]);
    expect([...hexBytes('4x1')]).toEqual([0x41]);
    expect([...hexBytes('')]).toEqual([]);
  });

  it('reads a hex string as MuPDF reads a stray character (the digit 0) and as older MuPDF an odd last digit (dropped)', () => {
    expect(otherTexts('48 65\n6C6c\x006f', true)).toEqual([]);
    expect(otherTexts('4x1', true)).toEqual(['@\u0010']);
    // Thirteen digits once `g` is skipped: older MuPDF's reading drops the last.
    expect(otherTexts('2g5C5C686F7374', true)).toEqual([' \\\\host', '%\u00c5\u00c6\u0086\u00f77']);
    expect(otherTexts('41 4', true)).toEqual(['A']);
  });

  it('reads text strings by their byte-order mark, else as PDFDocEncoding', () => {
    const utf16be = Buffer.from('附件/annex.pdf', 'utf16le').swap16();
    expect(textOf(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]))).toBe('附件/annex.pdf');
    expect(textOf(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('附件', 'utf16le')]))).toBe('附件');
    expect(textOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('附件', 'utf8')]))).toBe('附件');
    expect(textOf(Buffer.from([0x41, 0xe9]))).toBe('Aé');
  });
});

/** The links of objects given as PDF text, judged. */
function judge(objects: Array<[number, string]>) {
  const facts = new ActiveFacts();
  for (const [num, text] of objects) facts.addObject(num, new Syntax(text).parse());
  return facts.links.judge();
}
const link = (action: string): [number, string] => [6, `<< /Type /Annot /Subtype /Link /A ${action} >>`];

describe('links out of a PDF', () => {
  it('names /URI and /GoToR targets, each once, in the order met, wherever the action is', () => {
    expect(
      judge([
        link('<< /S /URI /URI (https://www.miit.gov.cn/) >>'),
        [7, '<< /Title (Annex) /A << /S /GoToR /F (annex.pdf) /D [0 /Fit] >> >>'],
        [8, '<< /S /GoTo /D [3 0 R /Fit] /Next [<< /S /URI /URI <68747470733A2F2F612E6578616D706C652F> >>] >>'],
        [9, '<< /S /URI /URI (https://www.miit.gov.cn/) >>'],
        [10, '<< /S /Thread /F (other.pdf) /D 0 >>'],
      ]),
    ).toEqual({ targets: ['https://www.miit.gov.cn/', 'annex.pdf', 'https://a.example/', 'other.pdf'], outside: [] });
  });

  it('shows a target without its controls or direction marks, trimmed and cut, and one it cannot read as -', () => {
    const long = `https://a.example/${'x'.repeat(300)}`;
    const { targets } = judge([
      link(`<< /S /URI /URI (  https://a.example/\\r\\nb\\t ) >>`),
      [10, `<< /S /URI /URI <FEFF0061202E0062> >>`],
      [7, `<< /S /URI /URI (${long}) >>`],
      [8, '<< /S /URI /URI 99 0 R >>'],
      [9, '<< /S /URI /URI /NotAString >>'],
    ]);
    // A name is text to readers: pdf.js reads `/` and the name (round 13).
    expect(targets).toEqual(['https://a.example/b', 'ab', long.slice(0, MAX_SHOWN), '-', '/NotAString']);
  });

  it('reads a file-spec dictionary: its /UF first, then /F, following references', () => {
    const gotor = (f: string) => judge([link(`<< /S /GoToR /F ${f} >>`)]).targets;
    expect(gotor('<< /Type /Filespec /F (annex.pdf) /UF <FEFF00610062002E007000640066> >>')).toEqual(['ab.pdf']);
    expect(gotor('<< /Type /Filespec /F (annex.pdf) >>')).toEqual(['annex.pdf']);
    expect(
      judge([link('<< /S /GoToR /F 7 0 R >>'), [7, '<< /Type /Filespec /UF 8 0 R >>'], [8, '(annex.pdf)']]).targets,
    ).toEqual(['annex.pdf']);
  });

  it('refuses a UNC path or a file: URL however written, as a URI or a file', () => {
    for (const target of [
      '(\\\\\\\\host\\\\share\\\\x.pdf)',
      '(//host/share/x.pdf)',
      '(\\\\/host/share)',
      '(/\\\\host\\\\share)',
      '(file://host/share/x.pdf)',
      '(FILE:///C:/x.pdf)',
      '( \\t fi\\nle:x)',
      '<2020205C5C686F7374>',
      '<FEFF005C005C0068006F00730074>',
    ]) {
      expect(judge([link(`<< /S /URI /URI ${target} >>`)]).outside, `/URI ${target}`).toHaveLength(1);
      expect(judge([link(`<< /S /GoToR /F ${target} >>`)]).outside, `/GoToR ${target}`).toHaveLength(1);
    }
    // Past the head the scan decodes for what it shows: the whole string is read for where it starts.
    const padded = `(${' '.repeat(5000)}\\\\\\\\host\\\\share)`;
    expect(judge([link(`<< /S /URI /URI ${padded} >>`)]).outside).toEqual(['/URI -']);
    expect(judge([link(`<< /S /URI /URI <${'20'.repeat(3000)}66696C653A> >>`)]).outside).toEqual(['/URI -']);
    expect(judge([link('<< /S /GoToR /F (\\\\\\\\host\\\\share\\\\x.pdf) >>')]).outside).toEqual([
      '/GoToR \\\\host\\share\\x.pdf',
    ]);
  });

  it('judges a target in each reader’s reading of its string: pdf.js’s wide octal escapes, MuPDF’s stray hex characters', () => {
    // pdf.js reads `\533` as ś, which folds to s: `ms-msdt:` (the low byte, `[`, is no scheme).
    expect(outside('(m\\533-m\\533dt:/id)')).toEqual(both);
    // PDFium and MuPDF keep the low byte of `\534`: a backslash (pdf.js reads Ŝ).
    expect(outside('(\\534\\534host\\534share)')).toEqual(both);
    // MuPDF reads `g` as 0: ` \\host` (pdf.js and PDFium skip it: `%ÅÆ…`).
    expect(outside('<2g5C5C686F73745C7368617265>')).toEqual(both);
    // Look-alikes: a Latin-1 escape, a web link with a stray space, in every reading.
    expect(outside('(caf\\351.pdf)')).toEqual(none);
    expect(outside('<68747470733A2F2F612E6578616D706C652F 3>')).toEqual(none);
    expect(outside('(annex\\533.pdf)')).toEqual(none);
  });

  it('refuses an absolute file specification (a server or a drive) and a drive path; a relative one is a warning', () => {
    const outside = (f: string) => judge([link(`<< /S /GoToR /F ${f} >>`)]).outside.length > 0;
    expect(outside('(/host/share/x.pdf)')).toBe(true);
    expect(outside('<< /Type /Filespec /F (annex.pdf) /DOS (/host/share/x.pdf) >>')).toBe(true);
    expect(outside('(/c/evidence/x.pdf)')).toBe(true);
    expect(outside('(C:\\\\evidence\\\\x.pdf)')).toBe(true);
    expect(outside('(annex.pdf)')).toBe(false);
    expect(outside('(../annex/x.pdf)')).toBe(false);
    const uri = (u: string) => judge([link(`<< /S /URI /URI (${u}) >>`)]).outside.length > 0;
    expect(uri('C:\\\\evidence\\\\x.pdf')).toBe(true);
    expect(uri('c:/evidence/x.pdf')).toBe(true);
    // As a URI, `/host/share` is a path on the host the document came from.
    expect(uri('/host/share')).toBe(false);
    expect(uri('mailto:office@miit.gov.cn')).toBe(false);
    expect(uri('https://www.miit.gov.cn/')).toBe(false);
  });

  it('refuses a /URI handed to a program by its scheme or into an smb: share; web and mail links stay warnings', () => {
    const uri = (u: string) => judge([link(`<< /S /URI /URI ${u} >>`)]);
    for (const target of [
      '(ms-msdt:/id PCWDiagnostic /skip force)',
      '(search-ms:query=x&crumb=location:\\\\host\\share)',
      '(  MHTML:http://a.example/x!y)',
      '(smb://host/share/x.pdf)',
      // A scheme of 40 letters is still read as one: the head kept for the reach is longer.
      `(${'x'.repeat(40)}:run)`,
    ]) {
      expect(uri(target).outside, target).toHaveLength(1);
    }
    expect(uri('(ms-msdt:/id PCWDiagnostic)').outside).toEqual(['/URI ms-msdt:/id PCWDiagnostic']);
    expect(uri('(https://www.miit.gov.cn/)')).toEqual({ targets: ['https://www.miit.gov.cn/'], outside: [] });
    expect(uri('(annex.pdf)').outside).toEqual([]);
  });

  it('reads a target as readers fold it: C1 controls dropped, full-width forms and marked letters folded into ASCII', () => {
    // Spaces a reader's trim drops before a share: a no-break space (PDFDocEncoding read as
    // Latin-1, and UTF-16), an ideographic space, a NEL (UTF-16, and the byte 0x85).
    expect(outside('<A05C5C686F73745C7368617265>')).toEqual(both);
    expect(outside(utf16('\u00a0\\\\host\\share'))).toEqual(both);
    expect(outside(utf16('\u3000\\\\host\\share'))).toEqual(both);
    expect(outside(utf16('\u0085\\\\host\\share'))).toEqual(both);
    expect(outside('(\\205\\\\\\\\host\\\\share)')).toEqual(both);
    expect(outside(utf16('ms-ms\u0085dt:/id x'))).toEqual(both);
    // Look-alikes a best-fit conversion folds: full-width, marked letters, look-alike slashes.
    expect(outside(utf16('＼＼host＼share'))).toEqual(both);
    expect(outside(utf16('ｍｓ-ｍｓｄｔ:/id x'))).toEqual(both);
    expect(outside(`<EFBBBF${Buffer.from('ｆｉｌｅ://host/x').toString('hex')}>`)).toEqual(both);
    expect(outside(utf16('Ｃ：\\x.pdf'))).toEqual(both);
    expect(outside(utf16('m\u0301s-msdt:/id x'))).toEqual(both);
    expect(outside(utf16('\u29f5\u29f5host\u29f5share'))).toEqual(both);
    // PDFDocEncoding's own characters (no byte-order mark): 0x87 is a fraction slash, 0x93 `ﬁ`.
    expect(outside('(\\207\\207host\\207share)')).toEqual(both);
    expect(outside('(\\223le://host/share)')).toEqual(both);
    expect(judge([link('<< /S /GoToR /F (\\207host\\207share) >>')]).outside).toEqual(['/GoToR ⁄host⁄share']);
    expect(judge([link('<< /S /URI /URI (\\200 annex.pdf) >>')])).toEqual({ targets: ['• annex.pdf'], outside: [] });
    // As a file, `∕host∕share` is PDF's `/host/share`, a server; as a URI, a path on the document's host.
    expect(outside(utf16('\u2215host\u2215share'))).toEqual({ uri: false, file: true });
    // Genuine Chinese names and web links, accented names and full-width punctuation stay links.
    expect(outside(utf16('行为规范（一）：说明.pdf'))).toEqual(none);
    expect(outside(utf16('附件/annex.pdf'))).toEqual(none);
    expect(outside(utf16('https://www.miit.gov.cn/附件/通知.pdf'))).toEqual(none);
    expect(outside(utf16('Résumé ／ annexe.pdf'))).toEqual(none);
    expect(outside('(R\\351sum\\351.pdf)')).toEqual(none);
    // A whole target read past its head of padding is folded up to MAX_FOLDED characters; a
    // longer one beyond ASCII is refused.
    const padded = (tail: string) => `<${'20'.repeat(1000)}${Buffer.from(tail, 'latin1').toString('hex')}>`;
    expect(outside(padded(`\u0085\\\\host`))).toEqual(both);
    expect(outside(padded(`annex.pdf${'\u00e9'.repeat(MAX_FOLDED)}`))).toEqual(both);
    expect(outside(padded(`annex.pdf${'\u00e9'.repeat(MAX_FOLDED - 2000)}`))).toEqual(none);
    // What the warning shows is the target as written.
    expect(judge([link(`<< /S /URI /URI ${utf16('https://www.miit.gov.cn/附件')} >>`)]).targets).toEqual([
      'https://www.miit.gov.cn/附件',
    ]);
  });

  it('judges every definition of a target, and an action whose /S is a reference', () => {
    const twice = judge([link('<< /S /URI /URI 7 0 R >>'), [7, '(https://a.example/)'], [7, '(\\\\\\\\host\\\\x)']]);
    expect(twice).toEqual({ targets: ['https://a.example/'], outside: ['/URI \\\\host\\x'] });
    expect(judge([link('<< /S 7 0 R /F (\\\\\\\\host\\\\x.pdf) >>'), [7, '/GoToR']]).outside).toEqual([
      '/GoToR \\\\host\\x.pdf',
    ]);
    expect(judge([link('<< /S /URI /URI 7 0 R >>'), [7, '8 0 R'], [8, '7 0 R']])).toEqual({
      targets: ['-'],
      outside: [],
    });
  });

  it('judges the catalog’s /URI /Base, which names no link of its own', () => {
    expect(judge([[1, '<< /Type /Catalog /URI << /Base (file://host/share/) >> >>']])).toEqual({
      targets: [],
      outside: ['/URI /Base file://host/share/'],
    });
    expect(judge([[1, '<< /Type /Catalog /URI << /Base (https://www.miit.gov.cn/) >> >>']])).toEqual({
      targets: [],
      outside: [],
    });
  });

  it('judges a /URI /Base given by reference, to the dictionary or to its string', () => {
    expect(
      judge([
        [1, '<< /Type /Catalog /URI 9 0 R >>'],
        [9, '<< /Base (file://host/share/) >>'],
      ]).outside,
    ).toEqual(['/URI /Base file://host/share/']);
    expect(
      judge([
        [1, '<< /Type /Catalog /URI << /Base 9 0 R >> >>'],
        [9, '(smb://host/share/)'],
      ]).outside,
    ).toEqual(['/URI /Base smb://host/share/']);
  });

  it('refuses a file specification handed to a program by its scheme (a URL one says /FS /URL); a web one is a warning', () => {
    expect(
      judge([
        link('<< /S /GoToR /F << /FS /URL /F (ms-msdt:/id PCWDiagnostic) >> >>'),
        [7, '<< /S /Thread /F << /FS /URL /UF (search-ms:query=x) >> /D 0 >>'],
        [8, '<< /S /GoToR /F << /FS /URL /F (https://www.miit.gov.cn/a.pdf) >> >>'],
      ]).outside,
    ).toEqual(['/GoToR ms-msdt:/id PCWDiagnostic', '/Thread search-ms:query=x']);
  });

  it('judges an associated file outside the file (/AF without /EF) as a /GoToR’s: into a share refused, else a warning', () => {
    const share = '<< /Type /Filespec /F (\\\\\\\\attacker.example\\\\share\\\\x.xml) /AFRelationship /Source >>';
    // In place, one or an array, on the catalog or a page; by reference, to the dictionary or to an array of them.
    expect(judge([[1, `<< /Type /Catalog /Pages 2 0 R /AF [${share}] >>`]]).outside).toHaveLength(1);
    expect(judge([[3, `<< /Type /Page /AF ${share} >>`]]).outside).toHaveLength(1);
    expect(
      judge([
        [1, '<< /Type /Catalog /AF [9 0 R] >>'],
        [9, share],
      ]).outside,
    ).toHaveLength(1);
    expect(
      judge([
        [1, '<< /Type /Catalog /AF 8 0 R >>'],
        [8, '[9 0 R]'],
        [9, share],
      ]).outside,
    ).toHaveLength(1);
    expect(
      judge([
        [1, '<< /Type /Catalog /AF 8 0 R >>'],
        [8, `[${share}]`],
      ]).outside,
    ).toHaveLength(1);
    // A file beside the document: a warning naming it, as a /GoToR's.
    const beside = judge([
      [1, '<< /Type /Catalog /AF [<< /Type /Filespec /UF (data.csv) /AFRelationship /Data >>] >>'],
    ]);
    expect(beside).toEqual({ targets: ['data.csv'], outside: [] });
    // An array by reference is no /URI's string.
    expect(judge([link('<< /S /URI /URI 8 0 R >>'), [8, `[${share}]`]]).outside).toEqual([]);
  });

  it('reads links nested as deep as the parse goes', () => {
    const deep = `${'['.repeat(50)}<< /S /URI /URI (\\\\\\\\host\\\\x) >>${']'.repeat(50)}`;
    expect(judge([[6, deep]]).outside).toEqual(['/URI \\\\host\\x']);
  });

  it('judges a target as followed: tabs, line breaks and controls dropped, spaces at its start too, however long the padding', () => {
    const tabs = '\\t'.repeat(1000);
    expect(
      judge([
        link('<< /S /URI /URI (ms-ms\\tdt:/id PCWDiagnostic) >>'),
        [7, `<< /S /URI /URI (ms-ms${tabs}dt:/id PCWDiagnostic) >>`],
        [8, `<< /S /URI /URI <${Buffer.from('\xa0\\\\host\\x', 'latin1').toString('hex')}> >>`],
        [9, '<< /S /GoToR /F (\\037\\\\\\\\host\\\\x.pdf) >>'],
      ]).outside,
    ).toEqual(['/URI ms-msdt:/id PCWDiagnostic', '/URI ms-ms', '/URI \\\\host\\x', '/GoToR \\\\host\\x.pdf']);
    // A space is no tab: `ms-ms dt:` is no scheme, however much of it is spaces.
    const spaces = ' '.repeat(1000);
    expect(
      judge([
        link('<< /S /URI /URI (https://exa\\tmple.cn/x) >>'),
        [7, '<< /S /URI /URI (https://www.miit.gov.cn/\\n) >>'],
        [8, `<< /S /URI /URI (ms-ms${spaces}dt:x) >>`],
      ]).outside,
    ).toEqual([]);
  });
});

describe('PDF link targets folded as every format’s are (round 12)', () => {
  it('drops zero-width and direction marks a reader drops, however long their run', () => {
    expect(outside(utf16('\u200b\\\\host\\share'))).toEqual(both);
    expect(outside(utf16('ms-ms\u200bdt:/id PCWDiagnostic'))).toEqual(both);
    expect(outside(utf16('\u202ems-msdt:/id PCWDiagnostic'))).toEqual(both);
    expect(outside(utf16('ms-ms\u2060dt:x'))).toEqual(both);
    expect(outside(`<EFBBBF${Buffer.from('ms-ms\ufeffdt:x').toString('hex')}>`)).toEqual(both);
    // More marks than the head a reader keeps of each string: the whole string is read.
    expect(outside(utf16(`${'\u200b'.repeat(1000)}\\\\host\\share`))).toEqual(both);
    // An Arabic name after a right-to-left mark, a Chinese one with a fraction slash: names.
    expect(outside(utf16('\u200fملف.pdf'))).toEqual(none);
    expect(outside(utf16('附件/1\u20442 年报.pdf'))).toEqual(none);
    expect(outside(utf16('mailto:张三@miit.gov.cn'))).toEqual(none);
  });
});

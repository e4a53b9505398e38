import { describe, expect, it } from 'vitest';
import { PackageInspection } from '../../../../shared/validation/ooxml/package-inspection.ts';
import { partCheckFor } from '../../../../shared/validation/ooxml/parts.ts';
import { Report } from '../../../../shared/validation/report.ts';
import { complexField, nestedField } from '../../../fixtures/active-office.ts';

/** Word fields whose name a nested field computes (shared/validation/ooxml/fields.ts). */

function findings(runs: string, piece = 64 * 1024): string[] {
  const report = new Report();
  const check = partCheckFor('word/document.xml', new PackageInspection(report));
  const text = `<w:document><w:body><w:p>${runs}</w:p></w:body></w:document>`;
  for (let at = 0; at < text.length; at += piece) check.write(Buffer.from(text.slice(at, at + piece)));
  check.end();
  return report.findings.map((f) => `${f.code} ${JSON.stringify(f.detail)}`);
}

/** The warnings a part's fields carry (EXTERNAL_LINK targets), fed in `piece`-character writes. */
function warnings(runs: string, piece = 64 * 1024): string[] {
  const report = new Report();
  const check = partCheckFor('word/document.xml', new PackageInspection(report));
  const text = `<w:document><w:body><w:p>${runs}</w:p></w:body></w:document>`;
  for (let at = 0; at < text.length; at += piece) check.write(Buffer.from(text.slice(at, at + piece)));
  check.end();
  expect(report.findings).toEqual([]);
  return report.warnings.map((w) => `${w.code} ${String(w.detail?.target)}`);
}

const NESTED = 'OOXML_EXTERNAL {"kind":"field named by a nested field","target":"word/document.xml"}';

describe('nested fields', () => {
  it.each([
    ['before any word', nestedField('', ' QUOTE "INCLUDE" ', 'PICTURE "x" ')],
    ['after spaces and a quote', nestedField(' "', ' QUOTE "INCLUDE" ', 'PICTURE "x" ')],
    ['inside the first word', nestedField(' DD', ' QUOTE "E" ', 'AUTO x ')],
  ])('refuses a field whose name is computed %s, in any piece size', (_where, runs) => {
    for (const piece of [3, 64 * 1024]) expect(findings(runs, piece)).toEqual([NESTED]);
  });

  it('refuses a simple field computing a complex field’s name', () => {
    const runs =
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:fldSimple w:instr="QUOTE INCLUDE"/>' +
      '<w:r><w:instrText>PICTURE x</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>';
    expect(findings(runs)).toEqual([NESTED]);
  });

  it('accepts nested fields after a name, in a formula field, and in a result', () => {
    const toc = complexField(' TOC \\o "1-3" ').replace('<w:r><w:t>1</w:t></w:r>', complexField(' PAGEREF _Toc1 \\h '));
    const runs =
      nestedField(' IF ', ' MERGEFIELD x ', ' = 1 "a" "b" ') +
      nestedField('=', ' PAGE ', '+1') +
      nestedField(' = ', ' NUMPAGES ', ' * 2 ') +
      toc +
      // After the outer field ends, a field of its own again.
      complexField(' PAGE ');
    expect(findings(runs)).toEqual([]);
  });

  it('judges the outer field’s own words once its nested field ends', () => {
    expect(findings(nestedField(' IF ', ' PAGE ', ' = 1 ') + complexField(' DDEAUTO x '))).toEqual([
      'OOXML_DDE {"where":"word/document.xml field DDEAUTO"}',
    ]);
    // A begin and its instructions without an end: the next field is still judged by its own name.
    const unbalanced = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>';
    expect(findings(unbalanced.repeat(100) + complexField(' INCLUDETEXT x '))).toEqual([
      'OOXML_EXTERNAL {"kind":"field INCLUDETEXT","target":"word/document.xml"}',
    ]);
  });
});

describe('HYPERLINK fields', () => {
  const refused = (target: string) => [
    `OOXML_EXTERNAL ${JSON.stringify({ kind: 'HYPERLINK field into a share or to a program', target })}`,
  ];

  it('refuses one into a share, a local path or a program, after switches, its target cut between runs', () => {
    expect(findings(complexField(' HYPERLINK \\o "附件" \\t "_blank" "', '\\\\\\\\host', '\\\\x" '), 5)).toEqual(
      refused('\\\\host'),
    );
    expect(findings(complexField(' HYPERLINK \\m D:\\\\x.docx '))).toEqual(refused('D:\\x.docx'));
    expect(findings('<w:fldSimple w:instr="HYPERLINK &quot;search-ms:query=x&quot;"/>')).toEqual(
      refused('search-ms:query=x'),
    );
  });

  it('accepts one to a web page, an e-mail address, a bookmark or a relative file', () => {
    const runs =
      complexField(' HYPERLINK "https://www.miit.gov.cn/" ') +
      complexField(' HYPERLINK "mailto:cluster@miit.gov.cn" ') +
      complexField(' HYPERLINK \\l "_Toc1" ') +
      complexField(' HYPERLINK "附件\\\\annex.pdf" ');
    expect(findings(runs)).toEqual([]);
  });

  it('judges a target as followed: a tab or line break in its scheme is dropped, however many, not made a space', () => {
    expect(findings(complexField(' HYPERLINK "ms-ms&#9;dt:x" '))).toEqual(refused('ms-ms\tdt:x'));
    expect(findings(complexField(' HYPERLINK \\o "提示" "fi', `${'\n'.repeat(600)}le://host/x" `))).toEqual(
      refused('fi\tle://host/x'),
    );
    // A space is no tab: `ms-ms dt:` is no scheme; a tab inside a web address leaves it one.
    expect(
      findings(complexField(' HYPERLINK "ms-ms dt:x" ') + complexField(' HYPERLINK "https://exa&#9;mple.cn/" ')),
    ).toEqual([]);
  });

  it('reads a target as Word decodes it: a share after a UTF-8 space or NEL, or in full width (round 11)', () => {
    for (const lead of ['\u00a0', '\u3000', '\u0085']) {
      for (const piece of [1, 64 * 1024]) {
        expect(findings(complexField(` HYPERLINK "${lead}\\\\\\\\host\\\\x" `), piece)).toEqual(
          refused(`${lead}\\\\host\\x`),
        );
      }
    }
    expect(findings(complexField(' HYPERLINK "＼＼host＼x" '))).toEqual(refused('＼＼host＼x'));
    // Bare, after a switch: the no-break space's A0 byte does not end the target.
    expect(findings(complexField(' HYPERLINK \\o "提示" \u00a0\\\\host\\x '))).toEqual(refused('\u00a0\\host\\x'));
    // Chinese relative targets, a no-break space and full-width brackets inside, stay links.
    expect(
      findings(
        complexField(' HYPERLINK "附件\u00a0说明（一）.pdf" ') +
          complexField(' HYPERLINK "..\\\\资料\\\\表.xlsx" ') +
          // Bare, `格` holding an A0 byte (E6 A0 BC).
          complexField(' HYPERLINK 资料\\表格.xlsx '),
      ),
    ).toEqual([]);
  });
});

describe('HYPERLINK fields to the web: a warning, as a hyperlink relationship is (round 17)', () => {
  it('warns of each web or mail target once its instructions are complete, however they are cut', () => {
    const runs =
      complexField(' HYPERLINK "https://www.miit.gov.cn/', 'zjzx/" \\o "工信部"') +
      complexField(' HYPERLINK \\l "_Toc1" \\o "目录" ') +
      complexField(' HYPERLINK mailto:cluster@miit.gov.cn ') +
      '<w:fldSimple w:instr=" HYPERLINK &quot;http://www.gov.cn/&quot; \\t &quot;_blank&quot;"><w:r><w:t>政府网</w:t></w:r></w:fldSimple>';
    for (const piece of [5, 64 * 1024]) {
      expect(warnings(runs, piece)).toEqual([
        'EXTERNAL_LINK https://www.miit.gov.cn/zjzx/',
        'EXTERNAL_LINK mailto:cluster@miit.gov.cn',
        'EXTERNAL_LINK http://www.gov.cn/',
      ]);
    }
  });

  it('warns of a field with no separate at its end, and of one written twice only once', () => {
    const unseparated =
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://a.example/" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>';
    expect(warnings(unseparated + complexField(' HYPERLINK "https://a.example/" '))).toEqual([
      'EXTERNAL_LINK https://a.example/',
    ]);
  });

  it('gives no warning for a bookmark, a relative file or text that only names HYPERLINK', () => {
    const runs =
      complexField(' HYPERLINK \\l "_Toc1" ') +
      complexField(' HYPERLINK "附件\\\\annex.pdf" ') +
      '<w:r><w:t>HYPERLINK "https://a.example/"</w:t></w:r>' +
      complexField(' REF _Ref1 \\h ');
    expect(warnings(runs)).toEqual([]);
  });
});

describe('field characters in other namespaces', () => {
  it('lets no `end` but the element’s own close a field whose name a nested field then computes', () => {
    const begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>';
    const rest = `${complexField(' QUOTE "INCLUDE" ')}<w:r><w:instrText>PICTURE x</w:instrText></w:r>`;
    for (const decoy of [
      '<w:r><w:fldChar x:fldCharType="end"/></w:r>',
      `<w:r><w:fldChar x:a=' w:fldCharType="end"' x:b="1"/></w:r>`,
    ]) {
      expect(findings(begin + decoy + rest), decoy).toEqual([NESTED]);
    }
    // A begin under any prefix is a field.
    expect(
      findings(`<w:r><q:fldChar q:fldCharType="begin"/></w:r><w:r><w:fldChar y:fldCharType="begin"/></w:r>`),
    ).toEqual([NESTED]);
  });
});

describe('nested fields touching a harmless field’s name', () => {
  it.each([
    ['IF', ' MERGEFIELD 性别 ', '="男" "先生" "女士"'],
    ['PAGE', ' QUOTE "" ', ' \\* MERGEFORMAT '],
    ['if', ' REF x ', ' = 1 "a" "b" '],
  ])('accepts {%s{…}…}: no refused field starts with its name', (name, inner, after) => {
    for (const piece of [3, 64 * 1024]) expect(findings(nestedField(name, inner, after), piece)).toEqual([]);
  });

  it.each([
    ['IN', ' QUOTE "CLUDEPICTURE" '],
    ['HYPER', ' QUOTE "LINK" '],
    ['PAGES', ' QUOTE "" '],
  ])('still refuses {%s{…}…}: a name no harmless field has', (name, inner) => {
    expect(findings(nestedField(name, inner, ' "\\\\\\\\host\\\\x" '))).toEqual([NESTED]);
  });
});

describe('HYPERLINK fields whose target a nested field computes', () => {
  const computed = (instructions: string) => [
    `OOXML_EXTERNAL ${JSON.stringify({ kind: 'HYPERLINK field whose target a nested field computes', target: instructions })}`,
  ];

  it.each([
    [' HYPERLINK "', ' QUOTE 92 92 ', 'host\\\\x" ', 'HYPERLINK "'],
    [' HYPERLINK ', ' DOCPROPERTY 网址 ', ' ', 'HYPERLINK '],
    [' HYPERLINK \\o "提示" "fi', ' QUOTE "le:///c:/x" ', '" ', 'HYPERLINK \\o "" "fi'],
    [' HYPERLINK \\l "书签" ', ' MERGEFIELD 网址 ', ' ', 'HYPERLINK \\l "" '],
    [' HYPERLINK "\\\\\\\\host\\\\', ' QUOTE "x" ', '" ', 'HYPERLINK "\\\\\\\\host\\\\'],
  ])('refuses %j{%s}%j, in any piece size', (before, inner, after, instructions) => {
    for (const piece of [3, 64 * 1024]) {
      const found = findings(nestedField(before, inner, after), piece);
      // A share written before the nested field is refused as one, whichever is seen first.
      if (before.includes('host')) expect(found).toHaveLength(1);
      else expect(found).toEqual(computed(instructions));
    }
  });

  it('accepts one whose written lead decides a web page or a bookmark, or whose target is written before it', () => {
    const runs =
      nestedField(' HYPERLINK "https://www.miit.gov.cn/?id=', ' MERGEFIELD 编号 ', '" ') +
      nestedField(' HYPERLINK "mailto:', ' MERGEFIELD 邮箱 ', '" ') +
      nestedField(' HYPERLINK \\l "', ' REF 书签 ', '" ') +
      nestedField(' HYPERLINK "附件/', ' QUOTE "a.pdf" ', '" ') +
      nestedField(' HYPERLINK "https://www.miit.gov.cn/" \\o "', ' DOCPROPERTY 标题 ', '" ');
    expect(findings(runs)).toEqual([]);
  });
});

describe('fields in the branches of mc:AlternateContent', () => {
  const MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"';
  const char = (type: string) => `<w:fldChar w:fldCharType="${type}"/>`;
  const alternate = (choice: string, fallback: string) =>
    `<w:r><mc:AlternateContent ${MC}><mc:Choice Requires="w14">${choice}</mc:Choice><mc:Fallback>${fallback}</mc:Fallback></mc:AlternateContent></w:r>`;
  const SPLIT = 'OOXML_UNREADABLE {"part":"word/document.xml field split by mc:AlternateContent"}';
  const computed = `${complexField(' QUOTE "INCLUDE" ')}<w:r><w:instrText>PICTURE "\\\\\\\\host\\\\x" </w:instrText></w:r>`;

  it.each([
    ['an end in the Fallback Word 2010 skips', alternate('', char('end'))],
    ['an end in the Choice Word 2007 skips', alternate(char('end'), '')],
    ['a separate in one branch', alternate('', char('separate'))],
    ['instructions in one branch', alternate('<w:instrText>DDE</w:instrText>', '<w:instrText>X</w:instrText>')],
    ['a begin left open in one branch', alternate(`${char('begin')}<w:instrText> X </w:instrText>`, '')],
  ])('refuses %s for a field begun outside it, in any piece size', (_what, branch) => {
    const runs = `<w:r>${char('begin')}</w:r><w:r><w:instrText> IF </w:instrText></w:r>${branch}${computed}<w:r>${char('end')}</w:r>`;
    for (const piece of [3, 64 * 1024]) expect(findings(runs, piece)).toEqual([SPLIT]);
  });

  it('accepts whole fields in each branch, as Word writes a text box’s in its drawing and its VML', () => {
    const textBox = (field: string) => `<w:txbxContent><w:p>${field}</w:p></w:txbxContent>`;
    const runs =
      alternate(
        `<w:drawing>${textBox(complexField(' PAGE '))}</w:drawing>`,
        `<w:pict>${textBox(complexField(' PAGE '))}</w:pict>`,
      ) +
      '<w:r><mc:AlternateContent><mc:Choice Requires="wps"/><mc:Fallback/></mc:AlternateContent></w:r>' +
      nestedField(' IF ', ' PAGE ', ' = 1 "a" "b" ');
    for (const piece of [3, 64 * 1024]) expect(findings(runs, piece)).toEqual([]);
  });
});

describe('HYPERLINK fields with long switches', () => {
  it.each([
    ['a tip of 255 Chinese characters', ` HYPERLINK \\o "${'提'.repeat(255)}" "\\\\\\\\host\\\\x" `],
    ['a tip cut between runs', ` HYPERLINK \\o "${'a'.repeat(300)}`, `${'b'.repeat(300)}" "\\\\\\\\host\\\\x" `],
    ['padding', ` HYPERLINK ${' '.repeat(600)}"\\\\\\\\host\\\\x" `],
    ['repeated switches', ` HYPERLINK ${'\\m '.repeat(200)}"\\\\\\\\host\\\\x" `],
  ])('still finds the target after %s', (_what, ...pieces) => {
    expect(findings(complexField(...pieces))).toEqual([
      `OOXML_EXTERNAL ${JSON.stringify({ kind: 'HYPERLINK field into a share or to a program', target: '\\\\host\\x' })}`,
    ]);
  });
});

describe('HYPERLINK fields with switches Word does not define', () => {
  it('takes the argument after one as the target, and a tip as no target', () => {
    expect(findings(complexField(' HYPERLINK \\h "\\\\\\\\host\\\\x" '))).toEqual([
      `OOXML_EXTERNAL ${JSON.stringify({ kind: 'HYPERLINK field into a share or to a program', target: '\\\\host\\x' })}`,
    ]);
    expect(findings(complexField(' HYPERLINK \\l "_Toc1" \\o "Note: 见附件" '))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { numbered, PACKAGE_FOLDERS, PathAllocator, segment } from '../../../shared/package/layout.ts';

describe('the package’s folders, named as the notices name what a province sends MIIT', () => {
  it('puts the formal letter, the summary table (附件2) and the applications in that order', () => {
    expect(PACKAGE_FOLDERS.recommendation).toMatchObject({
      letter: '01_正式推荐文件',
      summary: '02_推荐汇总表（附件2）',
      applications: '03_申报材料',
    });
  });

  it('names the re-review’s own documents: 正式复核意见文件, 复核情况汇总表 (附件4), 复核申报表', () => {
    expect(PACKAGE_FOLDERS.rereview).toMatchObject({
      letter: '01_正式复核意见文件',
      summary: '02_复核情况汇总表（附件4）',
      form: '01_复核申报表',
    });
  });

  it('numbers from 01, widening to three digits from 100 entries', () => {
    expect(numbered(0, 8, '敦化市医药产业集群')).toBe('01_敦化市医药产业集群');
    expect(numbered(99, 100, 'x')).toBe('100_x');
    expect(numbered(4, 120, 'x')).toBe('005_x');
  });
});

describe('a name as one path segment', () => {
  it('keeps Chinese names and replaces separators, reserved characters and controls', () => {
    expect(segment('申报表 "终稿".pdf')).toBe('申报表 _终稿_.pdf');
    expect(segment('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(segment('a\\b:c*d?e<f>g|h\u0000i')).toBe('a_b_c_d_e_f_g_h_i');
  });

  it('never yields an empty segment, "." or ".."', () => {
    expect(segment('')).toBe('_');
    expect(segment('   ')).toBe('_');
    expect(segment('..')).toBe('_');
    expect(segment('.')).toBe('_');
  });

  it('shortens a long name to 120 characters, keeping its extension', () => {
    const long = segment(`${'证'.repeat(300)}.pdf`);
    expect([...long]).toHaveLength(120);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

describe('two files that would share a path', () => {
  it('are told apart, ignoring case as Windows does', () => {
    const paths = new PathAllocator();
    expect(paths.take('a', '报告.pdf')).toBe('a/报告.pdf');
    expect(paths.take('a', '报告.pdf')).toBe('a/报告(2).pdf');
    expect(paths.take('a', 'Report.PDF')).toBe('a/Report.PDF');
    expect(paths.take('a', 'report.pdf')).toBe('a/report(2).pdf');
    expect(paths.take('b', '报告.pdf')).toBe('b/报告.pdf');
  });
});

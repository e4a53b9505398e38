import { describe, expect, it } from 'vitest';
import { applicantEmail } from '../../../shared/ladder/mail.ts';
import { sampleApplication } from '../support.ts';

/** The applicant's email when a notice (公示) starts names the level that holds it. */
describe('the applicant’s email when a public notice starts', () => {
  const noticeAt = (stage: 'province' | 'miit', jurisdictionName: string) =>
    applicantEmail(
      {
        kind: 'PUBLIC_NOTICE',
        application: sampleApplication(),
        stage,
        jurisdictionName,
        deadline: '2025-07-15T23:59:59+08:00',
        noticeEndsAt: '2025-06-20T23:59:59+08:00',
      },
      'county@example.gov.cn',
    ).text;

  it('at a province (Shanxi’s provincial 公示): the province approved, and nothing says it is recognised', () => {
    const text = noticeAt('province', '山西省');
    expect(text).toContain('山西省审核通过，现进入公示');
    expect(text).not.toContain('工业和信息化部');
    expect(text).not.toContain('予以认定');
    expect(text).toContain('2025-06-20 23:59');
  });

  it('at MIIT, where a campaign places one: recognition follows a notice without objections', () => {
    const text = noticeAt('miit', '工业和信息化部');
    expect(text).toContain('工业和信息化部审核通过，现进入公示');
    expect(text).toContain('予以认定');
  });
});

/** The county's email when a stage's deadline passed (逾期不予受理): found by the deadline walk. */
describe('the applicant’s email when a deadline passed', () => {
  const overdue = applicantEmail(
    {
      kind: 'OVERDUE',
      application: sampleApplication(),
      stage: 'city',
      jurisdictionName: '延边朝鲜族自治州',
      deadline: '2025-05-16T23:59:59+08:00',
      reason:
        '逾期不予受理：延边朝鲜族自治州市级审核未在截止时间 2025-05-16 23:59（北京时间）前完成 / Not accepted: the city review (延边朝鲜族自治州) did not decide before its deadline, 2025-05-16 23:59 Beijing time',
    },
    'county@example.gov.cn',
  ).text;
  const [zh = '', en = ''] = overdue.split('——');

  it('gives each half the reason in its own language, not both in each', () => {
    expect(zh).toContain('原因：逾期不予受理：延边朝鲜族自治州市级审核未在截止时间 2025-05-16 23:59（北京时间）前完成');
    expect(zh).not.toContain('Not accepted');
    expect(en).toContain('Reason: Not accepted: the city review (延边朝鲜族自治州) did not decide');
    expect(en).not.toContain('逾期不予受理：');
  });

  it('says what the county can still do, and whom to ask', () => {
    expect(zh).toContain('不能再修改或提交');
    expect(zh).toContain('仍可在申报门户查看、打印');
    expect(zh).toContain('请联系延边朝鲜族自治州中小企业主管部门');
    expect(en).toContain('contact the SME authority of 延边朝鲜族自治州');
  });

  it('keeps a reviewer’s own words whole', () => {
    const text = applicantEmail(
      {
        kind: 'REJECTED',
        application: sampleApplication(),
        stage: 'city',
        jurisdictionName: '延边朝鲜族自治州',
        deadline: '2025-05-16T23:59:59+08:00',
        reason: '产值数据与统计年鉴不符',
      },
      'county@example.gov.cn',
    ).text;
    expect(text).toContain('原因：产值数据与统计年鉴不符');
    expect(text).toContain('Reason: 产值数据与统计年鉴不符');
  });
});

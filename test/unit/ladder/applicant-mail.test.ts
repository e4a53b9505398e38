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

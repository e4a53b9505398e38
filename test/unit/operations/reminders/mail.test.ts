import { describe, expect, it } from 'vitest';
import {
  draftReminderEmail,
  escalationEmail,
  resubmissionReminderEmail,
} from '../../../../shared/operations/reminder-mail.ts';
import { timeLeft } from '../../../../shared/platform/time.ts';
import { reviewReminderEmail } from '../../../../shared/review/mail.ts';

/** The sweeper's emails: Chinese first, then English; Beijing time; time left; the link where one belongs. */
const DEADLINE = '2026-05-16T23:59:59+08:00';
const LINK = 'https://api.clusters.example.gov.cn/v1/reviews/abc.city.3.1?t=s3cr3t';
const base = {
  clusterName: '敦化市医药产业集群 <b>',
  countyName: '敦化市',
  countyCode: '222403',
  reviewerName: '延边朝鲜族自治州',
  campaignName: { zh: '2026年度中小企业特色产业集群推荐', en: '2026 recommendation' },
  stage: 'city' as const,
  round: 1,
  deadline: DEADLINE,
};

describe('timeLeft', () => {
  it('counts days to the nearest, then hours on the last day', () => {
    expect(timeLeft(DEADLINE, '2026-05-09T15:59:59Z')).toEqual({ zh: '剩余约 7 天', en: 'about 7 days left' });
    // An hour after the 7-day mark (the next hourly sweep) it still says 7.
    expect(timeLeft(DEADLINE, '2026-05-09T16:59:59Z')).toEqual({ zh: '剩余约 7 天', en: 'about 7 days left' });
    expect(timeLeft(DEADLINE, '2026-05-13T03:00:00Z')).toEqual({ zh: '剩余约 4 天', en: 'about 4 days left' });
    expect(timeLeft(DEADLINE, '2026-05-15T12:00:00Z')).toEqual({ zh: '剩余约 1 天', en: 'about 1 day left' });
    expect(timeLeft(DEADLINE, '2026-05-16T10:59:59Z')).toEqual({
      zh: '剩余不足 1 天（约 5 小时）',
      en: 'less than a day left (about 5 hours)',
    });
    expect(timeLeft(DEADLINE, '2026-05-16T16:00:00Z').en).toBe('the deadline has passed');
  });
});

describe('the reviewers’ reminder', () => {
  const email = reviewReminderEmail({ ...base, link: LINK, now: '2026-05-13T00:00:00Z' });

  it('names the cluster, county, stage, deadline in Beijing time and days left, Chinese first', () => {
    expect(email.subject).toMatch(
      /^【审核提醒·剩余约 4 天】敦化市医药产业集群 <b>｜市级审核 \/ Reminder: review due, about 4 days left$/,
    );
    for (const part of [
      '敦化市（222403）',
      '市级审核',
      'City review',
      '2026年5月16日 23:59（北京时间）',
      '16 May 2026, 23:59 Beijing time',
    ]) {
      expect(email.text).toContain(part);
    }
    expect(email.text.indexOf('尚待审核')).toBeLessThan(email.text.indexOf('still waits'));
  });

  it('carries the fresh link, and says earlier links still work', () => {
    expect(email.text).toContain(LINK);
    expect(email.text).toContain('此前的链接仍然有效');
    expect(email.html).toContain('href="https://api.clusters.example.gov.cn/v1/reviews/abc.city.3.1?t=s3cr3t"');
  });

  it('escapes what it interpolates into the HTML part', () => {
    expect(email.html).toContain('敦化市医药产业集群 &lt;b&gt;');
    expect(email.html).not.toContain('集群 <b>');
  });
});

describe('the escalation', () => {
  const email = escalationEmail({
    ...base,
    applicationId: 'abc',
    reviewerCode: '222400',
    supervisorName: '吉林省',
    now: '2026-05-16T04:00:00Z',
    applicationUrl: 'https://api.clusters.example.gov.cn/v1/applications/abc',
  });

  it('tells the level above who has not decided, with the deadline and time left', () => {
    expect(email.text.startsWith('吉林省：')).toBe(true);
    expect(email.text).toContain('延边朝鲜族自治州（222400）尚未完成');
    expect(email.text).toContain('剩余不足 1 天（约 11 小时）');
    expect(email.text).toContain('less than a day left (about 11 hours)');
    expect(email.text).toContain('2026年5月16日 23:59（北京时间）');
  });

  it('carries no review link (the level above cannot decide for the one below)', () => {
    expect(email.text).not.toContain('?t=');
    expect(email.html).not.toContain('?t=');
    expect(email.text).toContain('https://api.clusters.example.gov.cn/v1/applications/abc');
  });
});

describe('the applicants’ reminders', () => {
  it('asks for the resubmission before the deadline, with the reason', () => {
    const email = resubmissionReminderEmail(
      {
        clusterName: '敦化市医药产业集群',
        countyName: '敦化市',
        applicationId: 'abc',
        stage: 'city',
        jurisdictionName: '延边朝鲜族自治州',
        reason: '产值数据需核实',
        deadline: DEADLINE,
        now: '2026-05-09T16:00:00Z',
        pageUrl: 'https://api.clusters.example.gov.cn/portal/application?id=abc',
      },
      'county@example.gov.cn',
    );
    expect(email.to).toEqual(['county@example.gov.cn']);
    expect(email.subject).toContain('剩余约 7 天');
    expect(email.text).toContain('延边朝鲜族自治州市级审核环节被退回修改');
    expect(email.text).toContain('退回原因：产值数据需核实');
    expect(email.text.indexOf('逾期不予受理')).toBeLessThan(email.text.indexOf('late resubmissions'));
    // The page to act on, in both halves: a reminder without it leaves the county to find it.
    expect(email.text).toContain('修改并重新提交：https://api.clusters.example.gov.cn/portal/application?id=abc');
    expect(email.text).toContain('Revise and resubmit: https://api.clusters.example.gov.cn/portal/application?id=abc');
  });

  it('tells a county its draft is not submitted: until when (Beijing), how long, where to see what is missing', () => {
    const email = draftReminderEmail(
      {
        clusterName: '敦化市医药产业集群',
        countyName: '敦化市',
        applicationId: 'abc',
        deadline: DEADLINE,
        now: '2026-05-16T10:00:00Z',
        submitUrl: 'https://api.clusters.example.gov.cn/portal/submit?id=abc',
      },
      ['county@example.gov.cn'],
    );
    expect(email.to).toEqual(['county@example.gov.cn']);
    expect(email.subject).toContain('敦化市医药产业集群：草稿尚未提交（剩余不足 1 天（约 5 小时））');
    expect(email.text).toContain('县级提交截止时间为 2026年5月16日 23:59（北京时间）');
    expect(email.text).toContain('16 May 2026, 23:59 Beijing time (UTC+8)');
    expect(email.text).toContain('逾期不予受理');
    expect(email.text).toContain('尚缺的申报表内容和佐证材料，见提交前检查页面');
    expect(email.text.match(/https:\/\/api\.clusters\.example\.gov\.cn\/portal\/submit\?id=abc/g)).toHaveLength(2);
  });
});

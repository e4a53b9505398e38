/**
 * The sweeper's emails besides the reviewers' reminder (shared/review/mail.ts): the escalation to
 * the level above, and the county's reminders before its own deadline (a draft not yet submitted,
 * a returned application not yet resubmitted). Chinese first, then English; the cluster, the
 * county, the stage, the deadline in Beijing time, the time left, and the page to act on. The
 * escalation carries no review link: the level above cannot decide for the one below; its link
 * is the console's read-only timeline, a page a browser opens (not the API, which wants a token).
 */
import type { Bilingual } from '../schemas/common.ts';
import type { StageName } from '../ladder/contract.ts';
import type { Email } from '../ports/core.ts';
import { beijingTime, timeLeft } from '../platform/time.ts';
import { STAGE_WORDS } from '../platform/words.ts';
import { html } from '../platform/pages/html.ts';
import { emailPage as page, emailRow as row } from '../review/mail.ts';

// ---- the level above: the escalation -------------------------------------------------------

export interface EscalationInput {
  clusterName: string;
  countyName: string;
  countyCode: string;
  applicationId: string;
  stage: StageName;
  round: number;
  /** Who has not decided yet (the city, the province). */
  reviewerName: string;
  reviewerCode: string;
  /** Who is told (the province, MIIT). */
  supervisorName: string;
  campaignName: Bilingual;
  deadline: string;
  now: string;
  /** Where the application can be looked at (read only; no decision link). */
  applicationUrl: string;
}

/** To the level above: a stage below has not decided and its deadline is close. */
export function escalationEmail(input: EscalationInput): { subject: string; text: string; html: string } {
  const stage = STAGE_WORDS[input.stage].title;
  const deadline = beijingTime(input.deadline);
  const left = timeLeft(input.deadline, input.now);
  const subject = `【临期督办】${input.reviewerName}${stage.zh}尚未完成：${input.clusterName} / Escalation: ${stage.en} not decided, ${left.en}`;
  const text = [
    `${input.supervisorName}：`,
    '',
    `${input.reviewerName}（${input.reviewerCode}）尚未完成以下申报的${stage.zh}，截止时间 ${deadline.zh}，${left.zh}。逾期不予受理，请督促办理。`,
    `${input.reviewerName} (${input.reviewerCode}) has not yet decided the ${stage.en.toLowerCase()} of this application. Deadline: ${deadline.en}; ${left.en}. Late decisions are not accepted: please follow up.`,
    '',
    '集群 Cluster:',
    `  ${input.clusterName}`,
    '县(市、区) County:',
    `  ${input.countyName}（${input.countyCode}）`,
    '阶段 Stage:',
    `  ${stage.zh}${input.round > 1 ? `（第${input.round}轮）` : ''}`,
    `  ${stage.en}${input.round > 1 ? ` (round ${input.round})` : ''}`,
    '截止 Deadline:',
    `  ${deadline.zh}`,
    `  ${deadline.en}`,
    '活动 Campaign:',
    `  ${input.campaignName.zh}`,
    '',
    '查看申报（只读） View the application (read only):',
    input.applicationUrl,
    '',
    '本邮件仅作督办提醒，不含审核链接；审核由上述单位作出。',
    'This is a follow-up notice only, without a review link: the authority named above decides.',
  ].join('\n');

  const body = html`<p style="margin:0 0 8px">${input.supervisorName}：</p>
<p style="margin:0 0 16px">${input.reviewerName}（${input.reviewerCode}）尚未完成以下申报的${stage.zh}，<strong style="color:#8a1c1c">${left.zh}</strong>，请督促办理。<br><span style="color:#555">${input.reviewerName} has not yet decided the ${stage.en.toLowerCase()} of this application (${left.en}). Please follow up.</span></p>
<div style="background:#fff;border-radius:8px;padding:16px">
<h1 style="font-size:20px;line-height:1.3;margin:0 0 12px">${input.clusterName}</h1>
<table role="presentation" style="border-collapse:collapse;width:100%">
${row('县(市、区)', html`${input.countyName}（${input.countyCode}）<br><span style="color:#555">County</span>`)}
${row('阶段', html`${stage.zh}<br><span style="color:#555">Stage: ${stage.en}</span>`)}
${row('截止', html`<strong style="color:#8a1c1c">${deadline.zh}</strong><br><span style="color:#555">Deadline: ${deadline.en}</span>`)}
${row('活动', html`${input.campaignName.zh}<br><span style="color:#555">${input.campaignName.en}</span>`)}
</table>
</div>
<p style="font-size:13px;color:#555;word-break:break-all">查看申报（只读） / View the application (read only):<br>${input.applicationUrl}</p>
<p style="font-size:13px;color:#555">本邮件仅作督办提醒，不含审核链接。<br>A follow-up notice only, without a review link.</p>`;

  return { subject, text, html: page(subject, body) };
}

// ---- applicants ------------------------------------------------------------------------------

export interface ResubmissionReminderInput {
  clusterName: string;
  countyName: string;
  applicationId: string;
  /** The stage that returned it, and who reviews there. */
  stage: StageName;
  jurisdictionName: string;
  reason?: string;
  deadline: string;
  now: string;
  /** The portal's page where the county revises and resubmits it. */
  pageUrl: string;
}

/** To the applicant's contact: the returned application must be resubmitted by the deadline. */
export function resubmissionReminderEmail(input: ResubmissionReminderInput, to: string): Email {
  const stage = STAGE_WORDS[input.stage].title;
  const deadline = beijingTime(input.deadline);
  const left = timeLeft(input.deadline, input.now);
  const because = input.reason ? { zh: `退回原因：${input.reason}`, en: `Reason given: ${input.reason}` } : undefined;
  return {
    to: [to],
    subject: `【中小企业特色产业集群】${input.clusterName}：请在截止前重新提交（${left.zh}） / Resubmit before the deadline (${left.en})`,
    text: [
      `${input.clusterName}（${input.countyName}）`,
      `申报在${input.jurisdictionName}${stage.zh}环节被退回修改，尚未重新提交。请在 ${deadline.zh} 前修改并重新提交（${left.zh}），逾期不予受理。`,
      ...(because ? [because.zh] : []),
      `修改并重新提交：${input.pageUrl}`,
      '',
      '——',
      '',
      `${input.clusterName} (${input.countyName}), application ${input.applicationId}`,
      `The application was returned for revision at the ${stage.en.toLowerCase()} (${input.jurisdictionName}) and has not been resubmitted. Please revise and resubmit it before ${deadline.en} (${left.en}); late resubmissions are not accepted.`,
      ...(because ? [because.en] : []),
      `Revise and resubmit: ${input.pageUrl}`,
      '',
      '本邮件由系统自动发送。 / This email was sent automatically.',
    ].join('\n'),
  };
}

export interface DraftReminderInput {
  clusterName: string;
  countyName: string;
  applicationId: string;
  /** The county's submission deadline (the draft's `dueAt`). */
  deadline: string;
  now: string;
  /** The portal's check before submitting: it names each field and file still missing. */
  submitUrl: string;
}

/**
 * To the county: its draft is not submitted and the submission deadline is near. What is missing
 * is on the portal's check before submitting (the same check the submit runs, against the
 * evidence as it is when opened), not copied into an email that would be stale by the evening.
 */
export function draftReminderEmail(input: DraftReminderInput, to: string[]): Email {
  const deadline = beijingTime(input.deadline);
  const left = timeLeft(input.deadline, input.now);
  return {
    to,
    subject: `【中小企业特色产业集群】${input.clusterName}：草稿尚未提交（${left.zh}） / Draft not yet submitted (${left.en})`,
    text: [
      `${input.clusterName}（${input.countyName}）`,
      `申报草稿尚未提交。县级提交截止时间为 ${deadline.zh}（${left.zh}），逾期不予受理。`,
      `尚缺的申报表内容和佐证材料，见提交前检查页面；补齐后即可在该页面提交：${input.submitUrl}`,
      '',
      '——',
      '',
      `${input.clusterName} (${input.countyName}), application ${input.applicationId}`,
      `The draft has not been submitted. Counties submit by ${deadline.en} (${left.en}); late applications are not accepted.`,
      `What is still missing from the form and the evidence is listed on the check before submitting, where you can submit once it is complete: ${input.submitUrl}`,
      '',
      '本邮件由系统自动发送。 / This email was sent automatically.',
    ].join('\n'),
  };
}

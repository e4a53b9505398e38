/**
 * The emails that ask a stage's reviewers for a decision: the review request, and the sweeper's
 * deadline reminder (with a fresh link to the same review). Chinese first, then English; short
 * lines and one big button, so they read on a phone; a plain-text part with the same content.
 * They carry the review link (with its secret) and never the workflow's task token.
 */
import type { Bilingual } from '../schemas/common.ts';
import type { StageName } from '../ladder/contract.ts';
import { beijingTime, timeLeft } from '../platform/time.ts';
import { STAGE_WORDS } from '../platform/words.ts';
import { STEP_TITLES, type StepKind } from '../rules/steps.ts';
import { html, type SafeHtml } from '../platform/pages/html.ts';
import { oneLanguage } from '../platform/pages/i18n.ts';

export interface ReviewMailInput {
  clusterName: string;
  countyName: string;
  countyCode: string;
  /** The deciding jurisdiction (the city, the province, MIIT). */
  reviewerName: string;
  campaignName: Bilingual;
  stage: StageName;
  /** The level's step this review is (absent or `review`: the stage's review, named by the stage). */
  step?: StepKind;
  round: number;
  /** ISO 8601; shown in Beijing time. */
  deadline: string;
  /** `${PUBLIC_BASE_URL}/v1/reviews/{reviewId}?t=<secret>` */
  link: string;
  /**
   * The level's own documents the step needs (a formal letter, minutes, a sampling record) and
   * the console page where the level files them; `completesByItself` where filing it is the
   * whole step (a formal letter), so the email asks for the document, not for a decision.
   */
  levelDocuments?: { titles: Bilingual[]; pageUrl: string; completesByItself: boolean };
}

/**
 * What the email asks of the level, in short lines (Chinese, then English): a decision, or first
 * (or only) its own documents.
 */
function askLines(input: Pick<ReviewMailInput, 'levelDocuments'>): { zh: string[]; en: string[] } {
  const documents = input.levelDocuments;
  if (!documents) return { zh: ['请审核以下申报。'], en: ['Please review this application.'] };
  const zh = documents.titles.map((t) => t.zh).join('、');
  const en = documents.titles.map((t) => t.en).join(', ');
  return documents.completesByItself
    ? {
        zh: [`本步骤请上传本级的${zh}。`, '校验有效后本步骤自动完成，', '无需在审核页面作出决定。'],
        en: [
          "Upload the level's document for this step:",
          `${en}.`,
          'Once valid, the step completes by itself;',
          'no decision is needed on the review page.',
        ],
      }
    : {
        zh: [`本步骤需要本级的${zh}：`, '请先上传，再在审核页面作出决定。'],
        en: ["This step needs the level's document:", `${en}.`, 'Upload it first, then decide on the page.'],
      };
}

const FRAME_STYLE =
  "max-width:480px;margin:0 auto;padding:16px;font:16px/1.6 system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;color:#1b1b1b";

/** A whole email page around `body`: narrow, large type, readable on a phone. */
export function emailPage(subject: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f4f4f2"><div style="${FRAME_STYLE}">${body}</div></body></html>`.value;
}

export const emailRow = (label: string, value: SafeHtml | string) =>
  html`<tr><td style="padding:6px 0;color:#555;vertical-align:top;white-space:nowrap">${label}</td><td style="padding:6px 0 6px 12px">${value}</td></tr>`;

/** The stage, with the step where it is not the stage's plain review: 省级审核·实地抽查. */
function stageAndStep(input: Pick<ReviewMailInput, 'stage' | 'step'>) {
  const stage = STAGE_WORDS[input.stage].title;
  if (input.step === undefined || input.step === 'review') return stage;
  const step = STEP_TITLES[input.step];
  return { zh: `${stage.zh}·${step.zh}`, en: `${stage.en}: ${step.en}` };
}

function stageAndRound(input: Pick<ReviewMailInput, 'stage' | 'step' | 'round'>) {
  const stage = stageAndStep(input);
  const round = input.round > 1 ? { zh: `（第${input.round}轮）`, en: ` (round ${input.round})` } : { zh: '', en: '' };
  return { zh: `${stage.zh}${round.zh}`, en: `${stage.en}${round.en}` };
}

/** The review's facts as plain-text lines: cluster, county, stage, deadline, campaign. */
export function reviewFactsText(input: Omit<ReviewMailInput, 'reviewerName' | 'link'>): string[] {
  const stage = stageAndRound(input);
  const deadline = beijingTime(input.deadline);
  return [
    `集群 Cluster:`,
    `  ${input.clusterName}`,
    `县(市、区) County:`,
    `  ${input.countyName}（${input.countyCode}）`,
    `阶段 Stage:`,
    `  ${stage.zh}`,
    `  ${stage.en}`,
    `截止 Deadline:`,
    `  ${deadline.zh}`,
    `  ${deadline.en}`,
    `活动 Campaign:`,
    `  ${input.campaignName.zh}`,
  ];
}

/** The review's facts as a card. */
export function reviewCardHtml(input: Omit<ReviewMailInput, 'reviewerName' | 'link'>): SafeHtml {
  const stage = stageAndRound(input);
  const deadline = beijingTime(input.deadline);
  return html`<div style="background:#fff;border-radius:8px;padding:16px">
<p style="margin:0;color:#8a1c1c;font-weight:600">${stage.zh}<br><span style="color:#555;font-weight:400">${stage.en}</span></p>
<h1 style="font-size:20px;line-height:1.3;margin:8px 0 12px">${input.clusterName}</h1>
<table role="presentation" style="border-collapse:collapse;width:100%">
${emailRow('县(市、区)', html`${input.countyName}（${input.countyCode}）<br><span style="color:#555">County</span>`)}
${emailRow('截止', html`<strong style="color:#8a1c1c">${deadline.zh}</strong><br><span style="color:#555">Deadline: ${deadline.en}</span>`)}
${emailRow('活动', html`${input.campaignName.zh}<br><span style="color:#555">${input.campaignName.en}</span>`)}
</table>
</div>`;
}

/** One big button (easy on a phone) to a link's page, and the link spelled out below it. */
export function linkButtonHtml(link: string, label: Bilingual, note: Bilingual = { zh: '', en: '' }): SafeHtml {
  return html`<p style="margin:24px 0"><a href="${link}" style="display:block;padding:16px;background:#8a1c1c;color:#ffffff;text-align:center;border-radius:8px;font-size:18px;font-weight:600;text-decoration:none">${label.zh}<br><span style="font-size:15px;font-weight:400">${label.en}</span></a></p>
<p style="font-size:13px;color:#555;word-break:break-all">${note.zh}如按钮无法点击，请复制此链接 / ${note.en}If the button does not work, copy this link:<br>${link}</p>`;
}

/** The big button to the review page, the link spelled out, and the link's rules. */
export function reviewButtonHtml(link: string, note: Bilingual = { zh: '', en: '' }): SafeHtml {
  return html`${linkButtonHtml(link, { zh: '打开审核页面', en: 'Open the review page' }, note)}
<p style="font-size:13px;color:#555">逾期不予受理：截止后链接失效。<br>After the deadline the link stops working.<br>此链接仅供您使用，请勿转发。<br>This link is for you alone; do not forward it.</p>`;
}

export function reviewRequestEmail(input: ReviewMailInput): { subject: string; text: string; html: string } {
  const stage = stageAndStep(input);
  const subject = `【待审核】${input.clusterName}｜${stage.zh} / Review requested: ${stage.en}`;

  const ask = askLines(input);
  const documents = input.levelDocuments;
  const text = [
    `${input.reviewerName}：`,
    '',
    ...ask.zh,
    ...ask.en,
    '',
    ...reviewFactsText(input),
    '',
    ...(documents ? ['上传本级文件 File the level documents:', documents.pageUrl, ''] : []),
    '打开审核页面 Open the review page:',
    input.link,
    '',
    '逾期不予受理：截止后链接失效。',
    'After the deadline the link stops working.',
    '此链接仅供您使用，请勿转发。',
    'This link is for you alone; do not forward it.',
  ].join('\n');

  const body = html`<p style="margin:0 0 8px">${input.reviewerName}：</p>
<p style="margin:0 0 16px">${ask.zh.join('')}<br><span style="color:#555">${ask.en.join(' ')}</span></p>
${reviewCardHtml(input)}
${
  documents
    ? html`<p style="margin:24px 0 0"><a href="${documents.pageUrl}" style="display:block;padding:16px;background:#ffffff;color:#8a1c1c;border:2px solid #8a1c1c;text-align:center;border-radius:8px;font-size:18px;font-weight:600;text-decoration:none">上传本级文件<br><span style="font-size:15px;font-weight:400">File the level documents</span></a></p>`
    : ''
}
${reviewButtonHtml(input.link)}`;

  return { subject, text, html: emailPage(subject, body) };
}

// ---- the reminder --------------------------------------------------------------------------

export interface ReviewReminderInput extends ReviewMailInput {
  /** When the reminder is written (ISO 8601): the time left is counted from it. */
  now: string;
}

/** To the stage's reviewers: the review still waits; a fresh link to the same review. */
export function reviewReminderEmail(input: ReviewReminderInput): { subject: string; text: string; html: string } {
  const stage = STAGE_WORDS[input.stage].title;
  const deadline = beijingTime(input.deadline);
  const left = timeLeft(input.deadline, input.now);
  const subject = `【审核提醒·${left.zh}】${input.clusterName}｜${stage.zh} / Reminder: review due, ${left.en}`;

  const text = [
    `${input.reviewerName}：`,
    '',
    `以下申报尚待审核，截止时间 ${deadline.zh}，${left.zh}。逾期不予受理。`,
    `This application still waits for your review. Deadline: ${deadline.en}; ${left.en}. Late decisions are not accepted.`,
    '',
    ...reviewFactsText(input),
    '',
    '打开审核页面（新链接，此前的链接仍然有效） Open the review page (a new link; earlier links still work):',
    input.link,
    '',
    '此链接仅供您使用，请勿转发。',
    'This link is for you alone; do not forward it.',
  ].join('\n');

  const body = html`<p style="margin:0 0 8px">${input.reviewerName}：</p>
<p style="margin:0 0 16px">以下申报尚待审核，<strong style="color:#8a1c1c">${left.zh}</strong>。<br><span style="color:#555">This application still waits for your review: ${left.en}.</span></p>
${reviewCardHtml(input)}
${reviewButtonHtml(input.link, { zh: '新链接，此前的链接仍然有效。', en: 'A new link; earlier links still work. ' })}`;

  return { subject, text, html: emailPage(subject, body) };
}

// ---- an application waiting over a full quota -------------------------------------------------

export interface QuotaFullMailInput extends Omit<ReviewMailInput, 'link' | 'levelDocuments'> {
  /** The refusal the approval met, `<中文> / <English>` (QuotaExceededError's words, as the review page shows them). */
  refusal: string;
  /** The level's signed-in inbox, where the row is marked and the ranking says who holds the slots. */
  inboxUrl: string;
}

/**
 * To the level's reviewers, once, when the formal letter they filed could not complete a step
 * because the quota it takes is full: the step did not go on by itself as the request email said
 * it would; the application waits at the letter step until a slot comes free or the level rejects
 * it. It names the refusal and links the inbox (no review link: nothing here needs its secret).
 */
export function quotaFullEmail(input: QuotaFullMailInput): { subject: string; text: string; html: string } {
  const stage = stageAndStep(input);
  const subject = `【名额已满·未自动完成】${input.clusterName}｜${stage.zh} / Quota full, step not completed: ${stage.en}`;
  const refusal = { zh: oneLanguage('zh', input.refusal), en: oneLanguage('en', input.refusal) };
  const said = {
    zh: '本级正式推荐文件已校验有效，但以下申报的推荐名额已满，本步骤未能自动完成，仍在等待。',
    en: "The level's formal letter is valid, but the quota this application's forwarding takes is full: the step did not complete by itself, and the application waits.",
  };
  const text = [
    `${input.reviewerName}：`,
    '',
    said.zh,
    said.en,
    '',
    refusal.zh,
    refusal.en,
    '',
    ...reviewFactsText(input),
    '',
    '查看待办与专家评审排名 Open the inbox and the ranking:',
    input.inboxUrl,
  ].join('\n');

  const body = html`<p style="margin:0 0 8px">${input.reviewerName}：</p>
<p style="margin:0 0 16px">${said.zh}<br><span style="color:#555">${said.en}</span></p>
<p style="margin:0 0 16px;color:#8a1c1c;font-weight:600">${refusal.zh}<br><span style="color:#555;font-weight:400">${refusal.en}</span></p>
${reviewCardHtml(input)}
${linkButtonHtml(input.inboxUrl, { zh: '查看待办与排名', en: 'Open the inbox and the ranking' })}`;

  return { subject, text, html: emailPage(subject, body) };
}

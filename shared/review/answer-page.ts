/**
 * The pages a browser sees after posting one of the review page's forms: the decision (the JSON
 * answer, as the one error mapper made it, rendered for a person) and the cancellation request;
 * and a recorded decision as both these and the review page show it. Apart from the review page,
 * because they render answers, not the review.
 */
import * as z from 'zod';
import {
  CRITERION_TITLES,
  type Criterion,
  TYPICAL_CASE_ASPECT_TITLES,
  type TypicalCaseAspect,
} from '../rules/criteria.ts';
import type { Bilingual, Track } from '../schemas/common.ts';
import type { DecisionKind, StageName as ReviewStage } from '../ladder/contract.ts';
import { beijingTime } from '../platform/time.ts';
import { DECISION_WORDS } from '../platform/words.ts';
import { html, type SafeHtml } from '../platform/pages/html.ts';
import { refusalText } from '../platform/pages/refusal.ts';
import { revocationLinkResult } from '../revocation/review-form.ts';
import { notice, type PageResult } from './page-frame.ts';
import type { DecisionView } from './views.ts';
import { jsonOrUndefined } from '../platform/parse.ts';
import { oneLanguage } from '../platform/pages/i18n.ts';

/**
 * The decision's choices as the deciding level means them. Below MIIT an approval recommends
 * onward; MIIT's ends the ladder: it recognises a recommended cluster, retains a re-reviewed one,
 * selects a typical case (入选 / 未入选, docs/typical-cases.md). The values sent stay the same.
 */
const MIIT_CHOICES: Readonly<Record<Track, Record<'approve' | 'reject', Bilingual>>> = {
  recommendation: { approve: { zh: '认定', en: 'Recognise' }, reject: { zh: '不予认定', en: 'Do not recognise' } },
  rereview: {
    approve: { zh: '复核通过', en: 'Pass the re-review' },
    reject: { zh: '复核不通过', en: 'Fail the re-review' },
  },
  'typical-case': { approve: { zh: '入选', en: 'Select' }, reject: { zh: '未入选', en: 'Do not select' } },
};

export function decisionChoices(stage: ReviewStage, track: Track): Record<DecisionKind, Bilingual> {
  const below = {
    approve: DECISION_WORDS.approve.title,
    return: DECISION_WORDS.return.title,
    reject: DECISION_WORDS.reject.title,
  };
  return stage === 'miit' ? { ...below, ...MIIT_CHOICES[track] } : below;
}

/** An API message written once in both languages (`<中文> / <English>`), as this bilingual page speaks. */
export const bothLanguages = (message: string) => {
  const zh = oneLanguage('zh', message);
  const en = oneLanguage('en', message);
  return zh === en ? html`${message}` : html`${zh} <span class="en">${en}</span>`;
};

/** A recorded decision: what, why, the weighted score and the scores, and when. */
export function decisionSummary(decision: DecisionView): SafeHtml {
  const title = decisionChoices(decision.stage, decision.track)[decision.decision];
  const when = beijingTime(decision.decidedAt);
  return html`<dl>
<dt>决定 <span class="en">Decision</span></dt><dd><strong>${title.zh}</strong> <span class="en">${title.en}</span></dd>
${decision.reason ? html`<dt>原因 <span class="en">Reason</span></dt><dd>${decision.reason}</dd>` : ''}
${decision.weightedScore !== undefined ? html`<dt>加权得分 <span class="en">Weighted score</span></dt><dd>${decision.weightedScore}</dd>` : ''}
<dt>时间 <span class="en">When</span></dt><dd>${when.zh}<br><span class="en">${when.en}</span></dd>
</dl>${
    decision.scores
      ? html`<table><tr><th>标准 <span class="en">Criterion</span></th><th>得分 <span class="en">Score</span></th></tr>${Object.entries(
          decision.scores,
        ).map(
          ([id, score]) =>
            html`<tr><td>${(CRITERION_TITLES[id as Criterion] ?? TYPICAL_CASE_ASPECT_TITLES[id as TypicalCaseAspect])?.zh ?? id}</td><td>${score}</td></tr>`,
        )}</table>`
      : ''
  }`;
}

const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.looseObject({ field: z.string().optional(), message: z.string() })).optional(),
  }),
});

/** What the page says once a decision is recorded. */
export const DECISION_RECORDED: Bilingual = { zh: '决定已记录', en: 'Decision recorded' };

const RESULT_TITLES: Readonly<Record<number, Bilingual>> = {
  200: DECISION_RECORDED,
  400: { zh: '请补充或更正', en: 'Please complete or correct' },
  403: { zh: '审核链接无效', en: 'This review link is not valid' },
  409: { zh: '无法记录该决定', en: 'The decision cannot be recorded' },
  410: { zh: '审核已结束', en: 'This review has ended' },
};

const NOT_YOURS: Bilingual = { zh: '无权审核该申报', en: 'This review is not yours to decide' };

/**
 * What a decision's answer (status and JSON body as the one error mapper made them) says to a
 * person: the title, and the recorded decision or why none was recorded (a decision already
 * taken shows it). The link's page and the console's frame it each their own way.
 */
export function decisionResultContent(result: { statusCode: number; body: string }): {
  title: Bilingual;
  lines: SafeHtml[];
} {
  const parsed = jsonOrUndefined(result.body);
  const error = ErrorBodySchema.safeParse(parsed);
  // A signed-in reviewer refused by the rules, not a bad link.
  const title = (error.success && error.data.error.code === 'FORBIDDEN'
    ? NOT_YOURS
    : RESULT_TITLES[result.statusCode]) ?? { zh: '出错了，请稍后再试', en: 'Something went wrong; try again later' };
  const lines: SafeHtml[] = [];
  if (result.statusCode === 200) return { title, lines: [decisionSummary(parsed as DecisionView)] };
  if (error.success && result.statusCode < 500) {
    // The details say what to do, in Chinese and English, as this page speaks both (refusalText).
    const shown = refusalText(error.data.error.message, error.data.error.details);
    if (shown.details)
      lines.push(html`<ul>${shown.details.map((d) => html`<li>${bothLanguages(d.message)}</li>`)}</ul>`);
    else lines.push(html`<p>${shown.message}</p>`);
    const recorded = shown.details?.find((d) => typeof d.decision === 'object' && d.decision !== null)?.decision;
    if (recorded) lines.push(decisionSummary(recorded as DecisionView));
  }
  return { title, lines };
}

/**
 * The page a browser sees after posting the review form: the JSON answer (status and body as the
 * one error mapper made them) rendered for a person, with a way back to the form.
 */
export function renderDecisionResult(
  result: { statusCode: number; body: string },
  context: { reviewId: string; secret?: string },
): PageResult {
  const { title, lines } = decisionResultContent(result);
  const back =
    context.secret && result.statusCode !== 403
      ? html`<a class="back" href="../${encodeURIComponent(context.reviewId)}?t=${encodeURIComponent(context.secret)}">返回审核页面 <span class="en">Back to the review page</span></a>`
      : html``;
  return notice(result.statusCode, title, [...lines, back]);
}

/** The link page's cancellation request (shared/revocation/review-form.ts), answered as a page. */
export function renderRevocationResult(
  result: { statusCode: number; body: string },
  context: { reviewId: string; secret?: string },
): PageResult {
  const { title, lines } = revocationLinkResult(result);
  const back = context.secret
    ? html`<a class="back" href="../${encodeURIComponent(context.reviewId)}?t=${encodeURIComponent(context.secret)}">返回审核页面 <span class="en">Back to the review page</span></a>`
    : html``;
  return notice(result.statusCode, title, [...lines, back]);
}

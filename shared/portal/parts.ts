/**
 * What the portal's pages share: its site in the page frame, the ladder an application climbs,
 * the next deadline with its countdown, the flash line after an action, and the styles.
 */
import type { Principal } from '../platform/auth/principal.ts';
import type { ApiRequest } from '../platform/http/handler.ts';
import { langOf, oneLanguage, type Word } from '../platform/pages/i18n.ts';
import {
  html,
  type PageContext,
  pageContext,
  PORTAL_BASE,
  type SafeHtml,
  type Site,
} from '../platform/pages/layout.ts';
import { timeLeft } from '../platform/time.ts';
import { EDITABLE_STATUSES } from '../intake/drafts.ts';
import type { ReviewStage } from '../rules/jurisdictions.ts';
import { contactWords, DEADLINE_WORDS } from './deadline-words.ts';
import { STAGE_WORDS } from '../platform/words.ts';
import type { StageName } from '../rules/jurisdictions.ts';
import { placeName, reviewChain } from '../rules/jurisdictions.ts';
import { type ApplicationStatus, type Bilingual, ENDED_STATUSES } from '../schemas/common.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import { colon } from '../platform/pages/punctuation.ts';

/** The portal in the shared page frame: its own base, name and home. */
export const PORTAL_SITE: Site = { base: PORTAL_BASE, brand: 'portal', home: '' };

export function portalContext(request: Pick<ApiRequest, 'query' | 'principal'>, page: string): PageContext {
  return pageContext(langOf(request.query), page, request.query, request.principal, PORTAL_SITE);
}

/** Where the portal's forms post (absolute paths; the CSP allows this site's only). */
export const portalAction = (ctx: PageContext, applicationId: string | undefined, action: string): string => {
  const path = applicationId ? `${PORTAL_BASE}/applications/${applicationId}/${action}` : `${PORTAL_BASE}/applications`;
  return `${path}${ctx.lang === 'en' ? '?lang=en' : ''}`;
};

/** The statuses in which the application is at each review stage. */
const STAGE_OF_STATUS: Partial<Record<ApplicationStatus, StageName>> = {
  CITY_REVIEW: 'city',
  PROVINCE_REVIEW: 'province',
  MIIT_REVIEW: 'miit',
  PUBLIC_NOTICE: 'miit',
};

type StepState = 'done' | 'current' | 'stopped' | 'ahead';

const STEP_WORDS: Readonly<Record<Exclude<StepState, 'ahead'>, Word>> = {
  done: 'stepDone',
  current: 'stepCurrent',
  stopped: 'stepStopped',
};

/**
 * MIIT's outcome of a typical case, named on MIIT's step: 入选 or 未入选. Not selecting a case is
 * no rejection, so not "ended here" (docs/typical-cases.md).
 */
const SELECTION_WORDS: Partial<Record<ApplicationStatus, Bilingual>> = {
  SELECTED: { zh: '入选', en: 'selected' },
  NOT_SELECTED: { zh: '未入选', en: 'not selected' },
};

/** County → city → province → MIIT, each step done, current, where it ended, or ahead. */
export function ladder(
  ctx: PageContext,
  application: Pick<ApplicationRecord, 'countyCode' | 'status' | 'stage'>,
): SafeHtml {
  const { say } = ctx;
  const stages = reviewChain(application.countyCode);
  const { status } = application;
  const at = STAGE_OF_STATUS[status] ?? application.stage;
  const index = at === undefined ? -1 : stages.findIndex((stage) => stage.stage === at);
  const county: StepState =
    status === 'DRAFT' || status === 'RETURNED' ? 'current' : status === 'WITHDRAWN' && index < 0 ? 'stopped' : 'done';
  const stateOf = (i: number): StepState => {
    if (status === 'RECOGNIZED' || status === 'SELECTED') return 'done';
    if (status === 'DRAFT' || status === 'SUBMITTED') return 'ahead';
    if (i < index) return 'done';
    if (i > index) return 'ahead';
    if (status === 'RETURNED') return 'ahead';
    return ENDED_STATUSES.has(status) ? 'stopped' : 'current';
  };
  const step = (title: string, place: string, state: StepState, outcome?: Bilingual) =>
    html`<li class="step ${state}"${state === 'current' ? html` aria-current="step"` : ''}><strong>${title}</strong> <span class="note">${place}</span>${
      state === 'ahead' ? '' : html` <span class="tag">${say(outcome ?? STEP_WORDS[state])}</span>`
    }</li>`;
  const selection = SELECTION_WORDS[status];
  return html`<ol class="ladder" aria-label="${say('ladder')}">${step(say('ladderCounty'), placeName(application.countyCode) ?? application.countyCode, county)}${stages.map(
    (stage, i) =>
      step(say(STAGE_WORDS[stage.stage].title), stage.name, stateOf(i), stage.stage === 'miit' ? selection : undefined),
  )}</ol>`;
}

/** The deadline with its countdown ("剩余约 3 天"), or nothing once the application has ended. */
export function deadline(
  ctx: PageContext,
  application: Pick<ApplicationRecord, 'status' | 'dueAt'>,
  now: Date,
): SafeHtml | string {
  if (ENDED_STATUSES.has(application.status)) return '';
  const passed = Date.parse(application.dueAt) < now.getTime();
  return html`<p class="deadline${passed ? ' late' : ''}"><span>${ctx.say('nextDeadline')}${colon(ctx.lang)}</span><time datetime="${application.dueAt}">${ctx.when(application.dueAt)}</time> · <strong>${ctx.say(timeLeft(application.dueAt, now.toISOString()))}</strong></p>`;
}

/**
 * Whether the county may still change, upload to and submit it: an editable status, before its
 * deadline. Past the deadline nothing it sends is accepted (逾期不予受理), so no page offers it.
 */
export function openToCounty(application: Pick<ApplicationRecord, 'status' | 'dueAt'>, now: Date): boolean {
  return EDITABLE_STATUSES.includes(application.status) && now.getTime() <= Date.parse(application.dueAt);
}

type LateApplication = Pick<ApplicationRecord, 'status' | 'dueAt' | 'stage' | 'decisionReason'> & {
  reviewChain: readonly Pick<ReviewStage, 'stage' | 'name'>[];
};

/**
 * 逾期不予受理, at the top of the county's pages once a deadline has passed: an application that
 * ended OVERDUE (why, in the page's language), or a draft or returned application whose deadline
 * passed before the ladder closed it; each with what is left to the county and whom to ask (the
 * level that answers for the stage: for a draft, the first level it would have gone to).
 */
export function lateSection(ctx: PageContext, application: LateApplication, now: Date): SafeHtml | string {
  const ended = application.status === 'OVERDUE';
  if (!ended && !(EDITABLE_STATUSES.includes(application.status) && !openToCounty(application, now))) return '';
  const reason = ended && application.decisionReason ? oneLanguage(ctx.lang, application.decisionReason) : '';
  return html`<section class="problem late-notice" id="late" role="alert"><h2>${ctx.say(DEADLINE_WORDS.overdueTitle)}</h2>
${reason ? html`<p class="reason">${reason}</p>` : ''}<p class="note">${ctx.say(DEADLINE_WORDS.deadlinePassedAt)}${colon(ctx.lang)}<time datetime="${application.dueAt}">${ctx.when(application.dueAt)}</time></p>
${lateAdvice(ctx, application)}</section>`;
}

/** What is left to the county once its application is late, and whom to ask. */
export function lateAdvice(ctx: PageContext, application: LateApplication): SafeHtml {
  const level =
    application.status === 'DRAFT'
      ? application.reviewChain[0]
      : application.reviewChain.find((stage) => stage.stage === application.stage);
  const left = application.status === 'OVERDUE' ? DEADLINE_WORDS.endedWhatIsLeft : DEADLINE_WORDS.lateWhatIsLeft;
  return html`<p class="left">${ctx.say(left)}</p>${level ? html`<p class="contact">${ctx.say(contactWords(level.name))}</p>` : ''}`;
}

const FLASH: Readonly<Record<string, Word>> = {
  created: 'created',
  saved: 'saved',
  submitted: 'submitted',
  withdrawn: 'withdrawn',
  withdrawnDraft: 'withdrawnDraft',
};

/** The line that confirms what was just done (`?done=saved` after the 303). */
export function flash(ctx: PageContext, query: Record<string, string>): SafeHtml | string {
  const done = query.done;
  const word = done !== undefined && Object.hasOwn(FLASH, done) ? FLASH[done] : undefined;
  return word ? html`<p class="flash ok" role="status">${ctx.say(word)}</p>` : '';
}

/** Only the county's own applicant uses the portal. */
export const isApplicant = (principal: Principal | undefined): principal is Principal =>
  principal?.role === 'applicant';

/** The portal's own styles, after the frame's (constants: the CSP allows no other). */
export const PORTAL_STYLE = `
.cards{list-style:none;margin:0;padding:0}
.cards>li{border-top:1px solid #eee;padding:.6rem 0}
.cards h3{margin:0 0 .25rem;font-size:1rem}
.ladder{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem .5rem;margin:.35rem 0;padding:0;font-size:.9em}
.ladder .step{padding:.15rem .5rem;border-radius:.3rem;background:#f1f1ef}
.ladder .step.done{background:#e8f3e8}
.ladder .step.current{background:#8a1c1c;color:#fff}
.ladder .step.current .note{color:#fde}
.ladder .step.stopped{background:#fdf1f1;color:#8a1c1c}
.tag{font-size:.8em}
.deadline{margin:.25rem 0}
.flash{border-left:4px solid #1b5e20;background:#eef6ee;padding:.4rem .75rem;border-radius:.3rem}
.returned{border-left:4px solid #8a1c1c;background:#fdf1f1}
.returned .reason{font-size:1.05em;font-weight:600;white-space:pre-wrap}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
a.button.secondary,button.secondary{background:#555}
fieldset{border:1px solid #ddd;border-radius:.5rem;margin:0 0 1rem;padding:.5rem .75rem;min-width:0;background:#fff}
legend{font-weight:600;padding:0 .25rem}
.field{margin:.6rem 0}
.field label{margin:0 0 .2rem}
.field input,.field select,.field textarea{display:block;width:100%;max-width:40rem;font:inherit;padding:.4rem .5rem;border:1px solid #bbb;border-radius:.35rem;background:#fff}
.field textarea{min-height:7rem;font:inherit;word-break:normal}
.field input[type=checkbox]{display:inline-block;width:1.5rem;height:1.5rem;margin:.2rem 0}
.field.locked .label{font-weight:600;margin:0 0 .2rem}
.field.locked .value{margin:0;padding:.2rem 0;word-break:break-word}
.field .unit{font-weight:400;color:#555;font-size:.9em}
.field .help{color:#555;font-size:.85em;margin:.15rem 0 0}
.field .error{color:#8a1c1c;font-size:.9em;margin:.2rem 0 0;font-weight:600}
.field .warn{color:#7a4b00;font-size:.9em;margin:.2rem 0 0}
.field.invalid input,.field.invalid textarea,.field.invalid select{border:2px solid #8a1c1c}
.warnings li{color:#7a4b00}
ul.problems li{margin:.25rem 0}
dl.facts{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.25rem .75rem;margin:0}
dl.facts dt{color:#555}
dl.facts dd{margin:0;min-width:0;word-break:break-word}
@media (max-width:40rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.35rem}}
`;

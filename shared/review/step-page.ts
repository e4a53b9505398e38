/**
 * The review page's parts for the level's declared steps (shared/rules/steps.ts): the level's
 * sequence with the step under review marked, and the step's own part of the decision form (the
 * formal check's points as pass/fail, sampling yes/no with a note, which level document an
 * approval needs and where the level files it). page.ts places them; step-gates.ts checks what
 * the form sends. Every value goes through the `html` tag, which escapes it.
 */
import { html, type SafeHtml } from '../platform/pages/html.ts';
import { oneLanguage } from '../platform/pages/i18n.ts';
import type { LevelDocumentKind } from '../ports/steps.ts';
import { STEP_TITLES, type Step, type StepKind } from '../rules/steps.ts';

/** What the review page knows of the step under review. */
export interface StepView {
  /** The level's sequence, in order. */
  sequence: StepKind[];
  /** The index of the step under review in `sequence`. */
  current: number;
  config: Step;
  /**
   * An expert-panel step: where the level runs its panel (the console, signed in), and how far the
   * panel is (absent: no expert seated yet).
   */
  panel?: { pageUrl: string; closed?: boolean; seated?: number; waiting?: number; aggregate?: number };
  /** The level document an approval needs, and whether the level has filed it (VALID). */
  levelDocument?: { kind: LevelDocumentKind; present: boolean };
  /**
   * The refusal an approval here would meet, in both languages (`<中文> / <English>`): the quota it
   * would take is full. A formal letter filed then does not complete the step.
   */
  quotaFull?: string;
}

/**
 * What a refused decision form sent for the step (`checks`, `sampling`), to draw its answers
 * again; absent on a fresh page.
 */
export interface SentStepAnswers {
  checks?: unknown;
  sampling?: unknown;
}

const entryOf = (group: unknown, key: string): unknown =>
  group !== null && typeof group === 'object' ? (group as Record<string, unknown>)[key] : undefined;
const checkedIf = (on: boolean) => (on ? html` checked` : '');

/** The sequence's list marks the current step; its text, not only its colour, says so. */
export const STEP_STYLE = `
ol.steps{padding-left:1.4rem;margin:.25rem 0}ol.steps li{margin:.2rem 0}
ol.steps li[aria-current]{font-weight:600;color:#8a1c1c}
.check{display:flex;flex-wrap:wrap;gap:.25rem 1rem;border-top:1px solid #eee;padding:.4rem 0}
.check span{flex:1 1 100%}.check label{display:inline-block;margin:0;padding:.4rem 0}
`;

const LEVEL_DOCUMENT_WORDS: Readonly<Record<LevelDocumentKind, { zh: string; en: string }>> = {
  'formal-letter': { zh: '正式推荐文件（盖章）', en: 'the stamped formal letter' },
  'rereview-letter': { zh: '正式复核意见文件（盖章）', en: 'the stamped formal re-review letter' },
  'meeting-minutes': { zh: '会议纪要', en: 'the meeting minutes' },
  'sampling-record': {
    zh: '实地抽查记录（列明抽查的申报）',
    en: 'the sampling record naming the applications sampled',
  },
  'candidate-list': { zh: '拟推荐名单', en: 'the candidate list' },
  'cultivation-measures': { zh: '本级培育举措', en: "the level's cultivation measures" },
};

/** The level's sequence, the step under review marked. */
export function stepSequence(view: StepView): SafeHtml {
  return html`<section id="steps"><h2>本级审核步骤 <span class="en">This level's steps</span></h2><ol class="steps">${view.sequence.map(
    (kind, index) => {
      const title = STEP_TITLES[kind];
      return index === view.current
        ? html`<li aria-current="step">${title.zh}（当前步骤） <span class="en">${title.en} (this step)</span></li>`
        : html`<li>${title.zh} <span class="en">${title.en}</span></li>`;
    },
  )}</ol></section>`;
}

/** The formal check's points, each pass or fail (a failed point is returned or rejected with a reason). */
function formalCheck(step: Extract<Step, { kind: 'formal-check' }>, sent: SentStepAnswers): SafeHtml {
  return html`<fieldset id="formal-check"><legend>形式审查 <span class="en">Formal check</span></legend>
<p class="note">逐项核查；有不通过项的，须退回或不予推荐并说明原因。<span class="en">Check every point; a failed point needs a return or a rejection with its reason.</span></p>${step.points.map(
    (point) =>
      html`<div class="check"><span>${point.title.zh} <span class="en">${point.title.en}</span></span><label><input type="radio" name="checks.${point.id}" value="pass"${checkedIf(entryOf(sent.checks, point.id) === 'pass')}>通过 <span class="en">pass</span></label><label><input type="radio" name="checks.${point.id}" value="fail"${checkedIf(entryOf(sent.checks, point.id) === 'fail')}>不通过 <span class="en">fail</span></label></div>`,
  )}</fieldset>`;
}

/** Sampling: whether this application was sampled, with a note. */
function sampling(step: Extract<Step, { kind: 'sampling' }>, sent: SentStepAnswers): SafeHtml {
  const always = step.when === 'always';
  const sampled = entryOf(sent.sampling, 'sampled');
  const note = entryOf(sent.sampling, 'note');
  return html`<fieldset id="sampling"><legend>实地抽查 <span class="en">On-site sampling</span></legend>
<p class="note">${
    always
      ? html`本级须实地抽查后方可同意。<span class="en">This level samples every application it approves.</span>`
      : html`必要时实地抽查；请说明是否抽查。<span class="en">Sampled when necessary: say whether it was.</span>`
  }</p>
<label class="choice"><input type="radio" name="sampling.sampled" value="true"${checkedIf(sampled === true)}>已实地抽查 <span class="en">Sampled on site</span></label>
${always ? '' : html`<label class="choice"><input type="radio" name="sampling.sampled" value="false"${checkedIf(sampled === false)}>未抽查 <span class="en">Not sampled</span></label>`}
<label for="sampling-note">抽查说明 <span class="en">Note</span></label>
<textarea id="sampling-note" name="sampling.note" rows="2" maxlength="1000">${typeof note === 'string' ? note : ''}</textarea>
</fieldset>`;
}

/** Which level document an approval needs, whether it is filed, and where the level files it. */
function levelDocument(document: NonNullable<StepView['levelDocument']>, completesByItself: boolean): SafeHtml {
  const title = LEVEL_DOCUMENT_WORDS[document.kind];
  // The formal letter's step completes when the letter is valid (recipients.ts): "approve here"
  // would send the level to a form it does not need.
  if (completesByItself) {
    return html`<p id="level-document" class="${document.present ? 'ok' : 'bad'}">${
      document.present
        ? html`${title.zh}：本级已上传并校验通过，本步骤随即自动完成<br><span class="en">${title.en}: filed and valid; this step completes by itself</span>`
        : html`由本级上传${title.zh}（登录控制台“本级文件”上传），校验有效后本步骤自动完成，无需在此同意；退回或不予推荐仍在此办理<br><span class="en">The level files ${title.en} (signed in, under the console's level documents); once it is valid this step completes by itself, with no approval here. A return or a rejection is still made here</span>`
    }</p>`;
  }
  return html`<p id="level-document" class="${document.present ? 'ok' : 'bad'}">${
    document.present
      ? html`${title.zh}：本级已上传并校验通过<br><span class="en">${title.en}: filed and valid</span>`
      : html`同意前须由本级上传${title.zh}（登录控制台“本级文件”上传，经校验有效后即可同意）<br><span class="en">Before approving, the level files ${title.en} (signed in, under the console's level documents); once it is valid, approve here</span>`
  }</p>`;
}

/**
 * The expert panel: how far it is, and where the level seats, replaces and closes it (the console's
 * panel page). Approving is refused until it is closed, so the page says what is left and where.
 */
function expertPanel(panel: StepView['panel']): SafeHtml {
  const state =
    panel?.closed === true
      ? html`<p class="ok">专家评审已结束${
          panel.aggregate !== undefined ? html`，综合得分 ${panel.aggregate}` : ''
        }；请在此作出决定。<br><span class="en">The panel has closed${
          panel.aggregate !== undefined ? html` with an aggregate of ${panel.aggregate}` : ''
        }; decide here.</span></p>`
      : panel?.seated
        ? html`<p class="bad">专家评审尚未结束：在席专家 ${panel.seated} 位，${panel.waiting ?? 0} 位未评分。评分齐全后由本级结束评审，再在此同意。<br><span class="en">The panel is not closed: ${panel.seated} seated, ${panel.waiting ?? 0} not scored yet. Once they have scored, the level closes the panel, then approves here.</span></p>`
        : html`<p class="bad">尚未选派评审专家：由本级在控制台为本申报选派专家，专家通过各自链接评分，评分齐全后结束评审，再在此同意。<br><span class="en">No expert is seated yet: the level seats experts for this application in the console, they score through their own links, the level closes the panel once they have, then approves here.</span></p>`;
  const link = panel
    ? html`<p><a href="${panel.pageUrl}">${panel.closed ? html`查看专家评审结果 <span class="en">See the panel's result</span>` : html`选派专家、结束评审（登录控制台） <span class="en">Seat experts and close the panel (signed in)</span>`}</a></p>`
    : '';
  return html`<div id="expert-panel">${state}${link}</div>`;
}

/** The step's own part of the decision form (nothing for a plain review). */
export function stepForm(view: StepView, sent: SentStepAnswers = {}): SafeHtml | '' {
  const { config } = view;
  const parts: SafeHtml[] = [];
  if (view.quotaFull !== undefined) {
    const zh = oneLanguage('zh', view.quotaFull);
    const en = oneLanguage('en', view.quotaFull);
    parts.push(
      html`<p id="quota-full" class="bad">${zh}${zh === en ? '' : html`<br><span class="en">${en}</span>`}</p>`,
    );
  }
  if (config.kind === 'formal-check') parts.push(formalCheck(config, sent));
  if (config.kind === 'sampling') parts.push(sampling(config, sent));
  if (config.kind === 'expert-panel') parts.push(expertPanel(view.panel));
  // Over a full quota the letter does not complete the step: the page must not say it will.
  if (view.levelDocument)
    parts.push(levelDocument(view.levelDocument, config.kind === 'formal-letter' && view.quotaFull === undefined));
  return parts.length ? html`${parts}` : '';
}

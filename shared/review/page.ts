/**
 * The review page (GET /v1/reviews/{reviewId}?t=…, or with a signed-in reviewer's Bearer token).
 * Chinese first, then English; readable on a phone; no external asset; one inline stylesheet
 * allowed by its hash in a strict Content-Security-Policy, and no script — except on a city
 * review opened by its link, where the evidence uploader (shared/portal/evidence-panel.ts) takes
 * the city's on-site check statement (the console's page draws it too, with its own URLs, under
 * the session: console-review-handler.ts): then its one constant script is allowed by its hash, and
 * connect-src allows this API and the bucket's origin only. The URL holds the link's secret, so
 * nothing is cached and no referrer leaves the page. The frame and its policy are in
 * ./page-frame.ts, the application's form as shown in ./application-parts.ts, and the pages
 * answering the page's forms in ./answer-page.ts.
 *
 * Every interpolated value goes through the `html` tagged template, which escapes it.
 */
import { formDigest } from '../intake/digest.ts';
import type { ErrorDetail } from '../platform/errors.ts';
import { STEP_TITLES } from '../rules/steps.ts';
import type { Bilingual } from '../schemas/common.ts';
import { beijingTime } from '../platform/time.ts';
import { STAGE_WORDS, TRACK_WORDS } from '../platform/words.ts';
import { html, type SafeHtml } from '../platform/pages/html.ts';
import { revocationLinkForm } from '../revocation/review-form.ts';
import { evidencePanel, panelItems } from '../portal/evidence-panel.ts';
import { stepForm, stepSequence } from './step-page.ts';
import type { ReviewPage } from './views.ts';
import { alsoNationalQuestion, alsoNationalRow } from './also-national-parts.ts';
import { bothLanguages, decisionChoices, decisionSummary } from './answer-page.ts';
import { figures, FormViewSchema, narratives, provincialParts } from './application-parts.ts';
import { bi, notice, page, type PageResult } from './page-frame.ts';

const fileSize = (bytes: number | undefined) =>
  bytes === undefined
    ? ''
    : bytes < 1024 * 1024
      ? `${Math.ceil(bytes / 1024)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const GONE_TEXT: Readonly<Record<Extract<ReviewPage, { state: 'gone' }>['why'], Bilingual>> = {
  deadline: { zh: '逾期不予受理：本阶段截止时间已过', en: 'The deadline of this stage has passed' },
  expired: { zh: '该审核已失效', en: 'This review is no longer waiting for a decision' },
  withdrawn: { zh: '申报已撤回', en: 'The application was withdrawn' },
  cancelled: { zh: '申报资格已取消', en: 'The application was cancelled' },
};

/**
 * A decision the desk refused for what the page's form held (no reason to return, a score out of
 * range): the fields as sent, to draw the form again with them, and each error.
 */
export interface RefusedDecision {
  sent: Record<string, unknown>;
  errors: readonly ErrorDetail[];
  /**
   * 409 where the rules refused what the form held as it stands (a full quota): nothing typed
   * mends it, so the page says the decision cannot be recorded and the error says what to do.
   * 400 otherwise.
   */
  status?: 400 | 409;
}

/**
 * Where the review page is drawn, and where its forms go. The emailed link's page (the default)
 * posts relative to its own URL with the link's secret, and files a cancellation request from its
 * own form. The console's (shared/review/console-review-handler.ts) draws the page in the console's frame,
 * whose h1 is the cluster's name: its decision form posts to `decisionAction` with the session
 * cookie, and a cancellation request is filed on the console's own page.
 */
export interface ReviewPagePlace {
  console?: {
    decisionAction: string;
    revocationsUrl: string;
    /** The uploader's three URLs under the session (`remove` holds `{evidenceId}`), as the link's carry its secret. */
    evidenceUrls: { request: string; list: string; remove: string };
  };
}

/** A review that takes no decision, or a link that opens nothing: a title and a few lines. */
export interface ClosedReviewContent {
  statusCode: number;
  title: Bilingual;
  lines: SafeHtml[];
}

/** An open review's page: its title, its body (the frame around it is the caller's) and the uploader's origin. */
export interface OpenReviewContent {
  statusCode: number;
  title: string;
  body: SafeHtml;
  uploadOrigin?: string;
}

/** What the page says of a review it cannot open for a decision: a bad link, a review gone, one decided. */
export function closedReviewContent(model: Exclude<ReviewPage, { state: 'open' }>): ClosedReviewContent {
  switch (model.state) {
    case 'forged':
      return {
        statusCode: 403,
        title: { zh: '审核链接无效', en: 'This review link is not valid' },
        lines: [html`<p>请使用邮件中的完整链接。<br><span class="en">Use the complete link from the email.</span></p>`],
      };
    case 'gone': {
      const deadline = beijingTime(model.review.deadline);
      return {
        statusCode: 410,
        title: GONE_TEXT[model.why],
        lines: [
          html`<p><strong>${model.review.clusterName}</strong></p>`,
          html`<p>${STAGE_WORDS[model.review.stage].title.zh}，截止 ${deadline.zh}<br><span class="en">${STAGE_WORDS[model.review.stage].title.en}, deadline ${deadline.en}</span></p>`,
          model.review.closedReason
            ? html`<p>原因 <span class="en">Reason</span>：${model.review.closedReason}</p>`
            : html``,
        ],
      };
    }
    case 'decided':
      return {
        statusCode: 200,
        title: { zh: '已作出决定', en: 'Already decided' },
        lines: [
          html`<p><strong>${model.review.clusterName}</strong> · ${STAGE_WORDS[model.review.stage].title.zh} <span class="en">${STAGE_WORDS[model.review.stage].title.en}</span></p>`,
          decisionSummary(model.decision),
        ],
      };
  }
}

/**
 * Renders what `ReviewDesk.page` found; decides nothing. With `refused`, the open page answers
 * its own form's POST (…/{reviewId}/decision, one level deeper than the page's URL): status 400,
 * what was sent kept, the errors beside their fields.
 */
export function renderReviewPage(model: ReviewPage, refused?: RefusedDecision): PageResult {
  if (model.state !== 'open') {
    const closed = closedReviewContent(model);
    return notice(closed.statusCode, closed.title, closed.lines);
  }
  const open = openReviewContent(model, refused);
  return page(open.statusCode, open.title, open.body, open.uploadOrigin);
}

/** The open review's page: the application, its evidence and the decision form. */
export function openReviewContent(
  model: Extract<ReviewPage, { state: 'open' }>,
  refused?: RefusedDecision,
  place: ReviewPagePlace = {},
): OpenReviewContent {
  const { review, application, places } = model;
  // The page's own links are relative to its URL: drawn again at …/{reviewId}/decision, one up.
  const here = refused ? '..' : '.';
  const sent = refused?.sent ?? {};
  const sentText = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
  const sentScores: Record<string, unknown> =
    typeof sent.scores === 'object' && sent.scores !== null ? (sent.scores as Record<string, unknown>) : {};
  const errorsOf = (field: string) =>
    (refused?.errors ?? []).filter((e) => e.field === field || e.field?.startsWith(`${field}.`));
  const placed = (e: ErrorDetail) => e.field === 'reason' || e.field === 'scores' || !!e.field?.startsWith('scores.');
  const errorLines = (errors: readonly ErrorDetail[], id?: string) =>
    errors.map(
      (e, i) => html`<p class="field-error"${id && i === 0 ? html` id="${id}"` : ''}>${bothLanguages(e.message)}</p>`,
    );
  const reasonErrors = errorsOf('reason');
  const scoreErrors = errorsOf('scores');
  const stage = STAGE_WORDS[review.stage].title;
  const deadline = beijingTime(review.deadline);
  const form = FormViewSchema.parse(application.form);
  const track = TRACK_WORDS[application.track].title;
  const minutes = Math.round(model.downloadTtlSeconds / 60);

  const stepTitle = STEP_TITLES[model.step.config.kind];
  const header = html`<header>
<p class="stage">${stage.zh} · ${stepTitle.zh} · 第${review.round}轮 <span class="en">${stage.en} · ${stepTitle.en} · round ${review.round}</span></p>
${place.console ? '' : html`<h1>${application.clusterName}</h1>`}
<p>${places.county}（${application.countyCode}）${places.city ? html` · ${places.city}` : ''} · ${places.province}</p>
<p class="deadline">截止 <span class="en">Deadline</span>：<strong>${deadline.zh}</strong><br><span class="en">${deadline.en}</span></p>
</header>`;

  const overview = html`<section><h2>概况 <span class="en">Overview</span></h2><dl>
<dt>主导产业 <span class="en">Leading industry</span></dt><dd>${application.leadingIndustry}</dd>
<dt>细分领域 <span class="en">Sub-sector</span></dt><dd>${application.subSector}</dd>
${alsoNationalRow(application.alsoNational)}
<dt>申报类别 <span class="en">Track</span></dt><dd>${track.zh} <span class="en">${track.en}</span></dd>
<dt>活动 <span class="en">Campaign</span></dt><dd>${model.campaignName.zh}<br><span class="en">${model.campaignName.en}</span></dd>
<dt>审核单位 <span class="en">Reviewer</span></dt><dd>${places.reviewer}</dd>
<dt>申报表摘要 <span class="en">Form digest</span></dt><dd><code id="form-digest">${formDigest(application)}</code><br><span class="en">与盖章申报表上的摘要一致即为同一版本 · matches the digest printed on the stamped form if it is this version</span></dd>
${figures(form)}
</dl></section>`;

  const warnings = model.warnings.length
    ? html`<section class="warn"><h2>门槛提示 <span class="en">Threshold warnings</span></h2><ul>${model.warnings.map(
        (w) => html`<li>${bi(w.message)}</li>`,
      )}</ul><p class="note">仅供参考，由审核单位决定。<span class="en">For information: the reviewer decides.</span></p></section>`
    : '';

  // Upheld objections first: they are why the application is back at this level.
  const objections = model.upheldObjections?.length
    ? html`<section class="warn" id="upheld-objections"><h2>公示异议（已成立） <span class="en">Objections upheld during the public notice</span></h2><ul>${model.upheldObjections.map(
        (o) =>
          html`<li><p>${o.reason}</p><p class="note">${o.organisation ?? ''}${o.name ? html` · ${o.name}` : ''} · ${beijingTime(o.filedAt).zh}${
            o.resolution ? html`<br>认定意见 <span class="en">Triage</span>：${o.resolution}` : ''
          }</p></li>`,
      )}</ul></section>`
    : '';

  // A resubmission: what this level asked for when it returned the application.
  const returns = model.earlierReturns?.length
    ? html`<section class="warn" id="earlier-returns"><h2>此前退回 <span class="en">Returned earlier</span></h2><ul>${model.earlierReturns.map(
        (r) =>
          html`<li data-round="${r.round}"><p>第${r.round}轮退回 <span class="en">Returned in round ${r.round}</span> · ${beijingTime(r.decidedAt).zh}</p><p>原因 <span class="en">Reason</span>：${r.reason ?? '—'}</p></li>`,
      )}</ul><p class="note">请核对本轮修改是否已按退回意见处理。<span class="en">Check that this round answers what was asked.</span></p></section>`
    : '';

  const texts = [...narratives(form), ...provincialParts(model.formAdditions ?? [], application.form)];
  const narrativeSection = texts.length
    ? html`<section><h2>申报内容 <span class="en">The application</span></h2>${texts}</section>`
    : '';

  const evidence = html`<section><h2>佐证材料 <span class="en">Evidence</span></h2>
<p class="note">下载链接${minutes}分钟内有效，过期请刷新本页。<span class="en">Download links work for ${minutes} minutes; reload this page for new ones.</span></p>
<ul class="files">${model.evidence.map(
    (e) =>
      html`<li><span>${e.itemTitle.zh}</span><br>${
        e.downloadUrl
          ? html`<a href="${e.downloadUrl}" rel="noreferrer noopener">${e.fileName}</a>`
          : html`<span>${e.fileName}</span>`
      } <span class="note">${fileSize(e.size)}</span> ${
        e.status === 'VALID'
          ? html`<span class="ok">✓ 校验通过 <span class="en">valid</span></span>${
              e.warnings.length
                ? html`<ul class="warn">${e.warnings.map((w) => html`<li>${bi(w.message)}</li>`)}</ul>`
                : ''
            }`
          : html`<span class="bad">✗ 未通过校验 <span class="en">invalid</span></span><ul>${e.findings.map(
              (f) => html`<li>${bi(f.message)}</li>`,
            )}</ul>`
      }</li>`,
  )}</ul>${model.evidence.length ? '' : html`<p>无 <span class="en">None</span></p>`}</section>`;

  const onSite = model.onSiteStatement
    ? html`<p class="${model.onSiteStatement.present ? 'ok' : 'bad'}">${
        model.onSiteStatement.present
          ? bi({ zh: '现场核查符合性说明：已上传并校验通过', en: 'On-site check statement: present and valid' })
          : bi({
              zh: '现场核查符合性说明：尚未上传，同意推荐前须补充',
              en: 'On-site check statement: missing; required before approving',
            })
      }</p>`
    : '';

  const scoring = model.scoring
    ? html`<fieldset><legend>评分（0–100，可选） <span class="en">Scores (0–100, optional)</span></legend>
<p class="note">评分的，每项均须填写；设专家评审的，由专家评分。<span class="en">If you score, score every criterion; where the level runs an expert panel, the experts score.</span></p>${model.scoring.map(
        (
          c,
        ) => html`<label for="score-${c.id}">${c.title.zh}<br><span class="en">${c.title.en} · 权重 weight ${c.weight}</span></label>
<input id="score-${c.id}" type="number" name="scores.${c.id}" min="0" max="100" step="0.5" inputmode="decimal"${
          sentScores[c.id] !== undefined ? html` value="${sentText(sentScores[c.id])}"` : ''
        }>`,
      )}${errorLines(scoreErrors)}</fieldset>`
    : '';

  const choices = decisionChoices(review.stage, application.track);
  // A refused form's problem goes at the top, where a browser lands after posting (on a phone the
  // form is screens below), with the way down to the form; errors of a field stay beside it.
  const problem = refused
    ? html`<div class="problem" role="alert"><p>${
        refused.status === 409
          ? html`无法记录该决定 <span class="en">The decision cannot be recorded</span>`
          : html`请补充或更正后重新提交 <span class="en">Complete or correct, then submit again</span>`
      }</p>${errorLines(refused.errors.filter((e) => !placed(e)))}<p><a href="#your-decision">转到审核意见 <span class="en">Go to your decision</span></a></p></div>`
    : '';
  const decisionForm = html`<section id="your-decision"><h2>审核意见 <span class="en">Your decision</span></h2>
<form method="post" action="${place.console?.decisionAction ?? `${here}/${review.reviewId}/decision`}" accept-charset="utf-8">
${model.secret !== undefined ? html`<input type="hidden" name="t" value="${model.secret}">` : ''}
<fieldset><legend>决定 <span class="en">Decision</span></legend>${(['approve', 'return', 'reject'] as const).map(
    (kind) =>
      html`<label class="choice"><input type="radio" name="decision" value="${kind}" required${sent.decision === kind ? html` checked` : ''}>${choices[kind].zh} <span class="en">${choices[kind].en}</span></label>`,
  )}</fieldset>
${onSite}
${stepForm(model.step, sent)}
${model.asksAlsoNational ? alsoNationalQuestion(model.asksAlsoNational, model.allowsNationalException === true, sent) : ''}
<label for="reason">原因（${choices.return.zh}或${choices.reject.zh}时必填） <span class="en">Reason (required to return or reject)</span></label>
<textarea id="reason" name="reason" rows="4" maxlength="2000"${
    reasonErrors.length ? html` aria-invalid="true" aria-describedby="reason-error"` : ''
  }>${sentText(sent.reason)}</textarea>
${errorLines(reasonErrors, 'reason-error')}
${scoring}
<button type="submit">提交决定 <span>Submit</span></button>
<p class="note">决定一经提交不可更改。<span class="en">A decision cannot be changed once submitted.</span></p>
</form></section>`;

  // A step that needs the level's own documents: what is on file, and where the level files them.
  const levelDocuments = model.levelDocuments
    ? html`<section id="level-documents"><h2>本步骤需要本级文件 <span class="en">This step needs a document of the level</span></h2><ul>${model.levelDocuments.needs.map(
        (need) =>
          html`<li data-kind="${need.kind}">${need.title.zh} <span class="en">${need.title.en}</span>：${
            need.valid > 0
              ? html`<span class="ok">已报送，校验有效 <span class="en">filed and valid</span></span>`
              : html`<strong class="bad">尚未报送 <span class="en">not filed yet</span></strong>`
          }</li>`,
      )}</ul><p><a href="${model.levelDocuments.pageUrl}">上传本级文件 <span class="en">File the level documents</span></a></p>
${
  model.step.quotaFull === undefined
    ? html`<p class="note">正式推荐文件校验有效后，本步骤自动完成。<span class="en">Once the formal letter is valid, this step completes by itself.</span></p>`
    : ''
}</section>`
    : '';

  const own = model.ownEvidence;
  // The uploader authenticates with the link's secret, in each of its URLs (as the form's hidden
  // field); in the console, with the session cookie its same-site requests carry.
  const secretQuery = model.secret !== undefined ? `?t=${encodeURIComponent(model.secret)}` : undefined;
  const evidenceUrls =
    place.console?.evidenceUrls ??
    (secretQuery !== undefined
      ? {
          request: `${here}/${review.reviewId}/evidence${secretQuery}`,
          list: `${here}/${review.reviewId}/evidence${secretQuery}`,
          remove: `${here}/${review.reviewId}/evidence/{evidenceId}${secretQuery}`,
        }
      : undefined);
  const uploader =
    own && evidenceUrls
      ? evidencePanel({
          lang: 'zh',
          applicationId: application.applicationId,
          items: panelItems(own.items, own.evidence, new Date(own.at)),
          uploader: 'city',
          editable: own.editable,
          urls: evidenceUrls,
        })
      : undefined;

  // Signed in, a cancellation request is filed on the console's page (the link's form carries the secret).
  const revocation = place.console
    ? html`<section id="revocation"><p><a href="${place.console.revocationsUrl}">发现虚假信息？申请取消资格 <span class="en">Found false information? Ask for a cancellation</span></a></p></section>`
    : revocationLinkForm(review.reviewId, model.secret, here);

  return {
    statusCode: refused ? (refused.status ?? 400) : 200,
    title: place.console ? application.clusterName : `${stage.zh}：${application.clusterName}`,
    body: html`${header}${problem}${stepSequence(model.step)}${objections}${returns}${warnings}${overview}${narrativeSection}${evidence}${levelDocuments}${uploader ?? ''}${decisionForm}${revocation}`,
    ...(uploader && own && { uploadOrigin: own.uploadOrigin }),
  };
}

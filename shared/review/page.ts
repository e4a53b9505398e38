/**
 * The review page (GET /v1/reviews/{reviewId}?t=…, or with a signed-in reviewer's Bearer token)
 * and the page answering its form's POST.
 * Chinese first, then English; readable on a phone; no external asset; one inline stylesheet
 * allowed by its hash in a strict Content-Security-Policy, and no script — except on a city
 * review opened by its link, where the evidence uploader (shared/portal/evidence-panel.ts) takes
 * the city's on-site check statement: then its one constant script is allowed by its hash, and
 * connect-src allows this API and the bucket's origin only. The URL holds the link's secret, so
 * nothing is cached and no referrer leaves the page.
 *
 * Every interpolated value goes through the `html` tagged template, which escapes it.
 */
import type { FormAddition } from '../rules/form-additions.ts';
import { formDigest } from '../intake/digest.ts';
import { createHash } from 'node:crypto';
import * as z from 'zod';
import {
  CRITERION_TITLES,
  type Criterion,
  TYPICAL_CASE_ASPECT_TITLES,
  type TypicalCaseAspect,
} from '../rules/criteria.ts';
import { STEP_TITLES } from '../rules/steps.ts';
import type { Bilingual } from '../schemas/common.ts';
import { beijingTime } from '../platform/time.ts';
import { DECISION_WORDS, STAGE_WORDS, TRACK_WORDS } from '../platform/words.ts';
import { html, SafeHtml } from '../platform/pages/html.ts';
import { revocationLinkForm, revocationLinkResult } from '../revocation/review-form.ts';
import { connectOrigin } from '../platform/pages/layout.ts';
import { EVIDENCE_PANEL_STYLE, evidencePanel, panelItems } from '../portal/evidence-panel.ts';
import { UPLOADER_SCRIPT } from '../portal/uploader-script.ts';
import { STEP_STYLE, stepForm, stepSequence } from './step-page.ts';
import type { DecisionView, ReviewPage } from './views.ts';
import { alsoNationalQuestion, alsoNationalRow } from './also-national-parts.ts';

const bi = (text: Bilingual) => html`${text.zh}<br><span class="en">${text.en}</span>`;

// ---- the page frame -----------------------------------------------------------------------

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1b1b1b;background:#f4f4f2}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.3;margin:.25rem 0}
h2{font-size:1.1rem;margin:0 0 .5rem}
section,header{background:#fff;border-radius:.5rem;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.en{color:#555;font-size:.9em}
.stage{color:#8a1c1c;font-weight:600;margin:0}
.deadline strong{color:#8a1c1c}
dl{margin:0}dt{font-weight:600;margin-top:.5rem}dd{margin:0}
ul{padding-left:1.2rem}li{margin:.4rem 0}
.files{list-style:none;padding:0}.files li{border-top:1px solid #eee;padding:.5rem 0}
.files a{display:inline-block;padding:.5rem 0;word-break:break-all}
.ok{color:#1b5e20}.bad{color:#8a1c1c}
.warn{border-left:4px solid #e0a000}
.note{color:#555;font-size:.9em}
details{border-top:1px solid #eee;padding:.4rem 0}summary{cursor:pointer;font-weight:600}
details p{white-space:pre-wrap}
fieldset{border:1px solid #ddd;border-radius:.5rem;margin:0 0 1rem;padding:.5rem 1rem}
.choice{display:block;padding:.6rem 0;font-size:1.05rem}
.choice input{width:1.3rem;height:1.3rem;vertical-align:middle;margin-right:.5rem}
label{display:block;margin:.5rem 0 .25rem}
textarea,input[type=number]{width:100%;font:inherit;padding:.6rem;border:1px solid #bbb;border-radius:.4rem}
button{width:100%;font:inherit;font-size:1.15rem;font-weight:600;padding:1rem;border:0;border-radius:.5rem;background:#8a1c1c;color:#fff}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #eee;padding:.3rem;text-align:left}
a.back{display:block;text-align:center;padding:1rem;background:#fff;border-radius:.5rem}
${STEP_STYLE}`;

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/** No script, no external asset; the one stylesheet by its hash; forms post back to this API only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // The URL holds the link's secret: keep it out of caches and other sites' logs.
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export interface PageResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
const UPLOADER_STYLE = STYLE + EVIDENCE_PANEL_STYLE;
const UPLOADER_STYLE_HASH = sha256(UPLOADER_STYLE);
const UPLOADER_SCRIPT_HASH = sha256(UPLOADER_SCRIPT);

/**
 * The policy of a page with the uploader: its stylesheet and its one script by their hashes;
 * fetch() to this API and the upload's POST to the bucket's origin, nothing else.
 */
export function uploaderContentSecurityPolicy(uploadOrigin: string): string {
  const origin = connectOrigin(uploadOrigin);
  return [
    "default-src 'none'",
    `style-src 'sha256-${UPLOADER_STYLE_HASH}'`,
    `script-src 'sha256-${UPLOADER_SCRIPT_HASH}'`,
    `connect-src 'self' ${origin}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function page(statusCode: number, title: string, body: SafeHtml, uploadOrigin?: string): PageResult {
  const uploader = uploadOrigin !== undefined;
  const document = html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow">
<title>${title}</title><style>${new SafeHtml(uploader ? UPLOADER_STYLE : STYLE)}</style></head>
<body><main>${body}</main>${uploader ? html`<script>${new SafeHtml(UPLOADER_SCRIPT)}</script>` : ''}</body></html>`;
  const headers = uploader
    ? { ...PAGE_HEADERS, 'content-security-policy': uploaderContentSecurityPolicy(uploadOrigin) }
    : { ...PAGE_HEADERS };
  return { statusCode, headers, body: document.value };
}

function notice(statusCode: number, title: Bilingual, lines: SafeHtml[]): PageResult {
  return page(statusCode, `${title.zh} / ${title.en}`, html`<section><h1>${bi(title)}</h1>${lines}</section>`);
}

// ---- the review page ----------------------------------------------------------------------

const percent = (share: number) => `${Number((share * 100).toFixed(1))}%`;

/** The form's figures and narratives, read tolerantly (a field that does not fit is left out). */
const FormViewSchema = z.object({
  areaKm2: z.number().optional().catch(undefined),
  enterpriseCount: z.number().optional().catch(undefined),
  smeCount: z.number().optional().catch(undefined),
  outputByYear: z
    .array(z.object({ year: z.number(), output: z.number() }))
    .optional()
    .catch(undefined),
  smeOutputShare: z.number().optional().catch(undefined),
  leadingIndustryShare: z.number().optional().catch(undefined),
  averageGrowthRate: z.number().optional().catch(undefined),
  criteria: z.record(z.string(), z.string()).optional().catch(undefined),
  aspects: z.record(z.string(), z.string()).optional().catch(undefined),
  summary: z.string().optional().catch(undefined),
  changesSinceRecognition: z.string().optional().catch(undefined),
  contact: z.object({ name: z.string().optional(), phone: z.string().optional() }).optional().catch(undefined),
});

function figures(form: z.infer<typeof FormViewSchema>): SafeHtml[] {
  const rows: [Bilingual, string][] = [];
  if (form.areaKm2 !== undefined) rows.push([{ zh: '集群面积', en: 'Area' }, `${form.areaKm2} km²`]);
  if (form.enterpriseCount !== undefined)
    rows.push([{ zh: '企业数量', en: 'Enterprises' }, String(form.enterpriseCount)]);
  if (form.smeCount !== undefined) rows.push([{ zh: '中小企业数量', en: 'SMEs' }, String(form.smeCount)]);
  for (const { year, output } of [...(form.outputByYear ?? [])].sort((a, b) => a.year - b.year)) {
    rows.push([{ zh: `${year}年产值`, en: `Output ${year}` }, `${output} 亿元`]);
  }
  if (form.smeOutputShare !== undefined)
    rows.push([{ zh: '中小企业产值占比', en: "SMEs' share of output" }, percent(form.smeOutputShare)]);
  if (form.leadingIndustryShare !== undefined)
    rows.push([{ zh: '主导产业占比', en: 'Leading industry share' }, percent(form.leadingIndustryShare)]);
  if (form.averageGrowthRate !== undefined)
    rows.push([{ zh: '年均增速', en: 'Average growth' }, percent(form.averageGrowthRate)]);
  if (form.contact?.name) {
    rows.push([{ zh: '联系人', en: 'Contact' }, `${form.contact.name} ${form.contact.phone ?? ''}`.trim()]);
  }
  return rows.map(([label, value]) => html`<dt>${label.zh} <span class="en">${label.en}</span></dt><dd>${value}</dd>`);
}

function narratives(form: z.infer<typeof FormViewSchema>): SafeHtml[] {
  const parts: [Bilingual, string][] = [];
  for (const [id, text] of Object.entries(form.criteria ?? {})) {
    parts.push([CRITERION_TITLES[id as Criterion] ?? { zh: id, en: id }, text]);
  }
  for (const [id, text] of Object.entries(form.aspects ?? {})) {
    parts.push([TYPICAL_CASE_ASPECT_TITLES[id as TypicalCaseAspect] ?? { zh: id, en: id }, text]);
  }
  if (form.summary) parts.push([{ zh: '案例概述', en: 'Summary' }, form.summary]);
  if (form.changesSinceRecognition) {
    parts.push([{ zh: '认定以来发展情况', en: 'Changes since recognition' }, form.changesSinceRecognition]);
  }
  return parts
    .filter(([, text]) => text.trim() !== '')
    .map(
      ([title, text]) =>
        html`<details><summary>${title.zh} <span class="en">${title.en}</span></summary><p>${text}</p></details>`,
    );
}

/** The fields the county's province adds (Shanxi: contributions), each as the province labels it. */
function provincialParts(additions: readonly FormAddition[], form: Record<string, unknown>): SafeHtml[] {
  const given = z
    .record(z.string(), z.union([z.string(), z.number()]))
    .catch({})
    .parse(form.provincial ?? {});
  return additions.flatMap((addition) => {
    const value = given[addition.id];
    if (value === undefined || String(value).trim() === '') return [];
    const { label, unit } = addition;
    const shown = unit ? `${value} ${unit.zh}` : String(value);
    return [
      html`<details open data-field="form.provincial.${addition.id}"><summary>${label.zh} <span class="en">${label.en}</span></summary><p>${shown}</p></details>`,
    ];
  });
}

const fileSize = (bytes: number | undefined) =>
  bytes === undefined
    ? ''
    : bytes < 1024 * 1024
      ? `${Math.ceil(bytes / 1024)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function decisionSummary(decision: DecisionView): SafeHtml {
  const title = DECISION_WORDS[decision.decision].title;
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

const GONE_TEXT: Readonly<Record<Extract<ReviewPage, { state: 'gone' }>['why'], Bilingual>> = {
  deadline: { zh: '逾期不予受理：本阶段截止时间已过', en: 'The deadline of this stage has passed' },
  expired: { zh: '该审核已失效', en: 'This review is no longer waiting for a decision' },
  withdrawn: { zh: '申报已撤回', en: 'The application was withdrawn' },
  cancelled: { zh: '申报资格已取消', en: 'The application was cancelled' },
};

/** Renders what `ReviewDesk.page` found; decides nothing. */
export function renderReviewPage(model: ReviewPage): PageResult {
  switch (model.state) {
    case 'forged':
      return notice(403, { zh: '审核链接无效', en: 'This review link is not valid' }, [
        html`<p>请使用邮件中的完整链接。<br><span class="en">Use the complete link from the email.</span></p>`,
      ]);
    case 'gone': {
      const deadline = beijingTime(model.review.deadline);
      return notice(410, GONE_TEXT[model.why], [
        html`<p><strong>${model.review.clusterName}</strong></p>`,
        html`<p>${STAGE_WORDS[model.review.stage].title.zh}，截止 ${deadline.zh}<br><span class="en">${STAGE_WORDS[model.review.stage].title.en}, deadline ${deadline.en}</span></p>`,
        model.review.closedReason
          ? html`<p>原因 <span class="en">Reason</span>：${model.review.closedReason}</p>`
          : html``,
      ]);
    }
    case 'decided':
      return notice(200, { zh: '已作出决定', en: 'Already decided' }, [
        html`<p><strong>${model.review.clusterName}</strong> · ${STAGE_WORDS[model.review.stage].title.zh} <span class="en">${STAGE_WORDS[model.review.stage].title.en}</span></p>`,
        decisionSummary(model.decision),
      ]);
    case 'open':
      return openPage(model);
  }
}

function openPage(model: Extract<ReviewPage, { state: 'open' }>): PageResult {
  const { review, application, places } = model;
  const stage = STAGE_WORDS[review.stage].title;
  const deadline = beijingTime(review.deadline);
  const form = FormViewSchema.parse(application.form);
  const track = TRACK_WORDS[application.track].title;
  const minutes = Math.round(model.downloadTtlSeconds / 60);

  const stepTitle = STEP_TITLES[model.step.config.kind];
  const header = html`<header>
<p class="stage">${stage.zh} · ${stepTitle.zh} · 第${review.round}轮 <span class="en">${stage.en} · ${stepTitle.en} · round ${review.round}</span></p>
<h1>${application.clusterName}</h1>
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
<input id="score-${c.id}" type="number" name="scores.${c.id}" min="0" max="100" step="0.5" inputmode="decimal">`,
      )}</fieldset>`
    : '';

  const decisionForm = html`<section><h2>审核意见 <span class="en">Your decision</span></h2>
<form method="post" action="./${review.reviewId}/decision" accept-charset="utf-8">
${model.secret !== undefined ? html`<input type="hidden" name="t" value="${model.secret}">` : ''}
<fieldset><legend>决定 <span class="en">Decision</span></legend>${(['approve', 'return', 'reject'] as const).map(
    (kind) =>
      html`<label class="choice"><input type="radio" name="decision" value="${kind}" required>${DECISION_WORDS[kind].title.zh} <span class="en">${DECISION_WORDS[kind].title.en}</span></label>`,
  )}</fieldset>
${onSite}
${stepForm(model.step)}
${model.asksAlsoNational ? alsoNationalQuestion(model.asksAlsoNational, model.allowsNationalException === true) : ''}
<label for="reason">原因（退回或不予推荐时必填） <span class="en">Reason (required to return or reject)</span></label>
<textarea id="reason" name="reason" rows="4" maxlength="2000"></textarea>
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
<p class="note">正式推荐文件校验有效后，本步骤自动完成。<span class="en">Once the formal letter is valid, this step completes by itself.</span></p></section>`
    : '';

  const own = model.ownEvidence;
  // The uploader authenticates with the link's secret, in each of its URLs (as the form's hidden field).
  const uploader =
    own && model.secret !== undefined
      ? evidencePanel({
          lang: 'zh',
          applicationId: application.applicationId,
          items: panelItems(own.items, own.evidence, new Date(own.at)),
          uploader: 'city',
          editable: own.editable,
          urls: {
            request: `./${review.reviewId}/evidence?t=${encodeURIComponent(model.secret)}`,
            list: `./${review.reviewId}/evidence?t=${encodeURIComponent(model.secret)}`,
            remove: `./${review.reviewId}/evidence/{evidenceId}?t=${encodeURIComponent(model.secret)}`,
          },
        })
      : undefined;

  return page(
    200,
    `${stage.zh}：${application.clusterName}`,
    html`${header}${stepSequence(model.step)}${objections}${warnings}${overview}${narrativeSection}${evidence}${levelDocuments}${uploader ?? ''}${decisionForm}${revocationLinkForm(review.reviewId, model.secret)}`,
    uploader && own ? own.uploadOrigin : undefined,
  );
}

// ---- the answer to the page's form --------------------------------------------------------

const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.looseObject({ field: z.string().optional(), message: z.string() })).optional(),
  }),
});

const RESULT_TITLES: Readonly<Record<number, Bilingual>> = {
  200: { zh: '决定已记录', en: 'Decision recorded' },
  400: { zh: '请补充或更正', en: 'Please complete or correct' },
  403: { zh: '审核链接无效', en: 'This review link is not valid' },
  409: { zh: '无法记录该决定', en: 'The decision cannot be recorded' },
  410: { zh: '审核已结束', en: 'This review has ended' },
};

const NOT_YOURS: Bilingual = { zh: '无权审核该申报', en: 'This review is not yours to decide' };

/**
 * The page a browser sees after posting the review form: the JSON answer (status and body as the
 * one error mapper made them) rendered for a person, with a way back to the form.
 */
export function renderDecisionResult(
  result: { statusCode: number; body: string },
  context: { reviewId: string; secret?: string },
): PageResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.body);
  } catch {
    parsed = undefined;
  }
  const error = ErrorBodySchema.safeParse(parsed);
  // A signed-in reviewer refused by the rules, not a bad link.
  const title = (error.success && error.data.error.code === 'FORBIDDEN'
    ? NOT_YOURS
    : RESULT_TITLES[result.statusCode]) ?? { zh: '出错了，请稍后再试', en: 'Something went wrong; try again later' };
  const back =
    context.secret && result.statusCode !== 403
      ? html`<a class="back" href="../${encodeURIComponent(context.reviewId)}?t=${encodeURIComponent(context.secret)}">返回审核页面 <span class="en">Back to the review page</span></a>`
      : '';
  const lines: SafeHtml[] = [];
  if (result.statusCode === 200) {
    const view = parsed as DecisionView;
    lines.push(decisionSummary(view));
    return notice(200, title, [...lines, back ? html`${back}` : html``]);
  }
  if (error.success && result.statusCode < 500) {
    const details = error.data.error.details ?? [];
    lines.push(html`<p>${error.data.error.message}</p>`);
    if (details.length) lines.push(html`<ul>${details.map((d) => html`<li>${d.message}</li>`)}</ul>`);
    const recorded = details.find((d) => typeof d.decision === 'object' && d.decision !== null)?.decision;
    if (recorded) lines.push(decisionSummary(recorded as DecisionView));
  }
  return notice(result.statusCode, title, [...lines, back ? html`${back}` : html``]);
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

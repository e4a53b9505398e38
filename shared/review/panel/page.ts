/**
 * The expert's page (GET /v1/panels/{reviewId}/seats/{seatId}?t=…), and the page answering its
 * forms. Chinese by default, English with ?lang=en; readable at 375 px; no script, no external
 * asset, one stylesheet by its hash in a strict Content-Security-Policy; the URL holds the seat's
 * secret, so nothing is cached and no referrer leaves the page. Every value goes through `html`.
 *
 * By the seat's state: declare (回避) → the material and the scoring form → the expert's own
 * scores → once closed, every total (unnamed) and the aggregate.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { html, SafeHtml } from '../../platform/pages/html.ts';
import { type Lang, oneLanguage } from '../../platform/pages/i18n.ts';
import { refusalText } from '../../platform/pages/refusal.ts';
import { beijingTime } from '../../platform/time.ts';
import { CRITERION_TITLES, type Criterion } from '../../rules/criteria.ts';
import { SCORE_MAX, SCORE_MIN } from '../../rules/scoring.ts';
import type { Bilingual } from '../../schemas/common.ts';
import { ErrorBodySchema } from '../../schemas/responses.ts';
import type { SeatPage } from './views.ts';
import { jsonOrUndefined } from '../../platform/parse.ts';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1b1b1b;background:#f4f4f2}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.3;margin:.25rem 0}h2{font-size:1.1rem;margin:0 0 .5rem}
section,header{background:#fff;border-radius:.5rem;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.step{color:#8a1c1c;font-weight:600;margin:0}.note{color:#555;font-size:.9em}
nav{text-align:right}nav a{display:inline-block;padding:.5rem}
dl{margin:0}dt{font-weight:600;margin-top:.5rem}dd{margin:0;overflow-wrap:anywhere}
ul{padding-left:1.2rem}li{margin:.4rem 0}
.files{list-style:none;padding:0}.files li{border-top:1px solid #eee;padding:.5rem 0}
.files a{display:inline-block;padding:.5rem 0;word-break:break-all}
details{border-top:1px solid #eee;padding:.4rem 0}summary{cursor:pointer;font-weight:600}details p{white-space:pre-wrap}
fieldset{border:1px solid #ddd;border-radius:.5rem;margin:0 0 1rem;padding:.5rem 1rem}
.choice{display:block;padding:.6rem 0}
.choice input{width:1.3rem;height:1.3rem;vertical-align:middle;margin-right:.5rem}
label{display:block;margin:.5rem 0 .25rem}
textarea,input[type=number]{width:100%;font:inherit;padding:.6rem;border:1px solid #bbb;border-radius:.4rem}
button{width:100%;font:inherit;font-size:1.1rem;font-weight:600;padding:1rem;border:0;border-radius:.5rem;background:#8a1c1c;color:#fff;margin-top:.5rem}
button.quiet{background:#555}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #eee;padding:.3rem;text-align:left}
.mine{font-weight:700}.bad{color:#8a1c1c}
a.back{display:block;text-align:center;padding:1rem;background:#fff;border-radius:.5rem}
`;
const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

export const PANEL_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': [
    "default-src 'none'",
    `style-src 'sha256-${STYLE_HASH}'`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export interface PanelPageResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const WORDS = {
  title: { zh: '专家评审', en: 'Expert panel' },
  forged: { zh: '评审链接无效', en: 'This panel link is not valid' },
  forgedText: {
    zh: '链接无效或不完整，请使用邮件中的完整链接。',
    en: 'The link is invalid or incomplete: use the whole link from the email.',
  },
  replaced: {
    zh: '该评审席位已由其他专家替换，无需您继续评审。',
    en: 'This seat was given to another expert: nothing more is asked of you.',
  },
  recused: { zh: '您已申请回避本项评审。', en: 'You recused from this panel.' },
  late: {
    zh: '本环节已结束或截止时间已过，不再接受声明和评分。',
    en: 'This step has ended or its deadline has passed: no declaration or score is taken.',
  },
  candidate: { zh: '申报集群', en: 'Candidate cluster' },
  place: { zh: '所在地', en: 'Located in' },
  level: { zh: '组织评审', en: 'Panel of' },
  deadline: { zh: '截止时间', en: 'Deadline' },
  declareTitle: { zh: '回避声明', en: 'Conflict of interest' },
  declareText: {
    zh: '查看申报材料前，请声明您与该申报集群无利害关系，或申请回避。',
    en: 'Before you see the material, declare that you have no conflict of interest, or recuse.',
  },
  notFromCounty: { zh: '本人不属于申报集群所在县（市、区）', en: "I am not from the cluster's county" },
  notFromCity: { zh: '本人不属于申报集群所在市（州）', en: "I am not from the cluster's city" },
  noStake: { zh: '本人与申报集群及其企业无利益关联', en: 'I have no stake in the cluster or its firms' },
  declare: { zh: '声明无利害关系，查看材料', en: 'Declare no conflict and see the material' },
  recuseTitle: { zh: '申请回避', en: 'Recuse' },
  reason: { zh: '回避原因', en: 'Reason for recusal' },
  recuse: { zh: '申请回避', en: 'Recuse' },
  material: { zh: '申报材料', en: 'The application' },
  evidence: { zh: '佐证材料', en: 'Evidence' },
  noEvidence: { zh: '暂无已通过校验的佐证材料', en: 'No validated evidence' },
  downloadNote: {
    zh: '下载链接 {n} 分钟内有效，过期请刷新本页。',
    en: 'Download links last {n} minutes; reload the page for new ones.',
  },
  scoreTitle: { zh: '评分（每项 0–100 分）', en: 'Scores (0–100 each)' },
  scoreText: {
    zh: '请独立评分。评分只能提交一次；评审结束前，您看不到其他专家的评分。',
    en: 'Score independently. Scores are submitted once; no one sees the others’ scores until the panel closes.',
  },
  weight: { zh: '权重', en: 'weight' },
  submit: { zh: '提交评分', en: 'Submit scores' },
  scoredTitle: { zh: '您的评分已提交', en: 'Your scores are in' },
  scoredText: { zh: '评审结束后可在此查看评审结果。', en: 'Once the panel closes, its result shows here.' },
  total: { zh: '加权总分', en: 'Weighted total' },
  criterion: { zh: '评价方面', en: 'Criterion' },
  score: { zh: '得分', en: 'Score' },
  closedTitle: { zh: '专家评审已结束', en: 'The panel is closed' },
  aggregate: { zh: '综合得分', en: 'Aggregate' },
  mean: { zh: '各专家加权总分的平均值', en: 'the mean of the experts’ weighted totals' },
  trimmed: { zh: '去掉一个最高分和一个最低分后的平均值', en: 'the mean without the highest and the lowest total' },
  totals: { zh: '各专家总分（不具名）', en: 'Each expert’s total (unnamed)' },
  yours: { zh: '（您的评分）', en: ' (yours)' },
  back: { zh: '返回评审页面', en: 'Back to the panel page' },
  refused: { zh: '未能提交', en: 'Not taken' },
  scoreRange: {
    zh: `请填写 ${SCORE_MIN}–${SCORE_MAX} 之间的分数`,
    en: `enter a score from ${SCORE_MIN} to ${SCORE_MAX}`,
  },
  other: { zh: 'English', en: '中文' },
} as const satisfies Record<string, Bilingual>;

type Say = (word: keyof typeof WORDS | Bilingual) => string;
const sayIn =
  (lang: Lang): Say =>
  (word) => {
    const text = typeof word === 'string' ? WORDS[word] : word;
    return lang === 'en' ? text.en : text.zh;
  };

function frame(statusCode: number, lang: Lang, title: string, body: SafeHtml, switchTo?: string): PanelPageResult {
  const say = sayIn(lang);
  const document = html`<!doctype html>
<html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow">
<title>${title}</title><style>${new SafeHtml(STYLE)}</style></head>
<body><main>${switchTo ? html`<nav><a href="${switchTo}" lang="${lang === 'en' ? 'zh-CN' : 'en'}">${say('other')}</a></nav>` : ''}${body}</main></body></html>`;
  return { statusCode, headers: { ...PANEL_PAGE_HEADERS }, body: document.value };
}

const seatHref = (seatId: string, secret: string, lang: Lang) =>
  `./${encodeURIComponent(seatId)}?t=${encodeURIComponent(secret)}${lang === 'en' ? '&lang=en' : ''}`;

const criterionTitle = (id: string, fallback?: Bilingual): Bilingual =>
  CRITERION_TITLES[id as Criterion] ?? fallback ?? { zh: id, en: id };

const FormViewSchema = z.object({
  criteria: z.record(z.string(), z.string()).optional().catch(undefined),
  aspects: z.record(z.string(), z.string()).optional().catch(undefined),
  summary: z.string().optional().catch(undefined),
});

function scoresTable(
  say: Say,
  criteria: readonly { id: string; title: Bilingual }[],
  own: { scores: Record<string, number>; total: number },
) {
  return html`<table><tr><th>${say('criterion')}</th><th>${say('score')}</th></tr>${criteria.map(
    (c) => html`<tr><td>${say(c.title)}</td><td>${own.scores[c.id] ?? ''}</td></tr>`,
  )}<tr><th>${say('total')}</th><th>${own.total}</th></tr></table>`;
}

/** Renders what the desk found; changes nothing. */
export function renderSeatPage(model: SeatPage, lang: Lang): PanelPageResult {
  const say = sayIn(lang);
  if (model.state === 'forged')
    return frame(
      403,
      lang,
      say('forged'),
      html`<section><h1>${say('forged')}</h1><p>${say('forgedText')}</p></section>`,
    );
  const other: Lang = lang === 'en' ? 'zh' : 'en';
  const switchTo = seatHref(model.seatId, model.secret, other);
  const deadline = beijingTime(model.deadline);
  const head = html`<header><p class="step">${say('title')}</p><h1>${model.clusterName}</h1><dl>
<dt>${say('place')}</dt><dd>${[model.places.city, model.places.county].filter(Boolean).join(' ')}</dd>
<dt>${say('level')}</dt><dd>${model.places.level}</dd>
<dt>${say('deadline')}</dt><dd>${lang === 'en' ? deadline.en : deadline.zh}</dd></dl></header>`;
  const hidden = html`<input type="hidden" name="t" value="${model.secret}">${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}`;
  const action = (what: string) => `./${encodeURIComponent(model.seatId)}/${what}`;
  const body = (() => {
    switch (model.state) {
      case 'replaced':
        return html`<section><p>${say('replaced')}</p></section>`;
      case 'recused':
        return html`<section><p>${say('recused')}</p>${model.reason ? html`<p class="note">${model.reason}</p>` : ''}</section>`;
      case 'late':
        return html`<section><p class="bad">${say('late')}</p></section>`;
      case 'declare':
        return html`<section><h2>${say('declareTitle')}</h2><p>${say('declareText')}</p>
<form method="post" action="${action('declaration')}" accept-charset="utf-8">${hidden}
<input type="hidden" name="declaration" value="no-conflict">
<fieldset><legend>${say('declareTitle')}</legend>
<label class="choice"><input type="checkbox" name="notFromCounty" value="yes" required>${say('notFromCounty')}</label>
<label class="choice"><input type="checkbox" name="notFromCity" value="yes" required>${say('notFromCity')}</label>
<label class="choice"><input type="checkbox" name="noStake" value="yes" required>${say('noStake')}</label>
</fieldset><button type="submit">${say('declare')}</button></form></section>
<section><h2>${say('recuseTitle')}</h2>
<form method="post" action="${action('declaration')}" accept-charset="utf-8">${hidden}
<input type="hidden" name="declaration" value="recuse">
<label for="reason">${say('reason')}</label><textarea id="reason" name="reason" rows="3" maxlength="2000" required></textarea>
<button type="submit" class="quiet">${say('recuse')}</button></form></section>`;
      case 'score': {
        const form = FormViewSchema.parse(model.form);
        const narratives = Object.entries({ ...form.criteria, ...form.aspects }).filter(([, text]) => text.trim());
        return html`<section><h2>${say('material')}</h2><dl>
<dt>${say({ zh: '主导产业', en: 'Leading industry' })}</dt><dd>${model.leadingIndustry}</dd>
<dt>${say({ zh: '细分领域', en: 'Sub-sector' })}</dt><dd>${model.subSector}</dd></dl>
${form.summary ? html`<p>${form.summary}</p>` : ''}
${narratives.map(([id, text]) => html`<details><summary>${say(criterionTitle(id))}</summary><p>${text}</p></details>`)}
</section>
<section><h2>${say('evidence')}</h2>${
          model.evidence.length === 0
            ? html`<p class="note">${say('noEvidence')}</p>`
            : html`<ul class="files">${model.evidence.map(
                (file) =>
                  html`<li>${say(file.itemTitle)}<br>${file.downloadUrl ? html`<a href="${file.downloadUrl}" rel="noreferrer">${file.fileName}</a>` : file.fileName}</li>`,
              )}</ul><p class="note">${say('downloadNote').replace('{n}', String(Math.round(model.downloadTtlSeconds / 60)))}</p>`
        }</section>
<section><h2>${say('scoreTitle')}</h2><p class="note">${say('scoreText')}</p>
<form method="post" action="${action('scores')}" accept-charset="utf-8">${hidden}
${model.criteria.map(
  (c) =>
    html`<label for="s-${c.id}">${say(c.title)} <span class="note">(${say('weight')} ${c.weight})</span></label><input id="s-${c.id}" type="number" name="scores.${c.id}" min="${SCORE_MIN}" max="${SCORE_MAX}" step="any" inputmode="decimal" required>`,
)}
<button type="submit">${say('submit')}</button></form></section>`;
      }
      case 'scored':
        return html`<section><h2>${say('scoredTitle')}</h2>${scoresTable(say, model.criteria, model.own)}<p class="note">${say('scoredText')}</p></section>`;
      case 'closed':
        return html`<section><h2>${say('closedTitle')}</h2><dl><dt>${say('aggregate')}</dt><dd><strong>${model.aggregate}</strong> <span class="note">${say(model.method === 'trimmed-mean' ? 'trimmed' : 'mean')}</span></dd></dl>
<h2>${say('totals')}</h2><ul>${model.totals.map((t) => html`<li class="${t.mine ? 'mine' : ''}">${t.total}${t.mine ? say('yours') : ''}</li>`)}</ul>
${model.own ? scoresTable(say, model.criteria, model.own) : ''}</section>`;
    }
  })();
  return frame(
    200,
    lang,
    `${say('title')}：${model.clusterName}`,
    html`${head}<div data-seat-state="${model.state}">${body}</div>`,
    switchTo,
  );
}

/**
 * The page a browser sees when a form was refused: the error as the one mapper made it, each
 * detail's message, and the way back to the seat's page. (A form taken answers 303 to that page.)
 */
export function renderRefusal(
  result: { statusCode: number; body: string },
  context: { seatId: string; secret?: string; lang: Lang },
): PanelPageResult {
  const say = sayIn(context.lang);
  const parsed = jsonOrUndefined(result.body);
  const error = ErrorBodySchema.safeParse(parsed);
  const back =
    context.secret && result.statusCode !== 403
      ? html`<a class="back" href="../${encodeURIComponent(context.seatId)}?t=${encodeURIComponent(context.secret)}${context.lang === 'en' ? '&lang=en' : ''}">${say('back')}</a>`
      : '';
  // Each detail says what to do, in the page's language (refusalText: the message only without).
  const shown = error.success ? refusalText(error.data.error.message, error.data.error.details) : undefined;
  return frame(
    result.statusCode,
    context.lang,
    say('refused'),
    html`<section><h1>${say('refused')}</h1>${
      shown?.details
        ? html`<ul>${shown.details.map((d) => html`<li>${refusalLine(context.lang, d)}</li>`)}</ul>`
        : shown
          ? html`<p>${oneLanguage(context.lang, shown.message)}</p>`
          : ''
    }</section>${back}`,
  );
}

/**
 * A refused score names its criterion as the form does, in the page's language: the schema's own
 * message names the field by its path (`scores.core-competitiveness`) and, for an empty field,
 * in zod's English. Any other detail is the desk's own bilingual message: its page's half.
 */
function refusalLine(lang: Lang, detail: { field?: string | undefined; message: string }): string {
  const say = sayIn(lang);
  const criterion = detail.field?.startsWith('scores.') ? detail.field.slice('scores.'.length) : undefined;
  const title =
    criterion !== undefined && Object.hasOwn(CRITERION_TITLES, criterion)
      ? CRITERION_TITLES[criterion as Criterion]
      : undefined;
  return title ? `${say(title)}${say({ zh: '：', en: ': ' })}${say('scoreRange')}` : oneLanguage(lang, detail.message);
}

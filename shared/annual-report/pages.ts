/**
 * The annual-report pages: the county's (/portal/annual-reports: each cluster owing the year's
 * report, its upload through the evidence uploader, the figures form) and the console's
 * (/console/annual-reports: the province reviews and forwards; MIIT sees every province). Chinese
 * by default, English with ?lang=en; phone-sized screens too (tables scroll inside their box).
 */
import {
  html,
  type PageAnswer,
  type PageContext,
  renderPage,
  type SafeHtml,
  PORTAL_BASE,
  scroll,
} from '../platform/pages/layout.ts';
import type { ErrorDetail } from '../platform/errors.ts';
import { detailText } from '../portal/detail-words.ts';
import { EVIDENCE_PANEL_STYLE } from '../portal/evidence-panel.ts';
import { UPLOADER_SCRIPT } from '../portal/uploader-script.ts';
import { fileSize, uploaderWords } from '../portal/uploader-words.ts';
import { placeName } from '../rules/jurisdictions.ts';
import { MIME_BY_FILE_TYPE } from '../schemas/common.ts';
import type { CountyView, MiitView, ProvinceView } from './desk.ts';
import type { DutyRow } from './forwarding.ts';
import { removalRefusal } from './removal.ts';
import { type AnnualReportFile, FIGURE_FIELDS, fileForFiling, REPORT_FILE_RULE } from './report.ts';
import { ANNUAL_WORDS as W, FIGURE_WORDS, MISSING_WORDS, STANDING_WORDS } from './words.ts';

export const PORTAL_ANNUAL_PATH = '/portal/annual-reports';
export const CONSOLE_ANNUAL_PATH = '/console/annual-reports';

const STYLE = `
.ar-form label{display:block;margin:.4rem 0 .1rem}
.ar-form .error{color:#8a1c1c;font-size:.9em;margin:.2rem 0 0;font-weight:600}
.ar-form .invalid input,.ar-form .invalid textarea{border:2px solid #8a1c1c}
.ar-form input,.ar-form textarea{width:100%;max-width:32rem;font:inherit;padding:.3rem}
.ar-form textarea{min-height:5rem}
.ar-cluster{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.6rem;margin:.75rem 0}
.ar-standing{font-weight:600}
.ar-filing{display:inline-block;margin-left:.3rem;font-size:.9em}
.ar-fileFiled,.ar-fileTakenOnFiling,.ar-fileTakenOnRefiling{color:#1b5e20}
.ar-fileSuperseded,.ar-fileNotFiled{color:#555;font-weight:400}
.inline{display:inline-flex;flex-wrap:wrap;gap:.3rem;align-items:center;margin:.2rem 0}
.ar-remove{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.3rem 0 0;font-size:.9em}
.ar-remove button{background:#8a1c1c}
.ar-remove .problem{flex-basis:100%}
`;

const EXTENSIONS = { pdf: ['.pdf'], ofd: ['.ofd'], docx: ['.docx'] } as const;

const place = (code: string) => placeName(code) ?? code;
const withLang = (ctx: PageContext, path: string, params: Record<string, string> = {}) => {
  const query = new URLSearchParams({ ...params, ...(ctx.lang === 'en' && { lang: 'en' }) }).toString();
  return query ? `${path}?${query}` : path;
};

function standing(ctx: PageContext, row: DutyRow): SafeHtml {
  return html`<span class="ar-standing" data-standing="${row.standing}">${ctx.say(STANDING_WORDS[row.standing])}</span>`;
}

/**
 * A filing the desk refused: the county's entries as typed, and the refusal's details (each
 * naming `figures.<field>`, or something no field shows: the file, the form itself).
 */
export interface RefusedFiling {
  entryId: string;
  values: Readonly<Record<string, string>>;
  errors: readonly ErrorDetail[];
}

/** A removal the desk refused (the file filed, still being checked, the box not ticked): beside that file. */
export interface RefusedRemoval {
  fileId: string;
  errors: readonly ErrorDetail[];
}

/** What the county's page shows besides the year: when it is drawn, and a refused form's answer. */
export interface CountyPageOptions {
  /** When the page is drawn: a file still being checked is removable only once its upload link expired. */
  now?: Date;
  /** A filing refused: the county's entries kept in that cluster's form, each refusal beside its field. */
  refused?: RefusedFiling & { status: number };
  /** A removal refused: why, beside the file. */
  refusedRemoval?: RefusedRemoval & { status: number };
}

type FigureField = (typeof FIGURE_FIELDS)[number];

/** The figure a detail names (`figures.littleGiants`, or the form's own `littleGiants`), if any. */
const figureOf = (detail: ErrorDetail): FigureField | undefined =>
  FIGURE_FIELDS.find((field) => detail.field === field || detail.field === `figures.${field}`);

/** The refusal's summary above the form: each figure linked to its input, anything else in full. */
function refusalSummary(ctx: PageContext, errors: readonly ErrorDetail[], idOf: (field: string) => string) {
  // As the portal's forms (errorSummary): the refused page's focus starts at the summary, which
  // names the button's own work to do again (报送).
  return html`<section class="problem" id="errors" role="alert" tabindex="-1" autofocus><p><strong>${ctx.say('fixFieldsFile')}</strong></p><ul>${errors.map(
    (detail) => {
      const field = figureOf(detail);
      return html`<li>${field ? html`<a href="#${idOf(field)}">${ctx.say(FIGURE_WORDS[field])}</a>：` : ''}${detailText(ctx, detail)}</li>`;
    },
  )}</ul></section>`;
}

function figuresForm(
  ctx: PageContext,
  view: CountyView,
  row: CountyView['rows'][number],
  refused: RefusedFiling | undefined,
): SafeHtml {
  const saved = row.report?.figures;
  const errors = refused?.errors ?? [];
  const idOf = (field: string) =>
    `f-${field}-${row.entry.entryId.length}-${encodeURIComponent(row.entry.entryId).slice(-12)}`;
  const fields = FIGURE_FIELDS.map((field) => {
    const id = idOf(field);
    const value = refused ? (refused.values[field] ?? '') : saved ? String(saved[field]) : '';
    const long = field === 'mainWork' || field === 'problems';
    const mine = errors.filter((detail) => figureOf(detail) === field);
    const aria = mine.length ? html` aria-invalid="true" aria-describedby="${id}-error"` : '';
    return html`<div class="field${mine.length ? ' invalid' : ''}" data-field="${field}"><label for="${id}">${ctx.say(FIGURE_WORDS[field])}</label>${
      long
        ? html`<textarea id="${id}" name="${field}" required maxlength="3000"${aria}>${value}</textarea>`
        : html`<input id="${id}" name="${field}" type="number" min="0" step="any" inputmode="decimal" required value="${value}"${aria}>`
    }${mine.length ? html`<p class="error" id="${id}-error" role="alert">${ctx.say('fieldError')}${mine.map((d) => detailText(ctx, d)).join('；')}</p>` : ''}</div>`;
  });
  const action = withLang(ctx, `${PORTAL_ANNUAL_PATH}/reports`, { year: String(view.reportYear) });
  const label = row.report ? W.refile : W.submit;
  return html`<form class="ar-form" method="post" action="${action}">
<input type="hidden" name="entryId" value="${row.entry.entryId}">
<h3>${ctx.say(W.figures)}</h3>${errors.length ? refusalSummary(ctx, errors, idOf) : ''}${fields}
<p class="note">${ctx.say(W.uploadFirst)}</p>
<button type="submit">${ctx.say(label)}</button></form>`;
}

/**
 * Which of the cluster's uploads the report carries, said on each VALID one: uploads of the same
 * name (年度报告.pdf twice, or again after a return) are told apart by when they came, and each
 * says whether it is the one filed, the one the next filing takes (the latest VALID:
 * fileForFiling, the desk's own rule), or one that neither will file.
 */
function filingMark(row: CountyView['rows'][number], mayFile: boolean): Map<string, keyof typeof W> {
  const marks = new Map<string, keyof typeof W>();
  const filed = row.report?.file.fileId;
  const next = mayFile ? fileForFiling(row.files)?.fileId : undefined;
  for (const file of row.files) {
    if (file.status !== 'VALID') continue;
    if (file.fileId === filed) marks.set(file.fileId, 'fileFiled');
    else if (file.fileId === next) marks.set(file.fileId, filed ? 'fileTakenOnRefiling' : 'fileTakenOnFiling');
    else marks.set(file.fileId, mayFile ? 'fileSuperseded' : 'fileNotFiled');
  }
  return marks;
}

/**
 * The 删除 form of a file the desk would remove now (removalRefusal: no report carries it, its
 * verdict is in or its link expired), or of the file whose removal was just refused (to say why
 * beside it). Without script: a POST with a box to tick first, as the portal's other acts that
 * cannot be undone ask (the forwarding's and the panel's closing box); refused, focus starts at
 * the reason, which names the file.
 */
function removalForm(
  ctx: PageContext,
  view: CountyView,
  row: CountyView['rows'][number],
  file: AnnualReportFile,
  options: CountyPageOptions,
): SafeHtml | '' {
  const refused = options.refusedRemoval?.fileId === file.fileId ? options.refusedRemoval : undefined;
  const removable = options.now !== undefined && removalRefusal(file, row.report, options.now) === undefined;
  if (!removable && !refused) return '';
  const action = withLang(ctx, `${PORTAL_ANNUAL_PATH}/files/${encodeURIComponent(file.fileId)}/removal`, {
    year: String(view.reportYear),
  });
  const box = `rm-${file.fileId}`;
  const problem = refused
    ? html`<section class="problem" id="errors" role="alert" tabindex="-1" autofocus><p><strong>${ctx.say(W.removeRefused)}</strong> ${file.fileName}</p><ul>${refused.errors.map(
        (detail) => html`<li>${detailText(ctx, detail)}</li>`,
      )}</ul></section>`
    : '';
  return html`<form class="ar-remove" method="post" action="${action}">${problem}${
    removable
      ? html`<label class="choice" for="${box}"><input id="${box}" type="checkbox" name="confirm" value="true" required> ${ctx.say(W.removeConfirm)}</label>
<button type="submit" data-action="remove">${ctx.say(W.remove)}</button>`
      : ''
  }</form>`;
}

function uploaderItem(
  ctx: PageContext,
  view: CountyView,
  row: CountyView['rows'][number],
  open: boolean,
  options: CountyPageOptions,
): SafeHtml {
  const words = uploaderWords(ctx.lang);
  const types = REPORT_FILE_RULE.fileTypes.map((type) => ({
    type,
    ext: EXTENSIONS[type as keyof typeof EXTENSIONS],
    mime: MIME_BY_FILE_TYPE[type],
  }));
  const typeNames = REPORT_FILE_RULE.fileTypes.map((t) => t.toUpperCase()).join(' / ');
  const accept = types.flatMap((t) => [...t.ext, t.mime]).join(',');
  const inputId = `ev-input-${encodeURIComponent(row.entry.entryId).replace(/%/g, '')}`;
  const marks = filingMark(row, open);
  // Removing a file is open with the year (an accepted report's leftovers too); never its filed file.
  const yearOpen = !view.closed && !view.forwarded;
  const files = row.files.map((file) => {
    const mark = marks.get(file.fileId);
    return html`<li class="ev-file" data-evidence-id="${file.fileId}" data-status="${file.status}"${mark ? html` data-filing="${mark}"` : ''}>
<span class="ev-name">${file.fileName}</span> <span class="note">${fileSize(file.size ?? file.declaredSize)} · ${ctx.say(W.uploadedAt)} ${ctx.when(file.requestedAt)}</span>
<span class="ev-state ev-${file.status.toLowerCase()}">${words[file.status] ?? file.status}</span>
${mark ? html`<strong class="ar-filing ar-${mark}">${ctx.say(W[mark])}</strong>` : ''}
<ul class="ev-reasons">${file.status === 'INVALID' ? file.findings.map((f) => html`<li>${f.message[ctx.lang]}</li>`) : ''}</ul><span class="ev-actions"></span>
${yearOpen ? removalForm(ctx, view, row, file, options) : ''}</li>`;
  });
  return html`<li class="ev-item" data-criterion="${row.entry.entryId}" data-types="${JSON.stringify(types)}" data-type-names="${typeNames}" data-max-bytes="${REPORT_FILE_RULE.maxBytes}" data-max-files="10" data-changeable="${open ? 'true' : 'false'}">
<h3 class="ev-title">${ctx.say(W.file)}</h3>
<p class="note ev-facts">${typeNames} · ${fileSize(REPORT_FILE_RULE.maxBytes)}</p>
${open ? html`<p class="note ar-which">${ctx.say(W.whichFile)}</p>` : ''}
<ul class="ev-files">${files}</ul>
${
  open
    ? html`<div class="ev-drop"><label for="${inputId}" class="ev-choose">${words.choose}</label>
<input id="${inputId}" class="ev-input" type="file" accept="${accept}"></div>`
    : ''
}
<p class="ev-refusal bad" role="alert" hidden></p></li>`;
}

/**
 * The county's page; with `refused`, drawn again after a filing was refused (its status, the
 * county's entries kept in that cluster's form and each refusal beside its field); with
 * `refusedRemoval`, after a removal was refused (its status, why beside the file).
 */
export function countyPage(
  ctx: PageContext,
  view: CountyView,
  uploadOrigin: string,
  options: CountyPageOptions = {},
): PageAnswer {
  const { refused, refusedRemoval } = options;
  const open = !view.closed && !view.forwarded;
  const url = withLang(ctx, `${PORTAL_ANNUAL_PATH}/files`, { year: String(view.reportYear) });
  const clusters = view.rows.map((row) => {
    const mayFile = open && row.standing !== 'accepted';
    return html`<section class="ar-cluster" data-entry="${row.entry.entryId}">
<h2>${row.entry.clusterName}</h2>
<p>${standing(ctx, row)}${row.report?.state === 'RETURNED' && row.report.returnReason ? html` · ${ctx.say(W.returnedBecause)}: <span class="bad">${row.report.returnReason}</span>` : ''}</p>
<ul class="ev-items">${uploaderItem(ctx, view, row, mayFile, options)}</ul>
${mayFile ? figuresForm(ctx, view, row, refused?.entryId === row.entry.entryId ? refused : undefined) : ''}
</section>`;
  });
  const body = html`<p class="note">${ctx.say(W.countyIntro)}</p>
<p>${ctx.say(W.reportYear)}: <strong>${String(view.reportYear)}</strong> · ${ctx.say(W.deadline)}: <strong>${ctx.when(view.deadline)}</strong></p>
${view.closed ? html`<p class="bad">${ctx.say(W.closed)}</p>` : ''}
${view.forwarded ? html`<p class="ok">${ctx.say(W.forwarded)}</p>` : ''}
<p class="note">${ctx.say(W.assumption)}</p>
<div class="evidence-panel" data-evidence-panel data-lang="${ctx.lang}" data-request-url="${url}" data-list-url="${url}" data-remove-url="" data-words="${JSON.stringify(uploaderWords(ctx.lang))}">
${view.rows.length ? clusters : html`<p>${ctx.say(W.noneOwed)}</p>`}
</div>`;
  return renderPage(refused?.status ?? refusedRemoval?.status ?? 200, ctx, {
    title: `${ctx.say(W.title)} · ${String(view.reportYear)}`,
    refused: refused !== undefined || refusedRemoval !== undefined,
    // The way back to the portal's home, where the county's applications are.
    crumbs: html`<a href="${withLang(ctx, PORTAL_BASE)}">${ctx.say('portalHome')}</a>`,
    body,
    refresh: false,
    style: EVIDENCE_PANEL_STYLE + STYLE,
    scripts: [UPLOADER_SCRIPT],
    connectSources: uploadOrigin ? [uploadOrigin] : [],
  });
}

function decisionForms(ctx: PageContext, view: ProvinceView, row: DutyRow): SafeHtml {
  if (row.standing !== 'filed' || view.forwarding || view.closed) return html``;
  const action = withLang(ctx, `${CONSOLE_ANNUAL_PATH}/decisions`, { year: String(view.reportYear) });
  return html`<form class="inline" method="post" action="${action}"><input type="hidden" name="entryId" value="${row.entry.entryId}"><input type="hidden" name="decision" value="accept"><button type="submit">${ctx.say(W.accept)}</button></form>
<form class="inline" method="post" action="${action}"><input type="hidden" name="entryId" value="${row.entry.entryId}"><input type="hidden" name="decision" value="return"><label>${ctx.say(W.reason)} <input name="reason" required maxlength="2000"></label><button type="submit">${ctx.say(W.return)}</button></form>`;
}

/**
 * Forwarding sends the set once and closes the year: with reports missing, the form asks the
 * person to confirm (a required box) rather than forward on one click, months before the deadline.
 */
function forwardForm(ctx: PageContext, action: string, missing: number): SafeHtml {
  const confirm = missing
    ? // No name: the box only holds the form back (the forwarding takes no body).
      html`<label class="choice"><input type="checkbox" id="confirm-missing" required> ${ctx.say(W.confirmMissing)}</label>`
    : '';
  return html`<form method="post" action="${action}">${confirm}<button type="submit" id="forward">${ctx.say(W.forward)}</button></form>`;
}

/** The province's page (MIIT sees the same, read-only, with ?province=). */
export function provincePage(ctx: PageContext, view: ProvinceView, mayAct: boolean): PageAnswer {
  const year = String(view.reportYear);
  const rows = view.rows.map(
    (
      row,
    ) => html`<tr data-entry="${row.entry.entryId}"><td class="wrap">${row.entry.clusterName}</td><td>${place(row.entry.countyCode)}</td>
<td>${standing(ctx, row)}${row.report?.returnReason && row.standing === 'returned' ? html`<br><span class="note">${row.report.returnReason}</span>` : ''}</td>
<td>${row.report ? html`${String(row.report.figures.clusterOutput)} / ${String(row.report.figures.smeCount)} / ${String(row.report.figures.employment)}<br><span class="note">${row.report.file.fileName}</span>` : ''}</td>
<td>${mayAct ? decisionForms(ctx, view, row) : ''}</td></tr>`,
  );
  const forwarded = view.forwarding;
  const summary = withLang(ctx, `${CONSOLE_ANNUAL_PATH}/summary.xlsx`, { year, province: view.provinceCode });
  const forwardAction = withLang(ctx, `${CONSOLE_ANNUAL_PATH}/forwarding`, { year });
  const missing = (forwarded?.missing ?? view.plan.missing).map(
    (m) => html`<li>${m.clusterName}（${place(m.countyCode)}）· ${ctx.say(MISSING_WORDS[m.why])}</li>`,
  );
  const body = html`<p class="note">${ctx.say(W.provinceIntro)}</p>
<p>${place(view.provinceCode)} · ${ctx.say(W.reportYear)} <strong>${year}</strong> · ${ctx.say(W.deadline)} <strong>${ctx.when(view.deadline)}</strong></p>
${forwarded ? html`<p class="ok" id="forwarded">${ctx.say(W.forwarded)} · ${ctx.when(forwarded.forwardedAt)} · ${String(forwarded.reports.length)}/${String(forwarded.owed)}</p>` : ''}
${view.rows.length ? scroll(html`<table><thead><tr><th class="wrap">${ctx.say('cluster')}</th><th>${ctx.say(W.county)}</th><th>${ctx.say(W.standing)}</th><th>${ctx.say(W.figures)}</th><th>${ctx.say(W.decide)}</th></tr></thead><tbody>${rows}</tbody></table>`) : html`<p>${ctx.say(W.noneOwed)}</p>`}
${missing.length ? html`<h2>${ctx.say(W.missing)} (${String(missing.length)})</h2><ul id="missing">${missing}</ul>` : ''}
<p><a href="${summary}">${ctx.say(W.summary)}</a></p>
${mayAct && !forwarded && !view.closed ? (view.plan.unreviewed.length ? html`<p class="bad">${ctx.say(W.unreviewed)}</p>` : forwardForm(ctx, forwardAction, missing.length)) : ''}`;
  return renderPage(200, ctx, {
    title: `${ctx.say(W.title)} · ${place(view.provinceCode)}`,
    body,
    refresh: false,
    style: STYLE,
  });
}

/** MIIT's page: every province's forwarding and what is missing. */
export function miitPage(ctx: PageContext, view: MiitView): PageAnswer {
  const year = String(view.reportYear);
  const rows = view.provinces.map((p) => {
    const f = p.forwarding;
    const link = withLang(ctx, CONSOLE_ANNUAL_PATH, { year, province: p.provinceCode });
    return html`<tr data-province="${p.provinceCode}"><td><a href="${link}">${place(p.provinceCode)}</a></td><td>${String(p.owed)}</td>
<td>${f ? String(f.reports.length) : '—'}</td><td>${f ? ctx.when(f.forwardedAt) : html`<strong class="late">${ctx.say(W.notForwarded)}</strong>`}</td>
<td class="wrap">${f ? f.missing.map((m) => `${m.clusterName}（${ctx.say(MISSING_WORDS[m.why])}）`).join('；') : ''}</td></tr>`;
  });
  const body = html`<p class="note">${ctx.say(W.miitIntro)}</p>
<p>${ctx.say(W.reportYear)} <strong>${year}</strong> · ${ctx.say(W.deadline)} <strong>${ctx.when(view.deadline)}</strong></p>
${scroll(html`<table><thead><tr><th>${ctx.say(W.province)}</th><th>${ctx.say(W.owed)}</th><th>${ctx.say(W.received)}</th><th>${ctx.say(W.forwardedAt)}</th><th class="wrap">${ctx.say(W.missing)}</th></tr></thead><tbody>${rows}</tbody></table>`)}`;
  return renderPage(200, ctx, { title: ctx.say(W.title), body, refresh: false, style: STYLE });
}

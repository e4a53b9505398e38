/**
 * The register's pages: the console's register (filters by province, cohort, state and level,
 * counts, an operator's import form) and the county's "my recognised clusters" on the portal
 * (each cluster's validity, state and what is due). Server-rendered, Chinese by default.
 */
import { may } from '../platform/auth/policy.ts';
import { oneLanguage } from '../platform/pages/i18n.ts';
import { html, type PageAnswer, type PageContext, renderPage, SafeHtml } from '../platform/pages/layout.ts';
import { placeName, placePath } from '../rules/jurisdictions.ts';
import type { RegisterView, ShownEntry } from './api-schemas.ts';
import { REGISTER_LEVELS, REGISTER_STATES, STANDING_STATES } from './entry.ts';
import { dueWords, LEVEL_WORDS, REGISTER_WORDS as W, STATE_WORDS } from './words.ts';

const STYLE = `
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.filters label{margin:0;font-weight:400;font-size:.9em}
.filters select,.import input,.import select{display:block;font:inherit;padding:.35rem;border:1px solid #bbb;border-radius:.4rem;max-width:100%}
.chips{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:0}
.chips a{display:inline-block;padding:.2rem .6rem;border-radius:1rem;background:#f1ece4;text-decoration:none;color:#1b1b1b}
.chips a[aria-current]{background:#8a1c1c;color:#fff}
.state-revoked,.state-expired{color:#8a1c1c}
.cards{list-style:none;padding:0;margin:0}
.cards li{border-top:1px solid #eee;padding:.6rem 0}
.cards h2{margin:0 0 .25rem;word-break:break-word}
`;

/** Reads the chosen file, sends it as JSON with the session cookie, and shows the report (textContent only). */
const IMPORT_SCRIPT = `(() => {
  const form = document.getElementById('register-import');
  if (!form) return;
  const out = document.getElementById('import-report');
  const words = form.dataset;
  const cell = (row, text, tag) => { const c = document.createElement(tag || 'td'); c.textContent = String(text); row.appendChild(c); return c; };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    if (!file) return;
    const button = form.querySelector('button');
    button.disabled = true;
    out.textContent = words.sending;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      const body = {
        level: form.elements.level.value,
        cohort: Number(form.elements.cohort.value),
        validFrom: form.elements.validFrom.value,
        fileName: file.name,
        content: btoa(binary),
        dryRun: form.elements.dryRun.checked,
      };
      const response = await fetch(form.action, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
      const answer = await response.json().catch(() => ({}));
      out.textContent = '';
      if (!response.ok) {
        const error = answer.error || {};
        const p = document.createElement('p'); p.className = 'bad';
        // The details are ours, written '<Chinese> / <English>': the page's half of each, else the API's line.
        const half = (message) => { const at = message.indexOf(' / '); return at < 0 ? message : words.lang === 'en' ? message.slice(at + 3) : message.slice(0, at); };
        const details = (error.details || []).map((d) => half(d.message || ''));
        const [colon, semicolon] = words.lang === 'en' ? [': ', '; '] : ['：', '；'];
        p.textContent = words.failed + ' (' + response.status + ')' + colon + (details.length ? details.join(semicolon) : error.message || '');
        out.appendChild(p);
        return;
      }
      const summary = document.createElement('p');
      summary.className = answer.refused ? 'bad' : 'ok';
      summary.dataset.report = JSON.stringify({ rows: answer.rows, created: answer.created, existing: answer.existing, refused: answer.refused });
      summary.textContent = (answer.dryRun ? words.dryRunSummary : words.summary).replace('{rows}', answer.rows).replace('{created}', answer.created).replace('{existing}', answer.existing).replace('{refused}', answer.refused);
      out.appendChild(summary);
      if (answer.refusals && answer.refusals.length) {
        const wrap = document.createElement('div'); wrap.className = 'scroll'; wrap.tabIndex = 0; wrap.setAttribute('role', 'region'); wrap.setAttribute('aria-label', words.heads);
        const table = document.createElement('table');
        const head = document.createElement('tr');
        for (const title of words.heads.split('|')) cell(head, title, 'th');
        table.appendChild(head);
        for (const r of answer.refusals) {
          const row = document.createElement('tr');
          row.dataset.code = r.code;
          cell(row, r.row); cell(row, r.column); cell(row, r[words.lang] || r.message).className = 'wrap';
          table.appendChild(row);
        }
        wrap.appendChild(table); out.appendChild(wrap);
      }
    } catch (error) {
      out.textContent = words.failed + ': ' + error;
    } finally {
      button.disabled = false;
    }
  });
})();`;

/** A table that scrolls sideways on a phone, reachable by keyboard (a focusable, named region). */
const scrollRegion = (label: string, table: SafeHtml) =>
  html`<div class="scroll" tabindex="0" role="region" aria-label="${label}">${table}</div>`;

const stateCell = (ctx: PageContext, entry: ShownEntry) =>
  html`<span class="state-${entry.state}" data-state="${entry.state}">${ctx.say(STATE_WORDS[entry.state])}</span>${
    entry.lapsed ? html` <span class="note" data-lapsed>${ctx.say(W.lapsed)}</span>` : ''
  }`;

const industryOf = (entry: ShownEntry) =>
  entry.subSector ? `${entry.leadingIndustry} / ${entry.subSector}` : entry.leadingIndustry;

const dueList = (ctx: PageContext, entry: ShownEntry) =>
  entry.due.length === 0
    ? ctx.say(W.nothingDue)
    : html`${entry.due.map((due, at) => html`${at > 0 ? html`<br>` : ''}${ctx.say(dueWords(due))}`)}`;

function chips(ctx: PageContext, param: string, counts: Record<string, number>, label: (key: string) => string) {
  const current = ctx.self.query[param];
  const others = { ...ctx.self.query, lang: undefined };
  return html`<ul class="chips"><li><a href="${ctx.link('register', { ...others, [param]: undefined })}"${
    current === undefined ? new SafeHtml(' aria-current="true"') : ''
  }>${ctx.say(W.all)}</a></li>${Object.entries(counts)
    .sort(([a], [b]) => b.localeCompare(a))
    .map(
      ([key, count]) =>
        html`<li><a href="${ctx.link('register', { ...others, [param]: key })}"${
          current === key ? new SafeHtml(' aria-current="true"') : ''
        }>${label(key)} ${count}</a></li>`,
    )}</ul>`;
}

function select(ctx: PageContext, name: string, label: string, options: readonly [string, string][], chosen?: string) {
  return html`<label>${label}<select name="${name}"><option value="">${ctx.say(W.all)}</option>${options.map(
    ([value, text]) =>
      html`<option value="${value}"${value === chosen ? new SafeHtml(' selected') : ''}>${text}</option>`,
  )}</select></label>`;
}

function importForm(ctx: PageContext): SafeHtml {
  const { say } = ctx;
  const year = Number(ctx.when(new Date().toISOString()).slice(0, 4)) || new Date().getUTCFullYear();
  const summary =
    ctx.lang === 'en'
      ? '{rows} rows: {created} entered, {existing} already in the register, {refused} refused'
      : '共 {rows} 行：新登记 {created} 个，已在名录 {existing} 个，拒绝 {refused} 行';
  // A dry run writes nothing: its summary says what an import would do, not what was done.
  const dryRunSummary =
    ctx.lang === 'en'
      ? 'Checked only, nothing entered. {rows} rows: {created} would be entered, {existing} already in the register, {refused} refused'
      : '仅检查，未导入。共 {rows} 行：可新登记 {created} 个，已在名录 {existing} 个，拒绝 {refused} 行';
  // Row, column and what to write: the refusal's code stays on its row (data-code), not shown.
  const heads = [W.row, W.column, W.reason].map((w) => say(w)).join('|');
  return html`<section class="import noprint"><h2>${say(W.import)}</h2><p class="note">${say(W.importNote)}</p>
<form id="register-import" method="post" action="/console/register/imports" data-sending="${say(W.sending)}" data-failed="${say(W.failed)}" data-summary="${summary}" data-dry-run-summary="${dryRunSummary}" data-lang="${ctx.lang}" data-heads="${heads}">
<div class="filters">
${select(
  ctx,
  'level',
  say(W.level),
  REGISTER_LEVELS.map((l) => [l, say(LEVEL_WORDS[l])]),
  'national',
)}
<label>${say(W.cohort)}<input name="cohort" type="number" min="2000" max="2100" value="${String(year)}" required></label>
<label>${say(W.validFrom)}<input name="validFrom" type="date" required></label>
<label>${say(W.file)}<input name="file" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
<label class="choice"><input name="dryRun" type="checkbox"> ${say(W.dryRun)}</label>
<button type="submit">${say(W.send)}</button>
</div></form><output id="import-report" aria-live="polite"></output></section>`;
}

/** The CSV of what the page shows (the same filters). */
function exportLink(filter: RegisterView['filter']): string {
  const query = new URLSearchParams(
    Object.entries(filter).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, String(value)] as [string, string]],
    ),
  ).toString();
  return `/console/register/export.csv${query ? `?${query}` : ''}`;
}

/**
 * Beside a standing entry, for a reviewer over its county: the cancellation form, filled in with
 * the entry (its id is shown nowhere else, and the form asks for it).
 */
function revocationLink(ctx: PageContext, entry: ShownEntry): SafeHtml | string {
  const principal = ctx.principal;
  if (!principal || !STANDING_STATES.has(entry.state)) return '';
  if (!may.requestRevocation(principal, { countyCode: entry.countyCode })) return '';
  return html`<br><a class="note" data-ask-revocation href="${ctx.link('revocations', { kind: 'entry', id: entry.entryId })}">${ctx.say(W.askRevocation)}</a>`;
}

/** The console's register page. */
export function registerPage(ctx: PageContext, view: RegisterView): PageAnswer {
  const { say } = ctx;
  const { filter, counts, entries } = view;
  const provinceName = (code: string) => placeName(code) ?? code;
  const provinces = Object.keys(counts.byProvince)
    .sort()
    .map((code): [string, string] => [code, provinceName(code)]);
  const filters = html`<form class="filters noprint" method="get" action="/console/register">
${ctx.lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
${select(ctx, 'province', say(W.province), provinces, filter.province)}
${select(
  ctx,
  'cohort',
  say(W.cohort),
  Object.keys(counts.byCohort)
    .sort()
    .reverse()
    .map((c): [string, string] => [c, c]),
  filter.cohort?.toString(),
)}
${select(
  ctx,
  'state',
  say(W.state),
  REGISTER_STATES.map((s): [string, string] => [s, say(STATE_WORDS[s])]),
  filter.state,
)}
${select(
  ctx,
  'level',
  say(W.level),
  REGISTER_LEVELS.map((l): [string, string] => [l, say(LEVEL_WORDS[l])]),
  filter.level,
)}
<button type="submit">${say(W.filter)}</button>
<a class="button" href="${exportLink(filter)}" download>${say(W.exportCsv)}</a></form>`;
  const summary = html`<div class="glance">
<section><h2>${say(W.byState)}</h2>${chips(ctx, 'state', counts.byState, (s) => say(STATE_WORDS[s as keyof typeof STATE_WORDS]))}</section>
<section><h2>${say(W.byCohort)}</h2>${chips(ctx, 'cohort', counts.byCohort, (c) => c)}</section>
<section><h2>${say(W.byProvince)}</h2>${chips(ctx, 'province', counts.byProvince, provinceName)}</section>
</div>`;
  const table = entries.length
    ? scrollRegion(
        say(W.title),
        html`<table id="register-entries"><thead><tr><th class="wrap">${say(W.cluster)}</th><th>${say(W.place)}</th><th class="wrap">${say(W.industry)}</th><th>${say(W.level)}</th><th class="n">${say(W.cohort)}</th><th>${say(W.validity)}</th><th>${say(W.state)}</th></tr></thead>
<tbody>${entries.map(
          (e) =>
            html`<tr data-entry="${e.entryId}"><td class="wrap">${e.clusterName}</td><td>${placePath(e.countyCode)}</td><td class="wrap">${industryOf(e)}</td><td>${say(LEVEL_WORDS[e.level])}</td><td class="n">${String(e.cohort)}</td><td>${e.validFrom} ${say(W.from)} ${e.validUntil}</td><td class="wrap">${stateCell(ctx, e)}${revocationLink(ctx, e)}</td></tr>`,
        )}</tbody>
<tfoot><tr class="total"><td colspan="7">${say(W.total)} ${String(entries.length)} / ${String(counts.total)}</td></tr></tfoot></table>`,
      )
    : html`<p>${say(W.none)}</p>`;
  const principal = ctx.principal;
  const mayImport = principal?.role === 'operator' && may.keepRegister(principal, principal.jurisdiction);
  return renderPage(200, ctx, {
    title: say(W.title),
    body: html`<section>${filters}</section>${summary}<section>${table}</section>${mayImport ? importForm(ctx) : ''}`,
    style: STYLE,
    refresh: false,
    ...(mayImport && { scripts: [IMPORT_SCRIPT] }),
  });
}

/** The county's own clusters: validity, state, what is due, and each change. */
export function myClustersPage(ctx: PageContext, view: RegisterView): PageAnswer {
  const { say } = ctx;
  const body = view.entries.length
    ? html`<section><ul class="cards">${view.entries.map(
        (e) => html`<li data-entry="${e.entryId}"><h2>${e.clusterName}</h2>
<dl class="facts"><dt>${say(W.level)}</dt><dd>${say(LEVEL_WORDS[e.level])} · ${String(e.cohort)}</dd>
<dt>${say(W.industry)}</dt><dd>${industryOf(e)}</dd>
<dt>${say(W.validity)}</dt><dd>${e.validFrom} ${say(W.from)} ${e.validUntil}</dd>
<dt>${say(W.state)}</dt><dd>${stateCell(ctx, e)}</dd>
<dt>${say(W.due)}</dt><dd class="due">${dueList(ctx, e)}</dd></dl>
<details><summary>${say(W.history)}</summary><ul class="plain">${e.history.map(
          (h) => html`<li>${ctx.when(h.at)} · ${say(STATE_WORDS[h.to])} · ${oneLanguage(ctx.lang, h.reason)}</li>`,
        )}</ul></details></li>`,
      )}</ul></section>`
    : html`<section><p>${say(W.noneMine)}</p></section>`;
  return renderPage(200, ctx, {
    title: say(W.mine),
    // The way back to the portal's home, where the county's applications are.
    crumbs: html`<a href="${ctx.link('')}">${say('portalHome')}</a>`,
    body,
    style: STYLE,
    refresh: false,
  });
}

/**
 * The level's expert-panel pages (console, signed in): /console/panels lists the candidates
 * waiting at the level's expert-panel step with their panels and the ranking of those closed;
 * /console/panels/{reviewId} shows one panel (its experts, the directory with 回避 said beside
 * each name refused) and its three forms — seat, replace, close — which post with the session
 * cookie and come back here. The level's operators see both pages read-only: the same rows and
 * facts, no forms. No script of its own; phone-sized screens too.
 */
import { PANEL_CONSOLE_WORDS as W } from '../../platform/pages/i18n.ts';
import { colon } from '../../platform/pages/punctuation.ts';
import {
  html,
  type PageAnswer,
  type PageContext,
  renderPage,
  type SafeHtml,
  scroll,
} from '../../platform/pages/layout.ts';
import { TRACK_WORDS } from '../../platform/words.ts';
import type { CandidateLine, PanelPageModel, SeatLine } from './console-view.ts';
import type { WaitingPanel } from './waiting.ts';

/** The list page's path under /console, and one panel's. */
export const PANELS_PAGE = 'panels';
export const panelPagePath = (reviewId: string) => `${PANELS_PAGE}/${encodeURIComponent(reviewId)}`;

/** Long names and addresses wrap rather than widening a phone's page; the directory's choices stack. */
const STYLE = `
.seat-list,.candidates{list-style:none;margin:0;padding:0}
.seat-list li,.candidates li{padding:.45rem 0;border-top:1px solid #eee;word-break:break-word}
.candidates label{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;margin:0}
.candidates input{margin-top:.3rem}
.refused{color:#555}
.why{display:block;color:#8a1c1c;font-size:.9em}
.state{font-weight:600}
select{max-width:100%;font:inherit;padding:.35rem}
.scores{margin:.25rem 0 0;padding-left:1.1rem;font-size:.9em}
.seat-list .scores li{border:0;padding:.1rem 0}
`;

const done = (ctx: PageContext, query: Record<string, string>): SafeHtml | string => {
  const word =
    query.done === 'seated'
      ? W.seatedDone
      : query.done === 'replaced'
        ? W.replacedDone
        : query.done === 'closed'
          ? W.closedDone
          : undefined;
  return word
    ? html`<section class="ok" role="status" data-done="${query.done}"><p>${ctx.say(word)}</p></section>`
    : '';
};

// ---- the list ------------------------------------------------------------------------------

/**
 * The list, each row opening its panel. `manages` (default true): the level's reviewer; an
 * operator of the level watches the same rows (each panel opens read-only), and goes back to the board.
 */
export function panelsPage(
  ctx: PageContext,
  data: { jurisdictionName: string; panels: readonly WaitingPanel[]; manages?: boolean },
) {
  const { say } = ctx;
  const manages = data.manages ?? true;
  const rows = data.panels.map(
    (
      p,
    ) => html`<tr data-review="${p.reviewId}" data-status="${p.status}"><td class="wrap"><a href="${ctx.link(panelPagePath(p.reviewId))}">${p.clusterName}</a><br><span class="note">${p.countyName} · ${say(TRACK_WORDS[p.track].title)}</span></td>
<td>${say(W[p.status])}<br><span class="note">${say(W.seated)} ${p.seated} · ${say(W.scored)} ${p.scored}${p.recused ? html` · <span class="late">${say(W.recusedCount)} ${p.recused}</span>` : ''}</span></td>
<td class="n">${p.aggregate ?? '—'}</td><td class="n">${p.rank ?? '—'}</td><td>${ctx.when(p.deadline)}</td></tr>`,
  );
  const body = html`<p class="note">${say(W.intro)}</p>${manages ? '' : html`<p class="note" id="watch-only">${say(W.watchOnly)}</p>`}
<section id="panels"><h2>${data.jurisdictionName} (${data.panels.length})</h2>${
    data.panels.length
      ? scroll(
          html`<table><thead><tr><th class="wrap">${say(W.cluster)}</th><th>${say(W.panel)}</th><th class="n">${say(W.aggregate)}</th><th class="n">${say(W.rank)}</th><th>${say(W.due)}</th></tr></thead><tbody>${rows}</tbody></table>`,
        )
      : html`<p class="ok">${say(W.none)}</p><p class="note" id="none-why">${say(W.noneWhy)}</p>`
  }</section>`;
  return renderPage(200, ctx, {
    title: say(W.title),
    crumbs: manages
      ? html`<a href="${ctx.link('inbox')}">${say('inbox')}</a>`
      : html`<a href="${ctx.link('board')}">${say('board')}</a>`,
    body,
    // No self-refresh: the frame's refresh note fails axe's contrast check on the page background.
    refresh: false,
  });
}

// ---- one panel -----------------------------------------------------------------------------

function seatItem(ctx: PageContext, seat: SeatLine): SafeHtml {
  const { say } = ctx;
  return html`<li data-seat="${seat.seatId}" data-state="${seat.state}"${seat.late ? html` data-late` : ''}>
<strong>${seat.name}</strong>${seat.affiliation ? html` · ${seat.affiliation}` : ''}<br>
<span class="state${seat.state === 'RECUSED' || seat.late ? ' late' : ''}">${say(W[seat.state])}</span>${
    seat.movedAt && !seat.late ? html` <span class="note">${ctx.when(seat.movedAt)}</span>` : ''
  }${seat.late ? html` <span class="note">${say(W.late)} ${ctx.when(seat.assignedAt)}</span>` : ''}
${seat.replacesName ? html`<br><span class="note">${say(W.replaces)} ${seat.replacesName}</span>` : ''}
${seat.recusalReason ? html`<br><span class="note">${say(W.reason)}${colon(ctx.lang)}${seat.recusalReason}</span>` : ''}
${
  seat.total !== undefined
    ? html`<br>${say(W.total)} <strong data-total>${seat.total}</strong><details><summary>${say(W.byCriterion)}</summary><ul class="scores">${(
        seat.scores ?? []
      ).map((s) => html`<li>${say(s.title)} ${s.score}</li>`)}</ul></details>`
    : seat.state === 'SCORED'
      ? html`<br><span class="note">${say(W.total)}${colon(ctx.lang)}${say(W.hidden)}</span>`
      : ''
}</li>`;
}

const REFUSAL_WORDS = {
  county: W.county_conflict,
  city: W.city_conflict,
  seated: W.seated_already,
  left: W.left_already,
} as const;

function candidateItem(ctx: PageContext, candidate: CandidateLine, i: number): SafeHtml {
  const id = `expert-${i}`;
  const who = html`<span><strong>${candidate.name}</strong>${candidate.affiliation ? html` · ${candidate.affiliation}` : ''}${
    candidate.refusal
      ? html`<span class="why" data-refusal="${candidate.refusal}">${ctx.say(REFUSAL_WORDS[candidate.refusal])}</span>`
      : ''
  }</span>`;
  return candidate.refusal
    ? html`<li class="refused" data-expert="${candidate.email}"><label for="${id}"><input id="${id}" type="checkbox" disabled>${who}</label></li>`
    : html`<li data-expert="${candidate.email}"><label for="${id}"><input id="${id}" type="checkbox" name="experts" value="${candidate.email}">${who}</label></li>`;
}

function forms(ctx: PageContext, model: PanelPageModel): SafeHtml {
  const { say } = ctx;
  const action = (what: 'experts' | 'close') => ctx.link(`${panelPagePath(model.reviewId)}/${what}`);
  const eligible = model.candidates.filter((c) => c.refusal === undefined);
  const seat = model.seatForm
    ? html`<section id="seat"><h2>${say(W.directory)}</h2>${
        model.candidates.length === 0
          ? html`<p class="note">${say(W.noDirectory)}</p>`
          : html`<form method="post" action="${action('experts')}"><fieldset><legend>${say(W.directory)}</legend>
<ul class="candidates">${model.candidates.map((c, i) => candidateItem(ctx, c, i))}</ul></fieldset>
${model.counted < model.minExperts ? html`<p class="note">${say(W.seatNote)} ${model.seatForm.atLeast} ${say(W.more)}</p>` : ''}
${eligible.length ? html`<button type="submit" data-action="seat">${say(W.seat)}</button>` : html`<p class="note">${say(W.noneEligible)}</p>`}</form>`
      }</section>`
    : '';
  const replace = model.replaceForm
    ? html`<section id="replace"><h2>${say(W.replace)}</h2>${
        eligible.length
          ? html`<form method="post" action="${action('experts')}">
<label for="replaces">${say(W.replaceSeat)}</label>
<select id="replaces" name="replaces">${model.replaceForm.seats.map(
              (s) => html`<option value="${s.seatId}">${s.name} · ${say(W[s.state])}</option>`,
            )}</select>
<label for="replacement">${say(W.replaceWith)}</label>
<select id="replacement" name="experts">${eligible.map(
              (c) => html`<option value="${c.email}">${c.name}${c.affiliation ? ` · ${c.affiliation}` : ''}</option>`,
            )}</select>
<p><button type="submit" data-action="replace">${say(W.replaceButton)}</button></p></form>`
          : html`<p class="note">${say(W.noneEligible)}</p>`
      }</section>`
    : '';
  const close = model.closeForm
    ? html`<section id="close"><h2>${say(W.close)}</h2><p class="note">${say(W.closeNote)}</p>${
        model.closeForm.closable
          ? html`<form method="post" action="${action('close')}">
<label class="choice" for="confirm"><input id="confirm" type="checkbox" name="confirm" value="true" required>${say(W.closeConfirm)}</label>
<p><button type="submit" data-action="close">${say(W.close)}</button></p></form>`
          : html`<p class="late">${say(W.notClosable)} ${model.closeForm.needed} ${say(W.people)} (${say(W.scored)} ${model.scored})</p>`
      }</section>`
    : '';
  return html`${seat}${replace}${close}`;
}

function results(ctx: PageContext, model: PanelPageModel): SafeHtml | string {
  const r = model.results;
  if (!r) return '';
  const { say } = ctx;
  return html`<section id="results" data-aggregate="${r.aggregate}"><h2>${say(W.results)}</h2>
<dl class="facts"><dt>${say(W.aggregate)}</dt><dd><strong>${r.aggregate}</strong> (${say(W[model.method])})</dd>
${r.rank !== undefined ? html`<dt>${say(W.rank)}</dt><dd data-rank="${r.rank}">${r.rank}</dd>` : ''}</dl>
${scroll(
  html`<table><thead><tr><th class="wrap">${say(W.expert)}</th><th class="n">${say(W.total)}</th></tr></thead><tbody>${r.totals.map(
    (t) => html`<tr><td class="wrap">${t.name}</td><td class="n">${t.total}</td></tr>`,
  )}</tbody></table>`,
)}</section>`;
}

export function panelPage(ctx: PageContext, model: PanelPageModel, query: Record<string, string>): PageAnswer {
  const { say } = ctx;
  const body = html`${done(ctx, query)}${model.watching ? html`<p class="note" id="watch-only">${say(W.watchOnly)}</p>` : ''}
<section id="panel" data-status="${model.status}"><dl class="facts">
<dt>${say(W.panel)}</dt><dd><strong>${say(W[model.status])}</strong></dd>
<dt>${say(W.rule)}</dt><dd>${say(W.atLeast)} ${model.minExperts} · ${say(W[model.method])}</dd>
<dt>${say(W.due)}</dt><dd>${ctx.when(model.deadline)}</dd>
<dt>${say(W.seated)}</dt><dd>${model.counted} · ${say(W.scored)} ${model.scored}</dd></dl></section>
${results(ctx, model)}
<section id="seats"><h2>${say(W.seats)}</h2>${
    model.seats.length
      ? html`<ul class="seat-list">${model.seats.map((seat) => seatItem(ctx, seat))}</ul>`
      : html`<p class="note">${say(W.noSeats)}</p>`
  }</section>
${forms(ctx, model)}`;
  return renderPage(200, ctx, {
    title: model.clusterName,
    crumbs: html`<a href="${ctx.link(PANELS_PAGE)}">${say(W.back)}</a>`,
    body,
    refresh: false,
    style: STYLE,
  });
}

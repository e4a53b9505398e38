/**
 * /console/revocations: the cancellation requests the signed-in person may see, each with its
 * state; a form to confirm or decline on each open request the person may decide (never their
 * own); and, for reviewers, the form to file one. The forms post with the session cookie and
 * come back here saying what was recorded.
 */
import * as z from 'zod';
import { may } from '../platform/auth/policy.ts';
import { html, type PageAnswer, type PageContext, renderPage } from '../platform/pages/layout.ts';
import { placeName, placePath } from '../rules/jurisdictions.ts';
import type { RevocationRequest } from './request.ts';
import { REQUEST_STATE_WORDS, REVOCATION_WORDS as W } from './words.ts';

export const RevocationPageQuerySchema = z.object({
  /** Set by a form's redirect: the request just filed or decided. */
  done: z.uuid().optional(),
  /**
   * The target to fill in the form with, from a link beside it (the register's entries): a
   * reviewer cannot be expected to know an entry's id by heart.
   */
  kind: z.enum(['application', 'entry']).optional(),
  id: z.string().trim().min(1).max(200).optional(),
});

type Prefill = Pick<z.infer<typeof RevocationPageQuerySchema>, 'kind' | 'id'>;

const STYLE = `
.requests{list-style:none;padding:0;margin:0}
.requests>li{border-top:1px solid #ddd;padding:.6rem 0}
.requests h2{margin:0 0 .25rem;word-break:break-word}
.state-requested{color:#8a5a00}.state-confirmed{color:#8a1c1c}.state-declined{color:#555}
.revocation-form input[type=text],.revocation-form textarea,.revocation-form select{display:block;width:100%;max-width:40rem;font:inherit;padding:.35rem;border:1px solid #bbb;border-radius:.4rem}
`;

const actor = (a: RevocationRequest['requestedBy']) =>
  `${a.name ?? a.sub} · ${placeName(a.jurisdiction) ?? a.jurisdiction}`;

function effectText(ctx: PageContext, request: RevocationRequest): string {
  const { effect } = request;
  if (!effect) return '';
  const what = ctx.say(effect.outcome === 'revoked' ? W.effectRevoked : W.effectCancelled);
  if (effect.outcome !== 'revoked') return what;
  return `${what}（${ctx.say(effect.countyTold ? W.countyTold : W.countyNotTold)}）`;
}

function decisionForm(ctx: PageContext, request: RevocationRequest) {
  const { say } = ctx;
  const principal = ctx.principal;
  if (request.state !== 'requested' || !principal) return '';
  if (principal.sub === request.requestedBy.sub) return html`<p class="note" data-own>${say(W.ownRequest)}</p>`;
  if (!may.decideRevocation(principal, request)) return '';
  const id = request.requestId;
  return html`<form class="revocation-form" method="post" action="${ctx.link(`revocations/${id}/decision`)}">
<fieldset><legend>${say(W.decision)}</legend>
<label class="choice"><input type="radio" name="decision" value="confirm" required> ${say(W.confirm)}</label>
<label class="choice"><input type="radio" name="decision" value="decline" required> ${say(W.decline)}</label></fieldset>
<label for="reason-${id}">${say(W.decisionReason)}</label>
<textarea id="reason-${id}" name="reason" rows="2"></textarea>
<p><button type="submit">${say(W.decide)}</button></p></form>`;
}

function requestItem(ctx: PageContext, request: RevocationRequest) {
  const { say } = ctx;
  return html`<li data-request="${request.requestId}" data-state="${request.state}"><h2>${request.clusterName}</h2>
<dl class="facts"><dt>${say(W.state)}</dt><dd class="state-${request.state}">${say(REQUEST_STATE_WORDS[request.state])}</dd>
<dt>${say(W.phase)}</dt><dd>${say(request.phase === 'recognised' ? W.recognised : W.inFlight)} · ${placePath(request.countyCode)}</dd>
<dt>${say(W.requestedBy)}</dt><dd>${actor(request.requestedBy)} · ${ctx.when(request.requestedAt)}</dd>
<dt>${say(W.reason)}</dt><dd class="wrap">${request.reason}</dd>
${request.evidenceNote ? html`<dt>${say(W.evidenceNote)}</dt><dd class="wrap">${request.evidenceNote}</dd>` : ''}
${request.decidedBy ? html`<dt>${say(W.decidedBy)}</dt><dd>${actor(request.decidedBy)} · ${ctx.when(request.decidedAt ?? '')}</dd>` : ''}
${request.declineReason ? html`<dt>${say(W.declineReason)}</dt><dd class="wrap">${request.declineReason}</dd>` : ''}
${request.effect ? html`<dt>${say(W.effect)}</dt><dd data-effect="${request.effect.outcome}">${effectText(ctx, request)}</dd>` : ''}
</dl>${decisionForm(ctx, request)}</li>`;
}

function fileForm(ctx: PageContext, prefill: Prefill) {
  const { say } = ctx;
  const selected = (kind: 'application' | 'entry') => (prefill.kind === kind ? html` selected` : '');
  return html`<section class="noprint"><h2>${say(W.fileTitle)}</h2>
<form class="revocation-form" id="revocation-file" method="post" action="${ctx.link('revocations')}">
<label for="target-kind">${say(W.targetKind)}</label>
<select id="target-kind" name="kind"><option value="application"${selected('application')}>${say(W.kindApplication)}</option><option value="entry"${selected('entry')}>${say(W.kindEntry)}</option></select>
<label for="target-id">${say(W.targetId)}</label><input id="target-id" name="id" type="text" required value="${prefill.id ?? ''}">
<label for="file-reason">${say(W.reason)}</label><textarea id="file-reason" name="reason" rows="3" required></textarea>
<label for="file-note">${say(W.evidenceNote)}</label><textarea id="file-note" name="evidenceNote" rows="2"></textarea>
<p><button type="submit">${say(W.send)}</button></p></form></section>`;
}

export function revocationsPage(
  ctx: PageContext,
  query: Record<string, string>,
  requests: readonly RevocationRequest[],
): PageAnswer {
  const { say } = ctx;
  const q = RevocationPageQuerySchema.safeParse({ done: query.done, kind: query.kind, id: query.id }).data ?? {};
  const done = q.done;
  const doneRequest = done ? requests.find((r) => r.requestId === done) : undefined;
  const status = doneRequest
    ? html`<section class="ok" role="status" data-done="${doneRequest.requestId}"><p>${say(W.done)} ${doneRequest.clusterName} · ${say(REQUEST_STATE_WORDS[doneRequest.state])}${
        doneRequest.state === 'requested' ? html` · ${say(W.filed)}` : ''
      }${doneRequest.effect ? html` · ${effectText(ctx, doneRequest)}` : ''}</p></section>`
    : '';
  const list = requests.length
    ? html`<section><ul class="requests">${requests.map((r) => requestItem(ctx, r))}</ul></section>`
    : html`<section><p>${say(W.none)}</p></section>`;
  const mayFile = ctx.principal?.role === 'reviewer';
  return renderPage(200, ctx, {
    title: say(W.title),
    body: html`<p class="note">${say(W.note)}</p>${status}${list}${mayFile ? fileForm(ctx, q) : ''}`,
    style: STYLE,
    refresh: false,
  });
}

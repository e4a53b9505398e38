/**
 * /console/objections: the objections waiting for the signed-in person's decision (the
 * reviewers of the level holding the notice, or an operator over it), each with a form:
 * upheld, or dismissed with a reason. The form posts to /console/objections/{id}/triage (the
 * session cookie), which comes back here saying what was recorded.
 */
import * as z from 'zod';
import { NOTICE_WORDS as W } from '../platform/pages/i18n.ts';
import { html, type PageAnswer, type PageContext, renderPage } from '../platform/pages/layout.ts';
import { parseOrThrow } from '../platform/parse.ts';
import type { UntriagedObjection } from './desk.ts';

export const TriagePageQuerySchema = z.object({
  /** Set by the triage's redirect: the objection just decided, and whether its objector was emailed. */
  done: z.uuid().optional(),
  told: z.enum(['yes', 'no']).optional(),
});

export function triagePage(
  ctx: PageContext,
  query: Record<string, string>,
  objections: readonly UntriagedObjection[],
): PageAnswer {
  const { say } = ctx;
  const q = parseOrThrow(TriagePageQuerySchema, { done: query.done, told: query.told }, 'query');
  const done = q.done
    ? html`<section class="ok" role="status" data-done="${q.done}"><p>${say(W.done)} ${
        q.told === 'yes' ? say(W.toldByEmail) : say(W.notToldByEmail)
      }</p></section>`
    : '';
  const list = objections.length
    ? objections.map((item, i) => {
        const o = item.objection;
        const objector = [o.name, o.organisation, o.contact].filter(Boolean).join(' · ') || say(W.signedInFiler);
        return html`<section data-objection="${o.objectionId}"><h2>${item.clusterName}</h2>
<dl class="facts"><dt>${say(W.heldBy)}</dt><dd>${item.holder}</dd>
<dt>${say(W.filedAt)}</dt><dd>${ctx.when(o.filedAt)}</dd>
${item.noticeEndsAt ? html`<dt>${say(W.noticeEnds)}</dt><dd>${ctx.when(item.noticeEndsAt)}</dd>` : ''}
<dt>${say(W.objector)}</dt><dd>${objector}</dd>
<dt>${say(W.receipt)}</dt><dd><code>${o.objectionId}</code></dd></dl>
<h3>${say(W.reason)}</h3><p class="cause">${o.reason}</p>
<form method="post" action="${ctx.link(`objections/${o.objectionId}/triage`)}">
<fieldset><legend>${say(W.outcome)}</legend>
<label class="choice"><input type="radio" name="outcome" value="upheld" required> ${say(W.uphold)}</label>
<label class="choice"><input type="radio" name="outcome" value="dismissed" required> ${say(W.dismiss)}</label></fieldset>
<label for="reason-${i}">${say(W.triageReason)}</label>
<textarea class="prose" id="reason-${i}" name="reason" rows="3"></textarea>
<p><button type="submit">${say(W.decide)}</button></p></form></section>`;
      })
    : html`<section><p class="ok">${say(W.noneToTriage)}</p></section>`;
  const body = html`<p class="note">${say(W.triageNote)}</p>${done}${list}`;
  return renderPage(200, ctx, { title: say(W.triageTitle), body, refresh: false });
}

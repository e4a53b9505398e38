/**
 * The review link page's way to ask for a cancellation for false information: a folded form
 * under the decision form (the reviewer who holds the step found it), and the page its post
 * answers with. The form posts to /v1/reviews/{reviewId}/revocations with the link's secret as
 * the decision form does.
 */
import { html, type SafeHtml } from '../platform/pages/html.ts';
import { ErrorBodySchema } from '../schemas/responses.ts';
import { RevocationRequestSchema } from './request.ts';
import { jsonOrUndefined } from '../platform/parse.ts';

/** `here`: the path from the page's URL to the reviews (`..` where the page answers its decision form's POST). */
export function revocationLinkForm(reviewId: string, secret: string | undefined, here: '.' | '..' = '.'): SafeHtml {
  return html`<section id="revocation"><details><summary>发现虚假信息？申请取消资格 <span class="en">Found false information? Ask for a cancellation</span></summary>
<p class="note">一经查实，立即取消其资格。申请由本级或上级运维人员确认后生效。<span class="en">Once confirmed by an operator over this level, the qualification is cancelled.</span></p>
<form method="post" action="${here}/${reviewId}/revocations" accept-charset="utf-8">
${secret !== undefined ? html`<input type="hidden" name="t" value="${secret}">` : ''}
<label for="revocation-reason">查实的虚假信息 <span class="en">The false information found</span></label>
<textarea id="revocation-reason" name="reason" rows="3" maxlength="2000" required></textarea>
<label for="revocation-note">证据说明（可选） <span class="en">Evidence note (optional)</span></label>
<textarea id="revocation-note" name="evidenceNote" rows="2" maxlength="2000"></textarea>
<button type="submit">提交申请 <span>Send the request</span></button>
</form></details></section>`;
}

/** What the link page's form post shows: the request filed (and its number), or why not. */
export function revocationLinkResult(result: { statusCode: number; body: string }): {
  title: { zh: string; en: string };
  lines: SafeHtml[];
} {
  const parsed = jsonOrUndefined(result.body);
  const filed = RevocationRequestSchema.safeParse(parsed);
  if (result.statusCode < 300 && filed.success) {
    return {
      title: { zh: '取消资格申请已提交', en: 'Cancellation request filed' },
      lines: [
        html`<p data-request="${filed.data.requestId}">申请编号 <span class="en">Request</span> <code>${filed.data.requestId}</code>：等待运维人员确认。<span class="en">Waiting for an operator's confirmation.</span></p>`,
      ],
    };
  }
  const error = ErrorBodySchema.safeParse(parsed);
  const details = error.success ? (error.data.error.details ?? []) : [];
  return {
    title: { zh: '申请未提交', en: 'Request not filed' },
    lines: [
      html`<p>${error.success ? error.data.error.message : '出错了，请稍后再试 / something went wrong'}</p>`,
      ...(details.length ? [html`<ul>${details.map((d) => html`<li>${d.message}</li>`)}</ul>`] : []),
    ],
  };
}

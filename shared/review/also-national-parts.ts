/** The review page's parts for the "also national" statement (shared/review/also-national.ts). */
import { html, type SafeHtml } from '../platform/pages/html.ts';
import type { Campaign } from '../rules/campaign.ts';
import type { ApplicationRecord } from '../schemas/records.ts';
import type { ReviewRecord } from '../schemas/reviews.ts';
import { alsoNationalAskedBy, allowsNationalException } from './also-national.ts';

/** What the page model says about the statement at this review. */
export function alsoNationalView(
  review: Pick<ReviewRecord, 'stage' | 'step'>,
  application: Pick<ApplicationRecord, 'countyCode' | 'track'>,
  campaign: Campaign,
): { asksAlsoNational?: 'city' | 'province'; allowsNationalException?: true } {
  const askedBy = alsoNationalAskedBy(review, application, campaign);
  if (!askedBy) return {};
  return {
    asksAlsoNational: askedBy,
    ...(allowsNationalException(review, application, campaign) && { allowsNationalException: true as const }),
  };
}

/** The statement, once made (Jilin's city, or the province), on every later page. */
export function alsoNationalRow(alsoNational: boolean | undefined): SafeHtml | string {
  if (alsoNational === undefined) return '';
  const answer = alsoNational
    ? { zh: '是：同时推荐申报国家级', en: 'Yes: also recommended for national status' }
    : { zh: '否：仅认定为省级', en: 'No: the provincial list only' };
  return html`<dt>同时推荐国家级 <span class="en">Also recommended for national status</span></dt><dd data-also-national="${String(alsoNational)}">${answer.zh} <span class="en">${answer.en}</span></dd>`;
}

const exceptionQuestion = (checked: boolean) =>
  html`<label class="choice"><input type="checkbox" name="nationalException" value="true"${checked ? html` checked` : ''}>例外：推荐国家级但不先认定为省级（须在“原因”中说明理由） <span class="en">Exception: national without provincial recognition (state why under Reason)</span></label>`;

/** The question, as the level that states it is asked (the city; or the province choosing from its list). */
export function alsoNationalQuestion(
  askedBy: 'city' | 'province',
  allowsException: boolean,
  sent: { alsoNational?: unknown; nationalException?: unknown } = {},
): SafeHtml {
  const legend =
    askedBy === 'city'
      ? html`是否同时推荐申报国家级 <span class="en">Also recommended for national status?</span>`
      : html`推荐国家级，或仅认定为省级 <span class="en">National candidate, or the provincial list only?</span>`;
  return html`<fieldset><legend>${legend}</legend>
<p class="note">同意推荐时必选。<span class="en">Required to approve.</span></p>
<label class="choice"><input type="radio" name="alsoNational" value="true"${sent.alsoNational === true ? html` checked` : ''}>是：推荐国家级 <span class="en">Yes: national candidate</span></label>
<label class="choice"><input type="radio" name="alsoNational" value="false"${sent.alsoNational === false ? html` checked` : ''}>否：仅省级 <span class="en">No: provincial list only</span></label>
${allowsException ? exceptionQuestion(sent.nationalException === true) : ''}</fieldset>`;
}

/** The review page's parts for the city's "also national" statement (shared/review/also-national.ts). */
import { html, type SafeHtml } from '../platform/pages/html.ts';

/** The city's "also national" statement, once made (Jilin), on every later page. */
export function alsoNationalRow(alsoNational: boolean | undefined): SafeHtml | string {
  if (alsoNational === undefined) return '';
  const answer = alsoNational
    ? { zh: '是：同时推荐申报国家级', en: 'Yes: also recommended for national status' }
    : { zh: '否：仅推荐省级', en: 'No: provincial status only' };
  return html`<dt>市级说明：同时推荐国家级 <span class="en">City: also recommended for national status</span></dt><dd data-also-national="${String(alsoNational)}">${answer.zh} <span class="en">${answer.en}</span></dd>`;
}

/** The city's question where its province asks it (Jilin: provincial and national in one pass). */
export const alsoNationalQuestion = html`<fieldset><legend>是否同时推荐申报国家级 <span class="en">Also recommended for national status?</span></legend>
<p class="note">同意推荐时必选。<span class="en">Required to approve.</span></p>
<label class="choice"><input type="radio" name="alsoNational" value="true">是 <span class="en">Yes</span></label>
<label class="choice"><input type="radio" name="alsoNational" value="false">否 <span class="en">No</span></label></fieldset>`;

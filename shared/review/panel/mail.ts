/** The seat's email: the expert's own link, never anyone else's; the secret is in the link only. */
import { html } from '../../platform/pages/html.ts';
import { beijingTime } from '../../platform/time.ts';
import { STEP_TITLES } from '../../rules/steps.ts';
import { placeName } from '../../rules/jurisdictions.ts';
import type { SeatRecord } from '../../schemas/panel.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import { emailPage, emailRow, linkButtonHtml } from '../mail.ts';
import type { PanelDeps } from './deps.ts';

/** The expert's page for a seat: the secret is the link's only credential. */
export function seatLinkUrl(publicBaseUrl: string, reviewId: string, seatId: string, secret: string): string {
  const baseUrl = publicBaseUrl.replace(/\/+$/, '');
  return `${baseUrl}/v1/panels/${encodeURIComponent(reviewId)}/seats/${encodeURIComponent(seatId)}?t=${encodeURIComponent(secret)}`;
}

export interface SeatEmailInput {
  review: Pick<ReviewRecord, 'clusterName' | 'countyCode' | 'cityCode' | 'jurisdictionCode' | 'deadline'>;
  expertName: string;
  /** seatLinkUrl's answer. */
  url: string;
}

/**
 * The invitation, as the review request is written (../mail.ts): Chinese first, then English;
 * the cluster's county and city, which the expert weighs for 回避 before opening anything; one
 * big button on a phone, the link spelled out below it; and a plain-text part with the same.
 */
export function seatEmail(input: SeatEmailInput): { subject: string; text: string; html: string } {
  const { review, expertName, url } = input;
  const deadline = beijingTime(review.deadline);
  const level = placeName(review.jurisdictionCode) ?? review.jurisdictionCode;
  const county = placeName(review.countyCode) ?? review.countyCode;
  const city = review.cityCode === undefined ? undefined : placeName(review.cityCode);
  const place = city ? `${city} ${county}` : county;
  const title = STEP_TITLES['expert-panel'];
  const subject = `${title.zh}邀请：${review.clusterName} / Invitation to an expert panel`;
  const text = [
    `${expertName}：`,
    '',
    `${level}邀请您参加“${review.clusterName}”（${place}）的${title.zh}。`,
    '查看材料前，请先声明与申报集群无利害关系（不属于集群所在县、市，且无利益关联），或申请回避。',
    '声明后请对八个方面独立评分，评分只能提交一次；评审结束前，您看不到其他专家的评分。',
    `截止时间：${deadline.zh}`,
    '',
    url,
    '',
    `${level} invites you to the expert panel of "${review.clusterName}" (${place}). Before seeing the material,`,
    "declare that you have no conflict of interest (not from the cluster's county or city, no stake),",
    'or recuse. Then score the eight criteria independently, once; no one sees the others’ scores',
    `until the panel closes. Deadline: ${deadline.en}.`,
    '',
    '此链接仅供您本人使用，请勿转发。 / This link is yours alone: do not forward it.',
  ].join('\n');
  const body = html`<p style="margin:0 0 8px">${expertName}：</p>
<p style="margin:0 0 16px">${level}邀请您参加以下集群的${title.zh}。<br><span style="color:#555">${level} invites you to the expert panel of this cluster.</span></p>
<div style="background:#fff;border-radius:8px;padding:16px">
<p style="margin:0;color:#8a1c1c;font-weight:600">${title.zh}<br><span style="color:#555;font-weight:400">${title.en}</span></p>
<h1 style="font-size:20px;line-height:1.3;margin:8px 0 12px">${review.clusterName}</h1>
<table role="presentation" style="border-collapse:collapse;width:100%">
${emailRow('所在地', html`${place}<br><span style="color:#555">Located in</span>`)}
${emailRow('截止', html`<strong style="color:#8a1c1c">${deadline.zh}</strong><br><span style="color:#555">Deadline: ${deadline.en}</span>`)}
</table>
</div>
<p style="margin:16px 0 0">查看材料前，请先声明与申报集群无利害关系（不属于集群所在县、市，且无利益关联），或申请回避。声明后请对八个方面独立评分，评分只能提交一次；评审结束前，您看不到其他专家的评分。<br><span style="color:#555">Before seeing the material, declare that you have no conflict of interest (not from the cluster's county or city, no stake), or recuse. Then score the eight criteria independently, once; no one sees the others’ scores until the panel closes.</span></p>
${linkButtonHtml(url, { zh: '打开评审页面', en: 'Open the panel page' })}
<p style="font-size:13px;color:#555">此链接仅供您本人使用，请勿转发。<br>This link is yours alone: do not forward it.</p>`;
  return { subject, text, html: emailPage(subject, body) };
}

export async function sendSeatLink(
  deps: Pick<PanelDeps, 'mailer' | 'publicBaseUrl'>,
  input: { review: ReviewRecord; seat: SeatRecord; secret: string },
): Promise<void> {
  const { review, seat, secret } = input;
  const url = seatLinkUrl(deps.publicBaseUrl, review.reviewId, seat.seatId, secret);
  await deps.mailer.send({
    to: [seat.expert.email],
    ...seatEmail({ review, expertName: seat.expert.name, url }),
    purpose: `panel-seat/${review.reviewId}/${seat.seatId}`,
  });
}

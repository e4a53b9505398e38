/** The seat's email: the expert's own link, never anyone else's; the secret is in the link only. */
import { beijingTime } from '../../platform/time.ts';
import { STEP_TITLES } from '../../rules/steps.ts';
import { placeName } from '../../rules/jurisdictions.ts';
import type { SeatRecord } from '../../schemas/panel.ts';
import type { ReviewRecord } from '../../schemas/reviews.ts';
import type { PanelDeps } from './deps.ts';

/** The expert's page for a seat: the secret is the link's only credential. */
export function seatLinkUrl(publicBaseUrl: string, reviewId: string, seatId: string, secret: string): string {
  const baseUrl = publicBaseUrl.replace(/\/+$/, '');
  return `${baseUrl}/v1/panels/${encodeURIComponent(reviewId)}/seats/${encodeURIComponent(seatId)}?t=${encodeURIComponent(secret)}`;
}

export async function sendSeatLink(
  deps: Pick<PanelDeps, 'mailer' | 'publicBaseUrl'>,
  input: { review: ReviewRecord; seat: SeatRecord; secret: string },
): Promise<void> {
  const { review, seat, secret } = input;
  const url = seatLinkUrl(deps.publicBaseUrl, review.reviewId, seat.seatId, secret);
  const deadline = beijingTime(review.deadline);
  const level = placeName(review.jurisdictionCode) ?? review.jurisdictionCode;
  const title = STEP_TITLES['expert-panel'];
  await deps.mailer.send({
    to: [seat.expert.email],
    subject: `${title.zh}邀请：${review.clusterName} / Invitation to an expert panel`,
    text: [
      `${seat.expert.name}：`,
      '',
      `${level}邀请您参加“${review.clusterName}”的${title.zh}。`,
      '查看材料前，请先声明与申报集群无利害关系（不属于集群所在县、市，且无利益关联），或申请回避。',
      '声明后请对八个方面独立评分，评分只能提交一次；评审结束前，您看不到其他专家的评分。',
      `截止时间：${deadline.zh}`,
      '',
      url,
      '',
      `${level} invites you to the expert panel of "${review.clusterName}". Before seeing the material,`,
      "declare that you have no conflict of interest (not from the cluster's county or city, no stake),",
      'or recuse. Then score the eight criteria independently, once; no one sees the others’ scores',
      `until the panel closes. Deadline: ${deadline.en}.`,
      '',
      '此链接仅供您本人使用，请勿转发。 / This link is yours alone: do not forward it.',
    ].join('\n'),
    purpose: `panel-seat/${review.reviewId}/${seat.seatId}`,
  });
}

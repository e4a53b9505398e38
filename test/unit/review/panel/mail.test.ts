import { describe, expect, it } from 'vitest';
import type { Email } from '../../../../shared/ports/core.ts';
import { sendSeatLink } from '../../../../shared/review/panel/mail.ts';
import type { SeatRecord } from '../../../../shared/schemas/panel.ts';
import { EXPERTS, panelReview } from './fixtures.ts';

/**
 * The seat's invitation as an expert reads it on a phone, often at night: like the review request
 * (../page-and-mail.test.ts), an HTML part with one big button to the seat's page and the link
 * spelled out, and, in both parts, where the cluster is, which the expert weighs for 回避 first.
 */
const now = new Date('2026-06-01T02:00:00.000Z');
const review = panelReview(now, { clusterName: '敦化市<医药>产业集群' });
const seat: SeatRecord = {
  reviewId: review.reviewId,
  applicationId: review.applicationId,
  seatId: '6c0bb529-0cf2-4f44-956b-7cc64c3d0db4',
  expert: { ...EXPERTS.university, name: '王建国' },
  state: 'ASSIGNED',
  secretHash: 'a'.repeat(64),
  assignedAt: now.toISOString(),
  assignedBy: 'user:reviewer-220000',
};

async function invitation(): Promise<Email> {
  const sent: Email[] = [];
  await sendSeatLink(
    {
      publicBaseUrl: 'https://clusters.example.gov.cn/',
      mailer: { send: async (email) => (sent.push(email), { messageId: 'm' }) },
    },
    { review, seat, secret: 'seat-s3cret' },
  );
  const [email] = sent;
  if (!email) throw new Error('no email sent');
  return email;
}

describe('the expert’s seat invitation', () => {
  it('goes to the expert alone, with a button to the seat’s page and the link spelled out', async () => {
    const email = await invitation();
    const url = `https://clusters.example.gov.cn/v1/panels/${encodeURIComponent(review.reviewId)}/seats/${seat.seatId}?t=seat-s3cret`;
    expect(email.to).toEqual([EXPERTS.university.email]);
    expect(email.text).toContain(url);
    expect(email.html).toContain(`<a href="${url}"`);
    expect(email.html).toContain('打开评审页面');
    expect(email.html).toContain('name="viewport"');
    // Escaped, as every interpolated value.
    expect(email.html).toContain('敦化市&lt;医药&gt;产业集群');
  });

  it('says where the cluster is, in both parts, so that the expert can weigh 回避 before opening it', async () => {
    const email = await invitation();
    expect(email.text).toContain('延边朝鲜族自治州 敦化市');
    expect(email.html).toContain('延边朝鲜族自治州 敦化市');
    expect(email.html).toContain('截止');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { renderReviewPage } from '../../../shared/review/page.ts';
import type { ObjectionRecord } from '../../../shared/schemas/reviews.ts';
import { APP_ID, application, campaignAt, makeDesk, review, SECRET, seed, seedReview } from './fixtures.ts';
import { mockedCloud } from './worlds.ts';

/*
 * An objection upheld during the public notice sends the application back to the review of the
 * level holding the notice, "with the objection attached": the review page shows each upheld
 * objection (its reason, who objected, the triage's reasons) above everything else, and no
 * dismissed or untriaged one.
 */

const cloud = mockedCloud();
const now = new Date('2026-06-01T02:00:00.000Z');
const campaign = campaignAt(now);
const link = { kind: 'link' as const, secret: SECRET };
const back = review(now, { round: 2 });

const objection = (overrides: Partial<ObjectionRecord>): ObjectionRecord => ({
  objectionId: '00000000-0000-4000-8000-0000000000a1',
  applicationId: APP_ID,
  reason: '申报材料中的产值数据与统计年鉴不符',
  name: '王某',
  organisation: '某某协会',
  channel: 'public',
  filedAt: '2026-05-20T02:00:00.000Z',
  resolved: false,
  ...overrides,
});

const desk = (objections: ObjectionRecord[]) =>
  makeDesk(() => now, [campaign], {
    objections: {
      listObjections: async (applicationId) => objections.filter((o) => o.applicationId === applicationId),
    },
  });

beforeEach(async () => {
  seed(cloud.table).campaign(campaign);
  seed(cloud.table).application(application(now, { campaignId: campaign.campaignId }));
  await seedReview(back);
});

describe('the review page after an upheld objection', () => {
  it('shows each upheld objection with its reason, the objector and the triage’s reasons', async () => {
    const upheld = objection({
      resolved: true,
      outcome: 'upheld',
      resolution: '经核实，产值数据有误，退回重新审核',
      resolvedAt: '2026-05-25T02:00:00.000Z',
    });
    const page = renderReviewPage(await desk([upheld]).page(back.reviewId, link));

    const section = /<section class="warn" id="upheld-objections">([\s\S]*?)<\/section>/.exec(page.body)?.[1] ?? '';
    expect(section).toContain('申报材料中的产值数据与统计年鉴不符');
    expect(section).toContain('某某协会');
    expect(section).toContain('经核实，产值数据有误，退回重新审核');
    // Above the overview: it is why the application is back.
    expect(page.body.indexOf('id="upheld-objections"')).toBeLessThan(page.body.indexOf('概况'));
  });

  it('shows no dismissed or untriaged objection, and no section when none was upheld', async () => {
    const dismissed = objection({ resolved: true, outcome: 'dismissed', resolution: '异议不成立' });
    const untriaged = objection({ objectionId: '00000000-0000-4000-8000-0000000000a2', reason: '尚未处理的异议' });
    const page = renderReviewPage(await desk([dismissed, untriaged]).page(back.reviewId, link));

    expect(page.body).not.toContain('upheld-objections');
    expect(page.body).not.toContain('异议不成立');
    expect(page.body).not.toContain('尚未处理的异议');
  });
});

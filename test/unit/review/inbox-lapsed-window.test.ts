import { describe, expect, it } from 'vitest';
import { DynamoReviews } from '../../../shared/adapters/dynamo-reviews/store.ts';
import { LAPSED_SHOWN_DAYS, reviewInbox } from '../../../shared/review/inbox.ts';
import { APP_ID, daysFrom, documentClient, review, seedReview, TABLE } from './fixtures.ts';
import { mockedCloud } from './worlds.ts';
import { PEOPLE } from '../support.ts';

/**
 * Which lapsed reviews the inbox lists: the last LAPSED_SHOWN_DAYS by deadline when no campaign is
 * named; when the query names one (`campaignId`, as the ranking follows it), that campaign's, however
 * long ago they lapsed, and no other campaign's.
 */
mockedCloud();
const now = new Date('2027-03-01T00:00:00.000Z');
const OLD_APP = '1c9e7d5b-3a2f-4e6d-8b0a-9c8d7e6f5a4b';

const unread = () => Promise.reject(new Error('not read'));
const NO_QUOTA_READS = { records: { getApplication: unread }, campaigns: { get: unread }, quotas: { usage: unread } };

async function lapsedIn(campaignId: string, applicationId: string, daysAgo: number) {
  const store = new DynamoReviews(documentClient(), TABLE);
  const base = review(now, { campaignId, deadline: daysFrom(now, -daysAgo) });
  const lapsed = { ...base, applicationId, reviewId: base.reviewId.replace(APP_ID, applicationId) };
  await seedReview(lapsed);
  expect(await store.expireReview(lapsed, lapsed.deadline, '逾期不予受理')).toMatchObject({ status: 'EXPIRED' });
  return lapsed.reviewId;
}

const lapsedListed = async (query: Record<string, string>) =>
  (
    await reviewInbox(
      // A city's inbox with nothing pending: no quota is read.
      { reviews: new DynamoReviews(documentClient(), TABLE), clock: () => now, ...NO_QUOTA_READS },
      PEOPLE.yanbianReviewer,
      query,
    )
  ).lapsed.map((entry) => entry.reviewId);

describe("the inbox's lapsed reviews", () => {
  it('follows the campaign the query names, whatever its age; else the last LAPSED_SHOWN_DAYS', async () => {
    const lastYear = await lapsedIn('demo-2026-recommendation', OLD_APP, LAPSED_SHOWN_DAYS + 120);
    const thisYear = await lapsedIn('demo-2027-recommendation', APP_ID, 10);

    expect(await lapsedListed({})).toEqual([thisYear]);
    expect(await lapsedListed({ campaignId: 'demo-2026-recommendation' })).toEqual([lastYear]);
    expect(await lapsedListed({ campaignId: 'demo-2027-recommendation' })).toEqual([thisYear]);
    expect(await lapsedListed({ campaignId: 'demo-2025-recommendation' })).toEqual([]);
  });
});

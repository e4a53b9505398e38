import { describe, expect, it, vi } from 'vitest';
import type { DecisionView, ReviewPage } from '../../../shared/review/views.ts';
import { formToJson, makeReviewsHandler, type ReviewsHandlerDeps } from '../../../shared/review/handler.ts';
import { apiEvent } from '../support.ts';
import { review, SECRET } from './fixtures.ts';

/*
 * The reviews handler built from a fake desk: no environment, no SDK client. What is checked is
 * the handler's part: the link's secret taken from the query or the form, the form turned into
 * the JSON the desk reads, and pages answered to people.
 */

const NOW = new Date('2026-04-01T02:00:00.000Z');
const stored = review(NOW);
const decision: DecisionView = {
  reviewId: stored.reviewId,
  applicationId: stored.applicationId,
  stage: stored.stage,
  track: stored.track,
  round: stored.round,
  status: 'DECIDED',
  decision: 'approve',
  decidedBy: 'link',
  decidedAt: NOW.toISOString(),
};

const notCalled = () => Promise.reject(new Error('not expected in this test'));

function fakeDesk(overrides: Partial<ReviewsHandlerDeps['desk']>): ReviewsHandlerDeps['desk'] {
  return {
    inbox: vi.fn(notCalled),
    page: vi.fn(notCalled),
    decide: vi.fn(notCalled),
    resend: vi.fn(notCalled),
    withdraw: vi.fn(notCalled),
    cancel: vi.fn(notCalled),
    requestOwnEvidenceUpload: vi.fn(notCalled),
    listOwnEvidence: vi.fn(notCalled),
    removeOwnEvidence: vi.fn(notCalled),
    ...overrides,
  };
}

/** The public notice's operations: none of these tests reaches them. */
const notice: ReviewsHandlerDeps['notice'] = {
  notices: vi.fn(notCalled),
  entry: vi.fn(notCalled),
  file: vi.fn(notCalled),
  status: vi.fn(notCalled),
  untriaged: vi.fn(notCalled),
  triage: vi.fn(notCalled),
};

describe('makeReviewsHandler', () => {
  it("GET shows the desk's page for the link's secret (from the query), and decides nothing", async () => {
    const page = vi.fn(async (): Promise<ReviewPage> => ({ state: 'decided', review: stored, decision }));
    const desk = fakeDesk({ page });
    const handler = makeReviewsHandler({ desk, notice });

    const result = await handler(
      apiEvent('GET /v1/reviews/{reviewId}', { pathParameters: { reviewId: stored.reviewId }, query: { t: SECRET } }),
    );

    expect(result.statusCode).toBe(200);
    expect(result).toMatchObject({ headers: { 'content-type': expect.stringContaining('text/html') } });
    expect(result.body).toContain('已作出决定');
    expect(result.body).toContain(stored.clusterName);
    expect(page).toHaveBeenCalledWith(stored.reviewId, { kind: 'link', secret: SECRET });
    expect(desk.decide).not.toHaveBeenCalled();
  });

  it('a forged link answers the 403 page', async () => {
    const handler = makeReviewsHandler({ desk: fakeDesk({ page: async () => ({ state: 'forged' }) }), notice });
    const result = await handler(
      apiEvent('GET /v1/reviews/{reviewId}', { pathParameters: { reviewId: stored.reviewId }, query: { t: 'wrong' } }),
    );
    expect(result.statusCode).toBe(403);
    expect(result.body).toContain('审核链接无效');
  });

  it("POST of the page's form: fields as JSON to the desk, the secret from the form, a page back", async () => {
    const decide = vi.fn(async () => decision);
    const handler = makeReviewsHandler({ desk: fakeDesk({ decide }), notice });
    const form = `decision=approve&reason=&t=${SECRET}&scores.innovation=8.5&scores.note=high`;
    const event = apiEvent('POST /v1/reviews/{reviewId}/decision', {
      body: form,
      pathParameters: { reviewId: stored.reviewId },
    });

    const result = await handler({ ...event, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

    expect(decide).toHaveBeenCalledWith(
      stored.reviewId,
      { kind: 'link', secret: SECRET },
      { decision: 'approve', t: SECRET, scores: { innovation: 8.5, note: 'high' } },
    );
    expect(result.statusCode).toBe(200);
    expect(result).toMatchObject({ headers: { 'content-type': expect.stringContaining('text/html') } });
    expect(result.body).toContain('决定已记录');
    // The way back to the form carries the link's secret.
    expect(result.body).toContain(`?t=${SECRET}`);
  });

  it('POST of JSON answers JSON, as the one error mapper makes it', async () => {
    const decide = vi.fn(async () => decision);
    const handler = makeReviewsHandler({ desk: fakeDesk({ decide }), notice });
    const result = await handler(
      apiEvent('POST /v1/reviews/{reviewId}/decision', {
        body: { decision: 'approve', t: SECRET },
        pathParameters: { reviewId: stored.reviewId },
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual(decision);
  });
});

describe('formToJson', () => {
  it('drops empty fields and gathers scores.<criterion> as numbers', () => {
    expect(formToJson('decision=return&reason=%E8%A1%A5%E5%85%85&scores.a=3&scores.b=+&x=')).toEqual({
      decision: 'return',
      reason: '补充',
      scores: { a: 3 },
    });
  });

  it('reads the city\'s "also national" radio as a boolean', () => {
    expect(formToJson('decision=approve&alsoNational=true')).toEqual({ decision: 'approve', alsoNational: true });
    expect(formToJson('decision=approve&alsoNational=false')).toEqual({ decision: 'approve', alsoNational: false });
    expect(formToJson('decision=approve&alsoNational=maybe')).toEqual({ decision: 'approve', alsoNational: 'maybe' });
  });
});

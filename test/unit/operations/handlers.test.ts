import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeOpsHandler, type OpsHandlerDeps } from '../../../shared/operations/handlers.ts';
import { makeExportsHandler } from '../../../shared/operations/exports/handler.ts';
import { makeSweeperHandler } from '../../../shared/operations/sweeper-handler.ts';
import type { SweepSummary } from '../../../shared/operations/sweep-summary.ts';
import { ForbiddenError } from '../../../shared/platform/auth/policy.ts';
import { type OpsSummary, OpsSummarySchema } from '../../../shared/schemas/ops.ts';
import { apiEvent, PEOPLE } from '../support.ts';

/*
 * The operators' handlers built from fakes: no environment, no SDK client, no token verifier
 * (the routes here are guarded by the JWT authorizer, whose claims the events carry).
 */

afterEach(() => vi.restoreAllMocks());

const notCalled = () => Promise.reject(new Error('not expected in this test'));

const summary: OpsSummary = OpsSummarySchema.parse({
  campaign: { campaignId: 'demo-2026', name: '2026 年度中小企业特色产业集群', tracks: ['recommendation'] },
  generatedAt: '2026-04-01T02:00:00.000Z',
  totals: { total: 0, byStatus: {} },
  provinces: [],
  stages: [{ stage: 'city', pending: 2, overdue: 1 }],
  calendar: [],
  late: [],
  quotas: [],
  failedExecutions: [],
});

function opsDeps(summaryOf: OpsHandlerDeps['ops']['summary']): OpsHandlerDeps {
  return {
    ops: { summary: summaryOf, jurisdiction: vi.fn(notCalled), redrive: vi.fn(notCalled) },
    intake: { history: vi.fn(notCalled) },
    catalog: { list: vi.fn(notCalled) },
    provider: {},
    verifier: { verify: () => notCalled() },
  };
}

describe('makeOpsHandler', () => {
  it("answers the desk's summary as JSON, for the query and the principal the request carries", async () => {
    const summaryOf = vi.fn(async () => summary);
    const handler = makeOpsHandler(opsDeps(summaryOf));

    const result = await handler(
      apiEvent('GET /v1/ops/summary', { query: { campaignId: 'demo-2026' }, as: PEOPLE.jilinOperator }),
    );

    expect(result.statusCode).toBe(200);
    expect(result).toMatchObject({ headers: { 'content-type': expect.stringContaining('application/json') } });
    expect(JSON.parse(result.body)).toEqual(summary);
    expect(summaryOf).toHaveBeenCalledWith({ campaignId: 'demo-2026' }, PEOPLE.jilinOperator);
  });

  it("maps the desk's ForbiddenError to 403 through the one error mapper", async () => {
    const refusal = new ForbiddenError('Reviewers do not read the ops summary');
    const handler = makeOpsHandler(opsDeps(() => Promise.reject(refusal)));

    const result = await handler(apiEvent('GET /v1/ops/summary', { query: {}, as: PEOPLE.yanbianReviewer }));

    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body)).toEqual({
      error: { code: 'FORBIDDEN', message: 'Reviewers do not read the ops summary' },
    });
  });

  it('refuses half an identity-provider configuration when the handler is built', () => {
    const provider = { authorizeUrl: 'https://idp.example/authorize', tokenUrl: 'https://idp.example/token' };
    expect(() => makeOpsHandler({ ...opsDeps(vi.fn(notCalled)), provider })).toThrow(
      /need AUTH_AUDIENCE and PUBLIC_BASE_URL/,
    );
  });
});

describe('makeExportsHandler', () => {
  it('answers 400 naming every bad field of path and query together, before the exports are asked', async () => {
    const file = vi.fn(notCalled);
    const handler = makeExportsHandler({ summaries: { file } });

    const result = await handler(
      apiEvent('GET /v1/exports/{campaignId}/{file}', {
        pathParameters: { campaignId: 'demo-2026', file: 'summary.doc' },
        query: { jurisdiction: 'abc' },
        as: PEOPLE.jilinOperator,
      }),
    );

    expect(result.statusCode).toBe(400);
    const fields = (JSON.parse(result.body).error.details as { field: string }[]).map((detail) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['path.file', 'query.jurisdiction']));
    expect(file).not.toHaveBeenCalled();
  });
});

describe('makeSweeperHandler', () => {
  const run: SweepSummary = {
    at: '2026-05-09T00:00:00.000Z',
    campaigns: ['demo-2026-recommendation'],
    remindersSent: 4,
    escalationsSent: 1,
    sent: { review: 3, applicant: 1, 'annual-report': 0 },
    skipped: 2,
    failed: 1,
    pending: { city: 5, province: 4, miit: 0 },
    overdue: { city: 0, province: 1, miit: 2 },
    reviewsDueWithin24h: 3,
  };

  it("publishes the fake sweeper's summary: gauges per Stage, the run's counts, then one flush", async () => {
    const target = new Metrics({ namespace: 'Test', serviceName: 'sweeper' });
    // Gauges go out one data point at a time (singleMetric); the run's counts are stored, then flushed.
    const gauges: { name: string; value: number; dimensions: Record<string, string> }[] = [];
    vi.spyOn(target, 'singleMetric').mockImplementation(() => {
      const single = new Metrics({ namespace: 'Test', singleMetric: true });
      const dimensions: Record<string, string> = {};
      vi.spyOn(single, 'addDimension').mockImplementation((name, value) => {
        dimensions[name] = value;
        return single;
      });
      vi.spyOn(single, 'addMetric').mockImplementation((name, _unit, value) => {
        gauges.push({ name, value, dimensions });
        return single;
      });
      return single;
    });
    const counts = vi.spyOn(target, 'addMetric');
    const flushed = vi.spyOn(target, 'publishStoredMetrics').mockImplementation(() => target);
    const sweep = vi.fn(async () => run);

    const result = await makeSweeperHandler({ sweeper: { sweep } }, target)();

    expect(result).toBe(run);
    expect(sweep).toHaveBeenCalledTimes(1);
    expect(gauges).toEqual(
      expect.arrayContaining([
        { name: 'PendingApplications', value: 5, dimensions: { Stage: 'city' } },
        { name: 'PendingApplications', value: 0, dimensions: { Stage: 'miit' } },
        { name: 'OverdueApplications', value: 2, dimensions: { Stage: 'miit' } },
        { name: 'ReviewsDueWithin24h', value: 3, dimensions: {} },
      ]),
    );
    expect(gauges).toHaveLength(7);
    expect(counts.mock.calls).toEqual([
      ['RemindersSent', MetricUnit.Count, 4],
      ['EscalationsSent', MetricUnit.Count, 1],
      ['ReminderFailures', MetricUnit.Count, 1],
    ]);
    expect(flushed).toHaveBeenCalledTimes(1);
  });

  it('publishes nothing when the run throws', async () => {
    const target = new Metrics({ namespace: 'Test', serviceName: 'sweeper' });
    const counts = vi.spyOn(target, 'addMetric');
    const handler = makeSweeperHandler(
      { sweeper: { sweep: () => Promise.reject(new Error('table unreadable')) } },
      target,
    );
    await expect(handler()).rejects.toThrow('table unreadable');
    expect(counts).not.toHaveBeenCalled();
  });
});
